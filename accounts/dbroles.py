"""Two database roles on PostgreSQL: the owner (migrations) and the application.

The application (web, worker, beat) connects with DATABASE_URL as a role that may read and
write the domain tables but only INSERT and SELECT the audit trail (entries, seals,
checkpoints): it cannot UPDATE, DELETE or TRUNCATE them, nor change their triggers (only the
owner may). Migrations run as the owner (DATABASE_MIGRATE_URL). `manage.py grant_app_role`
creates the application role and sets its grants; `manage.py migrate` re-applies them.
"""

from contextlib import contextmanager

from django.conf import settings
from django.db import connections

from .models import AuditCheckpoint, AuditEntry, AuditSeal

APPEND_ONLY_MODELS = (AuditEntry, AuditSeal, AuditCheckpoint)
_CREDENTIALS = ("USER", "PASSWORD", "HOST", "PORT")


@contextmanager
def as_schema_owner(alias: str = "default"):
    """Within the block, `alias` connects with the owner's credentials (DATABASE_MIGRATE_URL),
    to the same database name (so that test databases keep working). No-op when unset."""
    owner = getattr(settings, "DATABASE_OWNER", None)
    if not owner:
        yield False
        return
    connection = connections[alias]
    saved = {key: connection.settings_dict.get(key) for key in _CREDENTIALS}
    connection.close()
    connection.settings_dict.update({key: owner.get(key, "") for key in _CREDENTIALS})
    try:
        yield True
    finally:
        connection.close()
        connection.settings_dict.update(saved)


def app_role_statements(*, role: str, database: str, owner: str, quote) -> list[str]:
    """The grants of the application role (idempotent), for the schema `public`."""
    r, o = quote(role), quote(owner)
    append_only = ", ".join(quote(m._meta.db_table) for m in APPEND_ONLY_MODELS)
    return [
        f"ALTER ROLE {r} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS",
        f"GRANT CONNECT ON DATABASE {quote(database)} TO {r}",
        f"GRANT USAGE ON SCHEMA public TO {r}",
        f"REVOKE CREATE ON SCHEMA public FROM {r}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {r}",
        f"REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM {r}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {r}",
        # The audit trail: insert and read, nothing else.
        f"REVOKE UPDATE, DELETE ON {append_only} FROM {r}",
        # The application never writes the migration history.
        f"REVOKE INSERT, UPDATE, DELETE ON django_migrations FROM {r}",
        # Tables created later by the owner's migrations get the same grants…
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {o} IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {r}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {o} IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {r}",
        # …and `migrate` runs this again, so that a new append-only table loses UPDATE/DELETE.
    ]


def grant_app_role(*, role: str, password: str | None = None, create: bool = True,
                   alias: str = "default") -> list[str]:
    """Create (if missing) the application role and give it exactly its grants; run as the
    owner. Returns the statements run (the password is not among them)."""
    connection = connections[alias]
    if connection.vendor != "postgresql":
        raise RuntimeError("Les rôles de base de données n'existent que sur PostgreSQL.")
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, current_database()")
        owner, database = cursor.fetchone()
        if role == owner:
            raise ValueError(
                "L'application doit se connecter avec un autre rôle que le propriétaire du schéma "
                f"({owner}) : DATABASE_URL et DATABASE_MIGRATE_URL désignent le même rôle.")
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        exists = cursor.fetchone() is not None
        if not exists:
            if not create:
                raise ValueError(f"Le rôle {role} n'existe pas.")
            if password:
                cursor.execute(f"CREATE ROLE {quote(role)} LOGIN PASSWORD %s", [password])
            else:
                cursor.execute(f"CREATE ROLE {quote(role)} LOGIN")
        elif password:
            cursor.execute(f"ALTER ROLE {quote(role)} PASSWORD %s", [password])
        statements = app_role_statements(role=role, database=database, owner=owner, quote=quote)
        for statement in statements:
            cursor.execute(statement)
    return statements
