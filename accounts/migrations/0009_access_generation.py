import secrets

from django.db import migrations, models


def first_row(apps, schema_editor):
    # A random first number, like every later one (accounts.access.invalidate_all).
    apps.get_model("accounts", "AccessGeneration").objects.get_or_create(pk=1, defaults={"value": secrets.randbits(62)})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0008_monitor_authorisations")]

    operations = [
        migrations.CreateModel(
            name="AccessGeneration",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("value", models.BigIntegerField(default=0)),
            ],
            options={"verbose_name": "génération des droits d'accès"},
        ),
        migrations.RunPython(first_row, migrations.RunPython.noop),
    ]
