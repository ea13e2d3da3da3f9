"""Global ids (issue 12): unique, made where each record is created."""

from django.db import migrations, models

import core.ids


class Migration(migrations.Migration):
    dependencies = [("oversight", "0005_global_ids")]

    operations = [
        migrations.AlterField('ownfilerequest', 'uid', models.UUIDField(default=core.ids.uuid7, editable=False, unique=True, verbose_name='identifiant global')),
    ]
