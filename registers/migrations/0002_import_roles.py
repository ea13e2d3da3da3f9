from django.db import migrations

from accounts.rolesync import sync_role_groups


class Migration(migrations.Migration):
    """Give the role groups the permissions of the paper-register back-fill."""

    dependencies = [
        ("registers", "0001_import_jobs"),
        ("accounts", "0002_roles"),
    ]
    operations = [migrations.RunPython(sync_role_groups, migrations.RunPython.noop)]
