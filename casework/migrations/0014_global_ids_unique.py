"""Global ids (issue 12): unique, made where each record is created."""

from django.db import migrations, models

import core.ids


class Migration(migrations.Migration):
    dependencies = [("casework", "0013_global_ids")]

    operations = [
        migrations.AlterField('case', 'uid', models.UUIDField(default=core.ids.uuid7, editable=False, unique=True, verbose_name='identifiant global')),
        migrations.AlterField('charge', 'uid', models.UUIDField(default=core.ids.uuid7, editable=False, unique=True, verbose_name='identifiant global')),
        migrations.AlterField('detentionorder', 'uid', models.UUIDField(default=core.ids.uuid7, editable=False, unique=True, verbose_name='identifiant global')),
        migrations.AlterField('releaseorder', 'uid', models.UUIDField(default=core.ids.uuid7, editable=False, unique=True, verbose_name='identifiant global')),
        migrations.AlterField('courtsubmission', 'uid', models.UUIDField(default=core.ids.uuid7, editable=False, unique=True, verbose_name='identifiant global')),
        migrations.AlterField('hearing', 'uid', models.UUIDField(default=core.ids.uuid7, editable=False, unique=True, verbose_name='identifiant global')),
        migrations.AlterField('judgment', 'uid', models.UUIDField(default=core.ids.uuid7, editable=False, unique=True, verbose_name='identifiant global')),
    ]
