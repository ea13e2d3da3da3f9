from django.db import migrations

from accounts.rolesync import sync_role_groups


class Migration(migrations.Migration):
    """Give directors and DNAPES managers the oversight permissions (accounts/roles.py)."""

    dependencies = [
        ("oversight", "0001_occupancy_snapshot"),
        ("accounts", "0002_roles"),
    ]
    operations = [migrations.RunPython(sync_role_groups, migrations.RunPython.noop)]
