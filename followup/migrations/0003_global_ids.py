"""Global ids (issue 12): every record that travels between a prison's server and the national
server gets a `uid` (UUIDv7), made here for the existing records in id order."""

from django.db import migrations, models

import core.ids

MODELS = ['assessment', 'answer', 'reintegrationchecklist', 'checklistitem', 'committeesession', 'individualplan', 'committeedecision', 'committeemember', 'committeereview', 'goal', 'intervention', 'enrolmentrefusal', 'interventionsession', 'planreview', 'progressnote']


class Migration(migrations.Migration):
    dependencies = [("followup", "0002_starter_instrument")]

    operations = [
        migrations.AddField('assessment', 'uid', models.UUIDField(editable=False, null=True, verbose_name='identifiant global')),
        migrations.AddField('answer', 'uid', models.UUIDField(editable=False, null=True, verbose_name='identifiant global')),
        migrations.AddField('reintegrationchecklist', 'uid', models.UUIDField(editable=False, null=True, verbose_name='identifiant global')),
        migrations.AddField('checklistitem', 'uid', models.UUIDField(editable=False, null=True, verbose_name='identifiant global')),
        migrations.AddField('committeesession', 'uid', models.UUIDField(editable=False, null=True, verbose_name='identifiant global')),
        migrations.AddField('individualplan', 'uid', models.UUIDField(editable=False, null=True, verbose_name='identifiant global')),
        migrations.AddField('committeedecision', 'uid', models.UUIDField(editable=False, null=True, verbose_name='identifiant global')),
        migrations.AddField('committeemember', 'uid', models.UUIDField(editable=False, null=True, verbose_name='identifiant global')),
        migrations.AddField('committeereview', 'uid', models.UUIDField(editable=False, null=True, verbose_name='identifiant global')),
        migrations.AddField('goal', 'uid', models.UUIDField(editable=False, null=True, verbose_name='identifiant global')),
        migrations.AddField('intervention', 'uid', models.UUIDField(editable=False, null=True, verbose_name='identifiant global')),
        migrations.AddField('enrolmentrefusal', 'uid', models.UUIDField(editable=False, null=True, verbose_name='identifiant global')),
        migrations.AddField('interventionsession', 'uid', models.UUIDField(editable=False, null=True, verbose_name='identifiant global')),
        migrations.AddField('planreview', 'uid', models.UUIDField(editable=False, null=True, verbose_name='identifiant global')),
        migrations.AddField('progressnote', 'uid', models.UUIDField(editable=False, null=True, verbose_name='identifiant global')),
        migrations.RunPython(core.ids.fill_global_ids("followup", MODELS), migrations.RunPython.noop),
    ]
