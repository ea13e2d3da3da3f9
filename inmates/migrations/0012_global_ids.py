"""Global ids (issue 12): every record that travels between a prison's server and the national
server gets a `uid` (UUIDv7), made here for the existing records in id order."""

from django.db import migrations, models

import core.ids

MODELS = ['inmate', 'custody', 'release', 'transfer', 'relative', 'alias', 'deathincustody', 'placement', 'priorcustody', 'socialprofile']


def fill(apps, schema_editor):
    for name in MODELS:
        model = apps.get_model("inmates", name)
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
    dependencies = [("inmates", "0011_release_legal_status")]

    operations = [
        migrations.AddField('inmate', 'uid', models.UUIDField(editable=False, null=True, verbose_name='identifiant global')),
        migrations.AddField('custody', 'uid', models.UUIDField(editable=False, null=True, verbose_name='identifiant global')),
        migrations.AddField('release', 'uid', models.UUIDField(editable=False, null=True, verbose_name='identifiant global')),
        migrations.AddField('transfer', 'uid', models.UUIDField(editable=False, null=True, verbose_name='identifiant global')),
        migrations.AddField('relative', 'uid', models.UUIDField(editable=False, null=True, verbose_name='identifiant global')),
        migrations.AddField('alias', 'uid', models.UUIDField(editable=False, null=True, verbose_name='identifiant global')),
        migrations.AddField('deathincustody', 'uid', models.UUIDField(editable=False, null=True, verbose_name='identifiant global')),
        migrations.AddField('placement', 'uid', models.UUIDField(editable=False, null=True, verbose_name='identifiant global')),
        migrations.AddField('priorcustody', 'uid', models.UUIDField(editable=False, null=True, verbose_name='identifiant global')),
        migrations.AddField('socialprofile', 'uid', models.UUIDField(editable=False, null=True, verbose_name='identifiant global')),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
