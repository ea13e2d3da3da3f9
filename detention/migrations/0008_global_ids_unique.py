"""Global ids (issue 12): unique, made where each record is created."""

from django.db import migrations, models

import core.ids


class Migration(migrations.Migration):
    dependencies = [("detention", "0007_global_ids")]

    operations = [
        migrations.AlterField('activity', 'uid', models.UUIDField(default=core.ids.uuid7, editable=False, unique=True, verbose_name='identifiant global')),
        migrations.AlterField('cellleader', 'uid', models.UUIDField(default=core.ids.uuid7, editable=False, unique=True, verbose_name='identifiant global')),
        migrations.AlterField('classification', 'uid', models.UUIDField(default=core.ids.uuid7, editable=False, unique=True, verbose_name='identifiant global')),
        migrations.AlterField('complaint', 'uid', models.UUIDField(default=core.ids.uuid7, editable=False, unique=True, verbose_name='identifiant global')),
        migrations.AlterField('disciplinaryincident', 'uid', models.UUIDField(default=core.ids.uuid7, editable=False, unique=True, verbose_name='identifiant global')),
        migrations.AlterField('disciplinarycharge', 'uid', models.UUIDField(default=core.ids.uuid7, editable=False, unique=True, verbose_name='identifiant global')),
        migrations.AlterField('enrolment', 'uid', models.UUIDField(default=core.ids.uuid7, editable=False, unique=True, verbose_name='identifiant global')),
        migrations.AlterField('facilityvisitingrule', 'uid', models.UUIDField(default=core.ids.uuid7, editable=False, unique=True, verbose_name='identifiant global')),
        migrations.AlterField('familynotification', 'uid', models.UUIDField(default=core.ids.uuid7, editable=False, unique=True, verbose_name='identifiant global')),
        migrations.AlterField('seriousincident', 'uid', models.UUIDField(default=core.ids.uuid7, editable=False, unique=True, verbose_name='identifiant global')),
        migrations.AlterField('incidentinvolvement', 'uid', models.UUIDField(default=core.ids.uuid7, editable=False, unique=True, verbose_name='identifiant global')),
        migrations.AlterField('injurymedicaldetail', 'uid', models.UUIDField(default=core.ids.uuid7, editable=False, unique=True, verbose_name='identifiant global')),
        migrations.AlterField('isolationplacement', 'uid', models.UUIDField(default=core.ids.uuid7, editable=False, unique=True, verbose_name='identifiant global')),
        migrations.AlterField('isolationvisit', 'uid', models.UUIDField(default=core.ids.uuid7, editable=False, unique=True, verbose_name='identifiant global')),
        migrations.AlterField('medicalclearance', 'uid', models.UUIDField(default=core.ids.uuid7, editable=False, unique=True, verbose_name='identifiant global')),
        migrations.AlterField('search', 'uid', models.UUIDField(default=core.ids.uuid7, editable=False, unique=True, verbose_name='identifiant global')),
        migrations.AlterField('searchitem', 'uid', models.UUIDField(default=core.ids.uuid7, editable=False, unique=True, verbose_name='identifiant global')),
        migrations.AlterField('useofforce', 'uid', models.UUIDField(default=core.ids.uuid7, editable=False, unique=True, verbose_name='identifiant global')),
        migrations.AlterField('visitor', 'uid', models.UUIDField(default=core.ids.uuid7, editable=False, unique=True, verbose_name='identifiant global')),
        migrations.AlterField('visit', 'uid', models.UUIDField(default=core.ids.uuid7, editable=False, unique=True, verbose_name='identifiant global')),
    ]
