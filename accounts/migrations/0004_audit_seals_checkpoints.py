"""The sealed audit chain: entries carry a keyed digest of their own content and are written
without a lock; seals chain them in seal order; checkpoints record the chain head.

Entries already written keep their unkeyed, entry-to-entry chain (`prev_hash`) and are marked
legacy (digest_scheme 1); the sealer seals them too, with their keyed digest. Adding the
columns rewrites no row (PostgreSQL fills defaults without UPDATE, so no trigger fires)."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_audit_append_only'),
    ]

    operations = [
        migrations.CreateModel(
            name='AuditCheckpoint',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='date et heure')),
                ('seal_count', models.PositiveBigIntegerField(verbose_name='nombre de sceaux')),
                ('last_seal_id', models.BigIntegerField(verbose_name='dernier sceau')),
                ('head_hash', models.CharField(max_length=64)),
                ('key_id', models.CharField(max_length=16)),
                ('signature', models.CharField(max_length=64)),
            ],
            options={
                'verbose_name': "point de contrôle du journal d'audit",
                'verbose_name_plural': "points de contrôle du journal d'audit",
                'default_permissions': ('view',),
            },
        ),
        migrations.AddField(
            model_name='auditentry',
            name='digest_scheme',
            field=models.PositiveSmallIntegerField(choices=[(1, 'legacy'), (2, 'keyed')], default=1),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name='auditentry',
            name='digest_scheme',
            field=models.PositiveSmallIntegerField(choices=[(1, 'legacy'), (2, 'keyed')], default=2),
        ),
        migrations.AddField(
            model_name='auditentry',
            name='restricted_changes',
            field=models.JSONField(blank=True, default=dict, verbose_name='modifications à diffusion restreinte'),
        ),
        migrations.CreateModel(
            name='AuditSeal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveBigIntegerField(unique=True, verbose_name='rang')),
                ('entry_hash', models.CharField(max_length=64)),
                ('prev_hash', models.CharField(blank=True, max_length=64)),
                ('chain_hash', models.CharField(max_length=64)),
                ('sealed_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='scellée le')),
                ('entry', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='seal', to='accounts.auditentry', verbose_name='entrée')),
            ],
            options={
                'verbose_name': "sceau du journal d'audit",
                'verbose_name_plural': "sceaux du journal d'audit",
                'default_permissions': ('view',),
            },
        ),
    ]
