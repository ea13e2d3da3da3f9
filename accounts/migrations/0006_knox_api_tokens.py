"""API tokens move from DRF's authtoken (stored in clear, never expiring) to django-rest-knox
(hashed, expiring, one per device). Old tokens are not converted — their clear value is what
must not be kept — so clients ask for a new token once (same endpoint, same header). DRF's
table, content types, permissions and migration records are removed; administrators may
consult (never read) the new tokens."""

from django.db import migrations

from accounts.rolesync import sync_role_groups


def drop_drf_tokens(apps, schema_editor):
    cascade = " CASCADE" if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute("DROP TABLE IF EXISTS authtoken_token" + cascade)
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditEntry = apps.get_model("accounts", "AuditEntry")
    stale = ContentType.objects.filter(app_label="authtoken")
    if not AuditEntry.objects.filter(target_type__in=stale).exists():
        stale.delete()
    schema_editor.execute("DELETE FROM django_migrations WHERE app = 'authtoken'")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_audit_append_only_truncate"),
        ("knox", "0009_extend_authtoken_field"),
    ]
    operations = [
        migrations.RunPython(drop_drf_tokens, migrations.RunPython.noop),
        migrations.RunPython(sync_role_groups, migrations.RunPython.noop),
    ]
