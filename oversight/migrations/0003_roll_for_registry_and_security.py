from django.db import migrations

from accounts.rolesync import sync_role_groups


class Migration(migrations.Migration):
    """The evening roll, printed for the door, is read by the registry and security officers too
    (oversight.view_roll; accounts/roles.py)."""

    dependencies = [
        ("oversight", "0002_oversight_role_permissions"),
    ]
    operations = [
        migrations.AlterModelOptions(
            name="occupancysnapshot",
            options={
                "default_permissions": ("view",), "ordering": ["-day"],
                "permissions": [("view_reports", "Consulter les rapports de supervision"),
                                ("view_roll", "Consulter l'appel du soir de son établissement")],
                "verbose_name": "relevé d'occupation", "verbose_name_plural": "relevés d'occupation",
            },
        ),
        migrations.RunPython(sync_role_groups, migrations.RunPython.noop),
    ]
