"""Global ids (issue 12): every record that travels between a prison's server and the national
server gets a `uid` (UUIDv7), made here for the existing records in id order."""

from django.db import migrations, models

import core.ids

MODELS = ['ownfilerequest']


class Migration(migrations.Migration):
    dependencies = [("oversight", "0004_inspection_and_own_file_requests")]

    operations = [
        migrations.AddField('ownfilerequest', 'uid', models.UUIDField(editable=False, null=True, verbose_name='identifiant global')),
        migrations.RunPython(core.ids.fill_global_ids("oversight", MODELS), migrations.RunPython.noop),
    ]
