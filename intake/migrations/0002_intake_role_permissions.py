from django.db import migrations

from accounts.rolesync import sync_role_groups


class Migration(migrations.Migration):
    """Give the role groups the intake permissions named in accounts.roles.ROLE_PERMISSIONS."""

    dependencies = [
        ("intake", "0001_intake_workflow"),
        ("inmates", "0002_social_profile_number_counter_trigram"),
        ("accounts", "0002_roles"),
    ]
    operations = [migrations.RunPython(sync_role_groups, migrations.RunPython.noop)]
