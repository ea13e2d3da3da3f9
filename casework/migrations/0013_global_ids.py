"""Global ids (issue 12): every record that travels between a prison's server and the national
server gets a `uid` (UUIDv7), made here for the existing records in id order."""

from django.db import migrations, models

import core.ids

MODELS = ['case', 'charge', 'detentionorder', 'releaseorder', 'courtsubmission', 'hearing', 'judgment']


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
        migrations.RunPython(core.ids.fill_global_ids("casework", MODELS), migrations.RunPython.noop),
    ]
