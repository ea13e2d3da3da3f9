"""On PostgreSQL the audit trail's three tables (entries, seals, checkpoints) refuse UPDATE and
DELETE (row triggers) and TRUNCATE (statement triggers), whoever asks.

The application's own role cannot even try (it holds only INSERT and SELECT on them, see
`manage.py grant_app_role`); the triggers also stop the owner's accidents. The one exception
is TRUNCATE by the tables' owner in a session that says so (`SET dnapes.audit_maintenance =
on`) — the owner can disable triggers anyway; it lets a test database be emptied between
tests. SQLite relies on the application alone."""

from django.db import migrations

TABLES = ("accounts_auditentry", "accounts_auditseal", "accounts_auditcheckpoint")

CREATE_FUNCTION = """
CREATE OR REPLACE FUNCTION accounts_audit_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'TRUNCATE'
     AND current_setting('dnapes.audit_maintenance', true) = 'on'
     AND pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'USAGE') THEN
    RETURN NULL;
  END IF;
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME
    USING DETAIL = TG_OP || ' refused', ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

TRIGGERS = """
DROP TRIGGER IF EXISTS {table}_append_only ON {table};
CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
  FOR EACH ROW EXECUTE FUNCTION accounts_audit_append_only();
DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};
CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
  FOR EACH STATEMENT EXECUTE FUNCTION accounts_audit_append_only();
"""

DROP_OLD = """
DROP TRIGGER IF EXISTS accounts_auditentry_append_only ON accounts_auditentry;
DROP FUNCTION IF EXISTS accounts_auditentry_append_only();
"""

RESTORE_OLD = """
CREATE OR REPLACE FUNCTION accounts_auditentry_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'accounts_auditentry is append-only' USING DETAIL = TG_OP || ' refused';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER accounts_auditentry_append_only
  BEFORE UPDATE OR DELETE ON accounts_auditentry
  FOR EACH ROW EXECUTE FUNCTION accounts_auditentry_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(DROP_OLD)
    schema_editor.execute(CREATE_FUNCTION, params=None)
    for table in TABLES:
        schema_editor.execute(TRIGGERS.format(table=table))


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};"
                              f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};")
    schema_editor.execute("DROP FUNCTION IF EXISTS accounts_audit_append_only();")
    schema_editor.execute(RESTORE_OLD)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_audit_seals_checkpoints")]
    operations = [migrations.RunPython(forwards, backwards)]
