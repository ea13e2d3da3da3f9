from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from accounts.dbroles import as_schema_owner, grant_app_role


class Command(BaseCommand):
    help = ("PostgreSQL: create the application's database role (the user and password of "
            "DATABASE_URL unless given) and grant it the domain tables, but only INSERT and SELECT "
            "on the audit trail. Runs as the owner (DATABASE_MIGRATE_URL). Idempotent.")

    def add_arguments(self, parser):
        parser.add_argument("--role", help="application role (default: the user of DATABASE_URL)")
        parser.add_argument("--no-create", action="store_true", help="fail if the role does not exist")
        parser.add_argument("--database", default="default")

    def handle(self, *args, **options):
        alias = options["database"]
        app = settings.DATABASES[alias]
        role = options["role"] or app.get("USER")
        if not role:
            raise CommandError("Aucun rôle : indiquez --role ou un utilisateur dans DATABASE_URL.")
        password = app.get("PASSWORD") if not options["role"] or options["role"] == app.get("USER") else None
        with as_schema_owner(alias):
            if connections[alias].vendor != "postgresql":
                raise CommandError("Les rôles de base de données n'existent que sur PostgreSQL.")
            try:
                statements = grant_app_role(role=role, password=password or None,
                                            create=not options["no_create"], alias=alias)
            except ValueError as error:
                raise CommandError(str(error)) from None
        self.stdout.write(f"Rôle applicatif « {role} » : {len(statements)} autorisations appliquées "
                          "(journal d'audit : INSERT et SELECT seulement).")
