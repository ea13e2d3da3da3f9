"""Global ids (issue 12): every record that travels between a prison's server and the national
server gets a `uid` (UUIDv7), made here for the existing records in id order."""

from django.db import migrations, models

import core.ids

MODELS = ['intake', 'administrationrecord', 'fingerprint', 'interviewrecord', 'medicalexamination', 'presentation', 'registryrecord', 'propertyitem', 'securitycheck', 'steprecord']


def fill(apps, schema_editor):
    for name in MODELS:
        model = apps.get_model("intake", name)
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
    dependencies = [("intake", "0006_record_presentation_roles")]

    operations = [
        migrations.AddField('intake', 'uid', models.UUIDField(editable=False, null=True, verbose_name='identifiant global')),
        migrations.AddField('administrationrecord', 'uid', models.UUIDField(editable=False, null=True, verbose_name='identifiant global')),
        migrations.AddField('fingerprint', 'uid', models.UUIDField(editable=False, null=True, verbose_name='identifiant global')),
        migrations.AddField('interviewrecord', 'uid', models.UUIDField(editable=False, null=True, verbose_name='identifiant global')),
        migrations.AddField('medicalexamination', 'uid', models.UUIDField(editable=False, null=True, verbose_name='identifiant global')),
        migrations.AddField('presentation', 'uid', models.UUIDField(editable=False, null=True, verbose_name='identifiant global')),
        migrations.AddField('registryrecord', 'uid', models.UUIDField(editable=False, null=True, verbose_name='identifiant global')),
        migrations.AddField('propertyitem', 'uid', models.UUIDField(editable=False, null=True, verbose_name='identifiant global')),
        migrations.AddField('securitycheck', 'uid', models.UUIDField(editable=False, null=True, verbose_name='identifiant global')),
        migrations.AddField('steprecord', 'uid', models.UUIDField(editable=False, null=True, verbose_name='identifiant global')),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
