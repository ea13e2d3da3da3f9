from django.db import migrations

from accounts.rolesync import sync_role_groups


class Migration(migrations.Migration):
    """Give each role the custody-life permissions listed in accounts.roles.ROLE_PERMISSIONS."""

    dependencies = [
        ("accounts", "0002_roles"),
        ("inmates", "0003_custody_life"),
    ]
    operations = [migrations.RunPython(sync_role_groups, migrations.RunPython.noop)]
