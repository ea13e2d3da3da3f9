from django.db import migrations

from accounts.rolesync import sync_role_groups


class Migration(migrations.Migration):
    """Give each role the release-order and death-in-custody permissions (accounts.roles)."""

    dependencies = [
        ("accounts", "0002_roles"),
        ("casework", "0007_release_orders_sentences"),
    ]
    operations = [migrations.RunPython(sync_role_groups, migrations.RunPython.noop)]
