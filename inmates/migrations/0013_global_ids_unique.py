"""Global ids (issue 12): unique, made where each record is created."""

from django.db import migrations, models

import core.ids


class Migration(migrations.Migration):
    dependencies = [("inmates", "0012_global_ids")]

    operations = [
        migrations.AlterField('inmate', 'uid', models.UUIDField(default=core.ids.uuid7, editable=False, unique=True, verbose_name='identifiant global')),
        migrations.AlterField('custody', 'uid', models.UUIDField(default=core.ids.uuid7, editable=False, unique=True, verbose_name='identifiant global')),
        migrations.AlterField('release', 'uid', models.UUIDField(default=core.ids.uuid7, editable=False, unique=True, verbose_name='identifiant global')),
        migrations.AlterField('transfer', 'uid', models.UUIDField(default=core.ids.uuid7, editable=False, unique=True, verbose_name='identifiant global')),
        migrations.AlterField('relative', 'uid', models.UUIDField(default=core.ids.uuid7, editable=False, unique=True, verbose_name='identifiant global')),
        migrations.AlterField('alias', 'uid', models.UUIDField(default=core.ids.uuid7, editable=False, unique=True, verbose_name='identifiant global')),
        migrations.AlterField('deathincustody', 'uid', models.UUIDField(default=core.ids.uuid7, editable=False, unique=True, verbose_name='identifiant global')),
        migrations.AlterField('placement', 'uid', models.UUIDField(default=core.ids.uuid7, editable=False, unique=True, verbose_name='identifiant global')),
        migrations.AlterField('priorcustody', 'uid', models.UUIDField(default=core.ids.uuid7, editable=False, unique=True, verbose_name='identifiant global')),
        migrations.AlterField('socialprofile', 'uid', models.UUIDField(default=core.ids.uuid7, editable=False, unique=True, verbose_name='identifiant global')),
    ]
