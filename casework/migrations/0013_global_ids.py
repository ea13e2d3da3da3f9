"""Global ids (issue 12): every record that travels between a prison's server and the national
server gets a `uid` (UUIDv7), made here for the existing records in id order."""

from django.db import migrations, models

import core.ids

MODELS = ['case', 'charge', 'detentionorder', 'releaseorder', 'courtsubmission', 'hearing', 'judgment']


def fill(apps, schema_editor):
    for name in MODELS:
        model = apps.get_model("casework", name)
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
    dependencies = [("casework", "0012_court_portal")]

    operations = [
        migrations.AddField('case', 'uid', models.UUIDField(editable=False, null=True, verbose_name='identifiant global')),
        migrations.AddField('charge', 'uid', models.UUIDField(editable=False, null=True, verbose_name='identifiant global')),
        migrations.AddField('detentionorder', 'uid', models.UUIDField(editable=False, null=True, verbose_name='identifiant global')),
        migrations.AddField('releaseorder', 'uid', models.UUIDField(editable=False, null=True, verbose_name='identifiant global')),
        migrations.AddField('courtsubmission', 'uid', models.UUIDField(editable=False, null=True, verbose_name='identifiant global')),
        migrations.AddField('hearing', 'uid', models.UUIDField(editable=False, null=True, verbose_name='identifiant global')),
        migrations.AddField('judgment', 'uid', models.UUIDField(editable=False, null=True, verbose_name='identifiant global')),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
