"""Global ids (issue 12): unique, made where each record is created."""

from django.db import migrations, models

import core.ids


class Migration(migrations.Migration):
    dependencies = [("intake", "0007_global_ids")]

    operations = [
        migrations.AlterField('intake', 'uid', models.UUIDField(default=core.ids.uuid7, editable=False, unique=True, verbose_name='identifiant global')),
        migrations.AlterField('administrationrecord', 'uid', models.UUIDField(default=core.ids.uuid7, editable=False, unique=True, verbose_name='identifiant global')),
        migrations.AlterField('fingerprint', 'uid', models.UUIDField(default=core.ids.uuid7, editable=False, unique=True, verbose_name='identifiant global')),
        migrations.AlterField('interviewrecord', 'uid', models.UUIDField(default=core.ids.uuid7, editable=False, unique=True, verbose_name='identifiant global')),
        migrations.AlterField('medicalexamination', 'uid', models.UUIDField(default=core.ids.uuid7, editable=False, unique=True, verbose_name='identifiant global')),
        migrations.AlterField('presentation', 'uid', models.UUIDField(default=core.ids.uuid7, editable=False, unique=True, verbose_name='identifiant global')),
        migrations.AlterField('registryrecord', 'uid', models.UUIDField(default=core.ids.uuid7, editable=False, unique=True, verbose_name='identifiant global')),
        migrations.AlterField('propertyitem', 'uid', models.UUIDField(default=core.ids.uuid7, editable=False, unique=True, verbose_name='identifiant global')),
        migrations.AlterField('securitycheck', 'uid', models.UUIDField(default=core.ids.uuid7, editable=False, unique=True, verbose_name='identifiant global')),
        migrations.AlterField('steprecord', 'uid', models.UUIDField(default=core.ids.uuid7, editable=False, unique=True, verbose_name='identifiant global')),
    ]
