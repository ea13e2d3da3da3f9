from django.db import migrations

from accounts.rolesync import sync_role_groups


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("prisons", "0001_initial"),
        ("inmates", "0001_initial"),
        ("casework", "0001_initial"),
    ]
    operations = [migrations.RunPython(sync_role_groups, migrations.RunPython.noop)]
