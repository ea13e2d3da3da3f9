from django.db import migrations

from accounts.rolesync import sync_role_groups


class Migration(migrations.Migration):
    """Give the role groups the permissions of the register of presentations without a title."""

    dependencies = [
        ("intake", "0005_record_presentations"),
        ("accounts", "0002_roles"),
    ]
    operations = [migrations.RunPython(sync_role_groups, migrations.RunPython.noop)]
