"""Global ids (issue 12): every record that travels between a prison's server and the national
server gets a `uid` (UUIDv7), made here for the existing records in id order."""

from django.db import migrations, models

import core.ids

MODELS = ['assessment', 'answer', 'reintegrationchecklist', 'checklistitem', 'committeesession', 'individualplan', 'committeedecision', 'committeemember', 'committeereview', 'goal', 'intervention', 'enrolmentrefusal', 'interventionsession', 'planreview', 'progressnote']


def fill(apps, schema_editor):
    for name in MODELS:
        model = apps.get_model("followup", name)
        batch = []
        for row in model.objects.filter(uid__isnull=True).only("pk").order_by("pk").iterator(chunk_size=2000):
            row.uid = core.ids.uuid7()
            batch.append(row)
            if len(batch) >= 2000:
                model.objects.bulk_update(batch, ["uid"])
                batch = []
        if batch:
            model.objects.bulk_update(batch, ["uid"])


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
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
