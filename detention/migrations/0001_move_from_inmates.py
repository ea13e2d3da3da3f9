import detention.models
import django.db.models.deletion
import prisons.dates
from django.conf import settings
from django.db import migrations, models

from accounts.rolesync import sync_role_groups

# The models that moved, by their content-type model name.
MOVED = ("classification", "cellleader", "facilityvisitingrule", "visitor", "visit", "complaint", "activity",
         "enrolment", "familynotification")


def _relabel(apps, source, target):
    """Rename the content types in place: their ids do not change, so the audit entries
    (target_type, part of each entry's sealed digest) and the permissions (and the groups
    holding them) keep pointing at the same rows."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    clash = ContentType.objects.filter(app_label=target, model__in=MOVED)
    if clash.filter(model__in=ContentType.objects.filter(app_label=source).values("model")).exists():
        raise RuntimeError(f"content types {target}.* already exist beside {source}.*: merge them by hand")
    ContentType.objects.filter(app_label=source, model__in=MOVED).update(app_label=target)
    ContentType.objects.clear_cache()


def move_content_types(apps, schema_editor):
    _relabel(apps, "inmates", "detention")


def move_content_types_back(apps, schema_editor):
    _relabel(apps, "detention", "inmates")


class Migration(migrations.Migration):
    """Life inside, taken over from `inmates` (issue 18): the models are created in state only,
    on their existing tables; then their content types are relabelled and the roles resynced
    (ROLE_PERMISSIONS now names `detention.*`)."""

    initial = True

    dependencies = [
        ('inmates', '0008_move_life_inside_to_detention'),
        ('prisons', '0003_rules_unit_category'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
        migrations.CreateModel(
            name='Activity',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=120, verbose_name='nom')),
                ('kind', models.CharField(choices=[('tailoring', 'Atelier de couture'), ('mechanics', 'Atelier de mécanique'), ('farm', 'Jardin / parcelle agricole'), ('kitchen', 'Cuisine'), ('library', 'Bibliothèque'), ('mosque', 'Mosquée'), ('church', 'Église'), ('schooling', 'Scolarité / alphabétisation'), ('training', 'Formation professionnelle'), ('sport', 'Sport'), ('other', 'Autre')], max_length=10, verbose_name='type')),
                ('open_to_regimes', models.JSONField(blank=True, default=list, help_text='Régimes des unités dont les détenus peuvent participer.', verbose_name='régimes admis')),
                ('open_to_untried', models.BooleanField(default=True, verbose_name='ouverte aux prévenus')),
                ('open_to_convicted', models.BooleanField(default=True, verbose_name='ouverte aux condamnés')),
                ('open_to_terrorism_related', models.BooleanField(default=False, verbose_name='ouverte aux personnes poursuivies ou condamnées pour terrorisme')),
                ('capacity', models.PositiveIntegerField(blank=True, null=True, verbose_name='places')),
                ('is_active', models.BooleanField(default=True, verbose_name='en service')),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='créée par')),
                ('facility', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='activities', to='prisons.facility', verbose_name='établissement')),
            ],
            options={
                'verbose_name': 'activité',
                'verbose_name_plural': 'activités',
                'db_table': 'inmates_activity',
                'ordering': ['facility__name', 'name'],
            },
        ),
        migrations.CreateModel(
            name='CellLeader',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('started_at', models.DateTimeField(validators=[prisons.dates.validate_past_date], verbose_name='depuis le')),
                ('ended_at', models.DateTimeField(blank=True, null=True, validators=[prisons.dates.validate_past_date], verbose_name="jusqu'au")),
                ('end_reason', models.CharField(blank=True, max_length=200, verbose_name='motif de fin')),
                ('agreement_noted', models.BooleanField(default=False, help_text="Choisi par les détenus de la cellule, avec l'accord du personnel.", verbose_name='accord du personnel constaté')),
                ('agreement_notes', models.TextField(blank=True, verbose_name='comment le choix a été fait')),
                ('appointed_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='désigné par')),
                ('custody', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='cell_leaderships', to='inmates.custody', verbose_name='séjour')),
                ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='cell_leaders', to='prisons.unit', verbose_name='unité / cellule')),
            ],
            options={
                'verbose_name': 'chef de cellule',
                'verbose_name_plural': 'chefs de cellule',
                'db_table': 'inmates_cellleader',
                'ordering': ['-started_at'],
            },
        ),
        migrations.CreateModel(
            name='Classification',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('risk', models.CharField(choices=[('high', 'Risque élevé'), ('medium', 'Risque moyen'), ('low', 'Risque faible')], max_length=6, verbose_name='niveau de risque')),
                ('assessed_on', models.DateField(validators=[prisons.dates.validate_past_date], verbose_name='évalué le')),
                ('reasons', models.TextField(verbose_name="motifs de l'évaluation individuelle")),
                ('next_review_on', models.DateField(validators=[prisons.dates.validate_scheduled_date], verbose_name='prochaine révision le')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('assessed_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='évaluateur')),
                ('custody', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='classifications', to='inmates.custody', verbose_name='séjour')),
            ],
            options={
                'verbose_name': 'classement de sécurité',
                'verbose_name_plural': 'classements de sécurité',
                'db_table': 'inmates_classification',
                'ordering': ['-assessed_on', '-id'],
            },
        ),
        migrations.CreateModel(
            name='Complaint',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('complainant_kind', models.CharField(choices=[('detainee', 'Le détenu lui-même'), ('relative', 'Un proche'), ('lawyer', 'Son avocat'), ('cell_leader', 'Le chef de cellule')], max_length=12, verbose_name='déposée par')),
                ('complainant_name', models.CharField(blank=True, max_length=160, verbose_name="nom de l'auteur (si autre que le détenu)")),
                ('channel', models.CharField(choices=[('oral', 'Oralement, à un agent'), ('written', 'Par écrit'), ('box', 'Boîte aux plaintes'), ('audience', 'Audience du directeur'), ('inspection', "Lors d'une inspection / visite extérieure")], max_length=10, verbose_name='voie')),
                ('subject', models.CharField(max_length=200, verbose_name='objet')),
                ('details', models.TextField(verbose_name='exposé')),
                ('is_confidential', models.BooleanField(default=False, verbose_name='confidentielle')),
                ('is_allegation', models.BooleanField(default=False, verbose_name='allégation de torture ou de mauvais traitements')),
                ('received_at', models.DateTimeField(validators=[prisons.dates.validate_past_date], verbose_name='reçue le')),
                ('due_on', models.DateField(validators=[prisons.dates.validate_scheduled_date], verbose_name='réponse attendue le')),
                ('status', models.CharField(choices=[('open', 'En attente de réponse'), ('answered', 'Répondue'), ('closed', 'Close')], default='open', max_length=10, verbose_name='état')),
                ('escalated_at', models.DateTimeField(blank=True, null=True, verbose_name='signalée à la direction et à la DNAPES le')),
                ('answer', models.TextField(blank=True, verbose_name='réponse')),
                ('answered_at', models.DateTimeField(blank=True, null=True, verbose_name='répondue le')),
                ('referral_authority', models.CharField(blank=True, help_text='Procureur, juge, inspection, CNDH…', max_length=160, verbose_name='autorité saisie')),
                ('referral_reference', models.CharField(blank=True, max_length=80, verbose_name='référence de la saisine')),
                ('referred_at', models.DateTimeField(blank=True, null=True, verbose_name='transmise le')),
                ('closed_at', models.DateTimeField(blank=True, null=True, verbose_name='close le')),
                ('request_key', models.CharField(blank=True, editable=False, max_length=64, verbose_name='clé de requête')),
                ('addressed_to', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='adressée à')),
                ('answered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='répondue par')),
                ('closed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='close par')),
                ('custody', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='complaints', to='inmates.custody', verbose_name='détenu concerné')),
                ('facility', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='prisons.facility', verbose_name='établissement')),
                ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='enregistrée par')),
                ('referred_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='transmise par')),
            ],
            options={
                'verbose_name': 'requête ou plainte',
                'verbose_name_plural': 'registre des requêtes et plaintes',
                'db_table': 'inmates_complaint',
                'ordering': ['-received_at', '-id'],
                'permissions': [('view_confidential_complaint', 'Lire les plaintes confidentielles'), ('view_allegation', 'Lire les allégations de torture ou de mauvais traitements signalées')],
            },
        ),
        migrations.CreateModel(
            name='Enrolment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('started_on', models.DateField(validators=[prisons.dates.validate_scheduled_date], verbose_name='depuis le')),
                ('ended_on', models.DateField(blank=True, null=True, validators=[prisons.dates.validate_scheduled_date], verbose_name="jusqu'au")),
                ('end_reason', models.CharField(blank=True, max_length=200, verbose_name='motif de fin')),
                ('activity', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='enrolments', to='detention.activity', verbose_name='activité')),
                ('custody', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='enrolments', to='inmates.custody', verbose_name='séjour')),
                ('enrolled_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='inscrit par')),
            ],
            options={
                'verbose_name': 'inscription à une activité',
                'verbose_name_plural': 'inscriptions aux activités',
                'db_table': 'inmates_enrolment',
                'ordering': ['-started_on', '-id'],
            },
        ),
        migrations.CreateModel(
            name='FacilityVisitingRule',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('visiting_days', models.JSONField(default=detention.models.default_visiting_days, help_text='0 = lundi … 6 = dimanche.', verbose_name='jours de visite')),
                ('notes', models.TextField(blank=True, verbose_name='observations (horaires, conditions)')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='modifié le')),
                ('facility', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='visiting_rule', to='prisons.facility', verbose_name='établissement')),
                ('updated_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='modifié par')),
            ],
            options={
                'verbose_name': 'jours de visite',
                'verbose_name_plural': 'jours de visite',
                'db_table': 'inmates_facilityvisitingrule',
            },
        ),
        migrations.CreateModel(
            name='FamilyNotification',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('event', models.CharField(choices=[('admission', 'Incarcération'), ('transfer', 'Transfert'), ('illness', 'Maladie ou blessure grave'), ('death', 'Décès')], max_length=10, verbose_name='événement')),
                ('choice', models.CharField(choices=[('wishes', "La personne demande que l'on prévienne ce contact"), ('declines', "La personne ne souhaite pas que l'on prévienne sa famille"), ('not_asked', "Sans objet (décès : le plus proche parent est prévenu d'office)")], max_length=10, verbose_name='choix de la personne')),
                ('contact_name', models.CharField(blank=True, max_length=160, verbose_name='nom du contact')),
                ('contact_phone', models.CharField(blank=True, max_length=40, verbose_name='téléphone du contact')),
                ('told_at', models.DateTimeField(blank=True, null=True, validators=[prisons.dates.validate_past_date], verbose_name='prévenu le')),
                ('method', models.CharField(blank=True, choices=[('phone', 'Téléphone'), ('in_person', 'En personne'), ('letter', 'Courrier'), ('icrc', 'Par le CICR (messages Croix-Rouge)'), ('other', 'Autre')], max_length=10, verbose_name='moyen')),
                ('notes', models.TextField(blank=True, verbose_name='observations')),
                ('recorded_at', models.DateTimeField(auto_now_add=True, verbose_name='enregistré le')),
                ('custody', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='family_notifications', to='inmates.custody', verbose_name='séjour')),
                ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='enregistré par')),
                ('relative', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='inmates.relative', verbose_name='contact à prévenir')),
                ('told_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='prévenu par')),
                ('transfer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='family_notifications', to='inmates.transfer', verbose_name='transfert')),
            ],
            options={
                'verbose_name': 'information de la famille',
                'verbose_name_plural': 'informations des familles',
                'db_table': 'inmates_familynotification',
                'ordering': ['-recorded_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='Visitor',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('last_name', models.CharField(max_length=80, verbose_name='nom')),
                ('first_name', models.CharField(max_length=120, verbose_name='prénom(s)')),
                ('id_document_kind', models.CharField(choices=[('national_id', "Carte d'identité nationale"), ('nina', 'Fiche / carte NINA'), ('passport', 'Passeport'), ('consular', 'Carte consulaire'), ('professional', 'Carte professionnelle (avocat, ONG, ONU, CICR)'), ('other', 'Autre pièce')], max_length=12, verbose_name="pièce d'identité")),
                ('id_document_number', models.CharField(max_length=40, verbose_name='numéro de la pièce')),
                ('phone', models.CharField(blank=True, max_length=40, verbose_name='téléphone')),
                ('organisation', models.CharField(blank=True, max_length=120, verbose_name='organisation / barreau')),
            ],
            options={
                'verbose_name': 'visiteur',
                'verbose_name_plural': 'visiteurs',
                'db_table': 'inmates_visitor',
                'ordering': ['last_name', 'first_name'],
                'constraints': [models.UniqueConstraint(fields=('id_document_kind', 'id_document_number'), name='visitor_unique_document')],
            },
        ),
        migrations.CreateModel(
            name='Visit',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('family', 'Famille'), ('lawyer', 'Avocat'), ('religious', 'Responsable religieux'), ('icrc', 'CICR'), ('ngo', 'ONG'), ('un', 'Nations unies'), ('other', 'Autre')], max_length=10, verbose_name='qualité du visiteur')),
                ('relation', models.CharField(blank=True, max_length=80, verbose_name='lien avec le détenu')),
                ('arrived_at', models.DateTimeField(validators=[prisons.dates.validate_past_date], verbose_name='entrée')),
                ('left_at', models.DateTimeField(blank=True, null=True, validators=[prisons.dates.validate_past_date], verbose_name='sortie')),
                ('items_brought', models.TextField(blank=True, verbose_name='objets apportés (nourriture, vêtements…)')),
                ('notes', models.TextField(blank=True, verbose_name='observations')),
                ('custody', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='visits', to='inmates.custody', verbose_name='détenu visité')),
                ('facility', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='prisons.facility', verbose_name='établissement')),
                ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='enregistré par')),
                ('visitor', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='visits', to='detention.visitor', verbose_name='visiteur')),
            ],
            options={
                'verbose_name': 'visite',
                'verbose_name_plural': 'registre des visites',
                'db_table': 'inmates_visit',
                'ordering': ['-arrived_at'],
            },
        ),
        migrations.AddConstraint(
            model_name='activity',
            constraint=models.UniqueConstraint(fields=('facility', 'name'), name='activity_name_unique_in_facility'),
        ),
        migrations.AddConstraint(
            model_name='activity',
            constraint=models.CheckConstraint(condition=models.Q(('open_to_untried', True), ('open_to_convicted', True), _connector='OR'), name='activity_open_to_someone'),
        ),
        migrations.AddConstraint(
            model_name='cellleader',
            constraint=models.UniqueConstraint(condition=models.Q(('ended_at__isnull', True)), fields=('unit',), name='one_current_leader_per_unit'),
        ),
        migrations.AddConstraint(
            model_name='cellleader',
            constraint=models.CheckConstraint(condition=models.Q(('ended_at__isnull', True), ('ended_at__gte', models.F('started_at')), _connector='OR'), name='cell_leader_ends_after_start'),
        ),
        migrations.AddConstraint(
            model_name='cellleader',
            constraint=models.CheckConstraint(condition=models.Q(('agreement_noted', True)), name='cell_leader_agreement_noted'),
        ),
        migrations.AddConstraint(
            model_name='classification',
            constraint=models.CheckConstraint(condition=models.Q(('next_review_on__gt', models.F('assessed_on'))), name='classification_review_after_assessment'),
        ),
        migrations.AddConstraint(
            model_name='complaint',
            constraint=models.CheckConstraint(condition=models.Q(('is_allegation', False), ('escalated_at__isnull', False), _connector='OR'), name='allegation_is_escalated'),
        ),
        migrations.AddConstraint(
            model_name='complaint',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'closed'), _negated=True), ('is_allegation', False), ('referred_at__isnull', False), _connector='OR'), name='allegation_closed_only_after_referral'),
        ),
        migrations.AddConstraint(
            model_name='complaint',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'closed'), _negated=True), ('closed_at__isnull', False), _connector='OR'), name='complaint_closed_has_time'),
        ),
        migrations.AddConstraint(
            model_name='complaint',
            constraint=models.UniqueConstraint(condition=models.Q(('request_key', ''), _negated=True), fields=('recorded_by', 'request_key'), name='complaint_request_key_unique_per_author'),
        ),
        migrations.AddConstraint(
            model_name='enrolment',
            constraint=models.UniqueConstraint(condition=models.Q(('ended_on__isnull', True)), fields=('activity', 'custody'), name='one_current_enrolment_per_activity'),
        ),
        migrations.AddConstraint(
            model_name='enrolment',
            constraint=models.CheckConstraint(condition=models.Q(('ended_on__isnull', True), ('ended_on__gte', models.F('started_on')), _connector='OR'), name='enrolment_ends_after_start'),
        ),
        migrations.AddConstraint(
            model_name='familynotification',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('choice', 'declines'), _negated=True), ('told_at__isnull', True), _connector='OR'), name='family_not_told_against_choice'),
        ),
        migrations.AddConstraint(
            model_name='familynotification',
            constraint=models.CheckConstraint(condition=models.Q(('told_at__isnull', True), ('told_by__isnull', False), _connector='OR'), name='family_told_by_someone'),
        ),
        migrations.AddIndex(
            model_name='visit',
            index=models.Index(fields=['facility', 'arrived_at'], name='visit_facility_day_idx'),
        ),
        migrations.AddConstraint(
            model_name='visit',
            constraint=models.CheckConstraint(condition=models.Q(('left_at__isnull', True), ('left_at__gte', models.F('arrived_at')), _connector='OR'), name='visit_leaves_after_arrival'),
        ),
        ]),
        migrations.RunPython(move_content_types, move_content_types_back),
        migrations.RunPython(sync_role_groups, migrations.RunPython.noop),
    ]
