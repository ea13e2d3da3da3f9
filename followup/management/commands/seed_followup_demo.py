"""Demo data for the individual follow-up, through the services: a share of the people held are
assessed (by a social worker of their prison), some of them have a plan with an intervention and
sessions, and an enrolment from the plan is tried where an activity of the right kind exists (a
refusal by category is then recorded, as in real use). For the demo database only."""

import datetime
import random

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from detention.models import Activity
from followup import services
from followup.models import Assessment, Instrument, InterventionType
from inmates.models import Custody


class Command(BaseCommand):
    help = "Évaluations, plans et séances de démonstration (base de démonstration seulement)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=15)
        parser.add_argument("--share", type=float, default=0.4, help="part des personnes évaluées")
        parser.add_argument("--if-empty", action="store_true",
                            help="Ne rien faire si une évaluation existe déjà (make demo, relancé)")
        parser.add_argument("--allow-production", action="store_true",
                            help="Charger aussi quand DJANGO_DEBUG est désactivé")

    def handle(self, *args, seed, share, if_empty=False, allow_production=False, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError(_("DJANGO_DEBUG est désactivé (réglages de production) : données de "
                                 "démonstration refusées ; relancer avec --allow-production pour passer outre."))
        if if_empty and Assessment.objects.exists():
            self.stdout.write(_("Des évaluations existent déjà : rien à ajouter."))
            return
        rng = random.Random(seed)
        version = Instrument.objects.get(code="besoins").published()
        items = [(i.code, i.scale.values()) for d in version.domains.prefetch_related("items__scale")
                 for i in d.items.all()]
        kinds = list(InterventionType.objects.filter(is_active=True))
        today = timezone.localdate()
        counts = {"assessed": 0, "planned": 0, "sessions": 0, "refused": 0}
        workers = {}
        for custody in Custody.objects.held().exclude(needs_assessments__isnull=False).order_by("pk"):
            if rng.random() >= share:
                continue
            actor = workers.get(custody.facility_id)
            if actor is None:
                actor = User.objects.filter(groups__name=Role.SOCIAL, facilities=custody.facility_id,
                                            is_active=True).first()
                workers[custody.facility_id] = actor
            if actor is None:
                continue
            try:
                assessment = services.record_assessment(
                    custody, version=version, actor=actor, justification="Entretien individuel (démonstration).",
                    conclusion="Besoins relevés lors de l'entretien.", next_review_on=today + datetime.timedelta(180),
                    answers={code: rng.choice(values) for code, values in items})
                counts["assessed"] += 1
                if rng.random() < 0.6:
                    plan = services.draft_plan(custody, summary="Plan de démonstration", actor=actor,
                                               next_review_on=today + datetime.timedelta(90),
                                               assessment=assessment, goals=["Objectif de démonstration"],
                                               drafted_on=today - datetime.timedelta(days=30))
                    counts["planned"] += 1
                    kind = rng.choice(kinds)
                    activity = Activity.objects.filter(facility_id=custody.facility_id, is_active=True,
                                                       kind__in=kind.activity_kinds or ["-"]).first()
                    intervention = services.add_intervention(plan, kind=kind, provider_kind=kind.provider_kinds[0],
                                                             actor=actor, activity=activity)
                    for days in (20, 10):
                        services.record_session(intervention, held_on=today - datetime.timedelta(days=days),
                                                attended=rng.random() < 0.8, actor=actor)
                        counts["sessions"] += 1
                    if activity is not None:
                        try:
                            services.enrol_from_plan(intervention, actor=actor)
                        except ValidationError:
                            counts["refused"] += 1
            except (ValidationError, PermissionDenied):
                continue
        self.stdout.write(f"{counts} (évaluations existantes : {Assessment.objects.count()})")
