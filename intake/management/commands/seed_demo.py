"""Load deterministic demo data: `manage.py seed_demo --inmates 3000 [--seed 2026] [--if-empty] [--reset]`.

The demo accounts share a published password: the command refuses to run when `DJANGO_DEBUG`
is off (production settings) unless `--allow-production` is given, and it never creates a
superuser (the demo administrator has the system administrator role and `is_staff`).

It lives in `intake`, the highest domain app, because it drives every app below it: bulk
rows through casework.demo, arrivals through the intake workflow, profiles into inmates.
"""

import random
import time

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from casework import demo
from inmates.models import Inmate
from prisons.models import Facility

ARRIVALS_MAX = 60
ALERTS_MAX_INMATES = 50_000  # beyond: a benchmark, whose sweep is timed on its own


class Command(BaseCommand):
    help = ("Charge des données de démonstration déterministes (unités, détenus, séjours, affaires) "
            "et un compte par rôle.")

    def add_arguments(self, parser):
        parser.add_argument("--inmates", type=int, default=3000, help="Nombre de détenus à créer.")
        parser.add_argument("--seed", type=int, default=2026, help="Graine (même graine → mêmes données).")
        parser.add_argument("--if-empty", action="store_true",
                            help="Ne rien charger s'il existe déjà des détenus (comptes assurés).")
        parser.add_argument("--reset", action="store_true",
                            help="Supprimer d'abord les données de détenus existantes.")
        parser.add_argument("--allow-production", action="store_true",
                            help="Charger aussi quand DJANGO_DEBUG est désactivé (réglages de "
                                 "production) : les comptes de démonstration ont un mot de passe publié.")
        parser.add_argument("--no-alerts", action="store_true",
                            help="Ne pas calculer les échéances et alertes après le chargement "
                                 f"(jamais calculées au-delà de {ALERTS_MAX_INMATES} détenus : "
                                 "lancer alors flag_overdue_detentions).")

    def handle(self, *args, inmates, seed, if_empty, reset, no_alerts, allow_production=False, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "DJANGO_DEBUG est désactivé (réglages de production) : seed_demo crée des comptes "
                "dont le mot de passe est publié. Refusé ; relancer avec --allow-production pour "
                "charger quand même les données de démonstration.")
        if inmates < 0:
            raise CommandError("--inmates doit être positif ou nul.")
        if if_empty and reset:
            raise CommandError("--if-empty et --reset sont incompatibles.")
        start = time.monotonic()
        log = self.stdout.write

        phase = time.monotonic()
        accounts = demo.ensure_accounts()
        log(f"Comptes de démonstration vérifiés ({time.monotonic() - phase:.1f} s)")

        if if_empty and Inmate.objects.exists():
            log("Des détenus existent déjà : aucune donnée chargée (--if-empty).")
        else:
            if reset:
                phase = time.monotonic()
                tables = demo.reset_demo_data()
                log(f"Données supprimées ({len(tables)} tables) ({time.monotonic() - phase:.1f} s)")
            clerks = self._arrival_clerks()
            arrivals = min(ARRIVALS_MAX, round(inmates * 0.025) or 1, inmates) if clerks else 0
            counts = demo.seed(inmates - arrivals, seed=seed, log=log)
            counts["arrivals"] = self._register_arrivals(arrivals, seed, clerks)
            counts["profiles"] = seed_social_profiles(seed)
            demo.audit_seed(counts, seed=seed, reset=reset)
            if not no_alerts and inmates <= ALERTS_MAX_INMATES:
                self._sweep_alerts()
            names = {m.__name__: m._meta.verbose_name_plural for m in demo.DETAINEE_MODELS}
            names["arrivals"] = "arrivées en cours d'écrou"
            names["profiles"] = "profils sociaux (affaires liées au terrorisme)"
            log("Lignes créées : " + ", ".join(
                f"{names.get(name, name)} {count}" for name, count in counts.items()))

        self._print_accounts(accounts)
        log(self.style.SUCCESS(f"Terminé en {time.monotonic() - start:.1f} s."))

    @staticmethod
    def _arrival_clerks():
        """{facility code: (facility, clerk)} for the arrivals, or None when the intake workflow
        is not installed or a demo clerk may not register arrivals in their prison."""
        if not apps.is_installed("intake"):
            return None
        clerks = {}
        for code, username in (("BKO", "greffe.bamako"), ("KLK", "greffe.koulikoro")):
            facility = Facility.objects.filter(code=code).first()
            user = User.objects.filter(username=username, is_active=True).first()
            if facility is None or user is None or not user.has_perm("intake.add_intake"):
                return None
            visible = user.visible_facility_ids()
            if visible is not None and facility.pk not in visible:
                return None
            clerks[code] = (facility, user)
        return clerks

    def _register_arrivals(self, count, seed, clerks):
        """People still in intake arrive through the real workflow (warrant → intake, no step
        done yet), so that the intake pages show them; a few dozen at most."""
        if not count:
            return 0
        from intake.services import register_arrival

        start = time.monotonic()
        for code, warrant in demo.arrival_warrants(count, seed=seed):
            facility, clerk = clerks[code]
            register_arrival(warrant, facility=facility, actor=clerk)
        self.stdout.write(f"Arrivées en cours d'écrou (workflow d'écrou) : {count} "
                          f"({time.monotonic() - start:.1f} s)")
        return count

    def _sweep_alerts(self):
        """Deadlines and alerts computed at once, as the nightly job would (demo sizes only)."""
        from casework.sweep import sweep

        start = time.monotonic()
        result = sweep()
        self.stdout.write(f"Échéances recalculées : {result.refreshed} ; alertes ouvertes : "
                          f"{result.total_opened} ({time.monotonic() - start:.1f} s)")

    def _print_accounts(self, accounts):
        header = ("Identifiant", "Rôle", "Établissements", "Mot de passe")
        rows = [(u, r, f, demo.DEMO_PASSWORD if created
                 else f"{demo.DEMO_PASSWORD} (compte existant, sauf s'il a été changé)")
                for u, r, f, created in accounts]
        widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(4)]
        line = "+-" + "-+-".join("-" * w for w in widths) + "-+"
        self.stdout.write("")
        self.stdout.write("Comptes de démonstration :")
        self.stdout.write(line)
        for i, row in enumerate([header, *rows]):
            self.stdout.write("| " + " | ".join(str(v).ljust(w) for v, w in zip(row, widths)) + " |")
            if i == 0:
                self.stdout.write(line)
        self.stdout.write(line)


# Demo distributions for the profiles of terrorism-related detainees, loosely after the
# 2020 field study of 30 VEOs in Malian prisons (DESIGN.md §5). Demo data, not statistics.
_PROFILE_CHOICES = {
    "ethnic_group": [("peul", 30), ("touareg", 25), ("songhai", 15), ("arabe", 12),
                     ("bambara", 8), ("dogon", 5), ("bozo", 3), ("soninke", 2)],
    "education": [("koranic", 45), ("none", 20), ("primary", 20), ("secondary", 10), ("higher", 5)],
    "marital_status": [("married", 55), ("polygamous", 10), ("single", 30), ("divorced", 3), ("widowed", 2)],
    "occupation": [("herder", 35), ("farmer", 20), ("trader", 15), ("driver", 8), ("koranic_teacher", 7),
                   ("student", 5), ("unemployed", 10)],
    "involvement": [("voluntary", 40), ("forced", 15), ("denies", 35), ("unclear", 10)],
    "organisational_role": [("fighter", 35), ("logistics", 15), ("informant", 10),
                            ("recruiter", 5), ("leader", 5), ("none_known", 30)],
}
_AFFILIATIONS = [("mnla", 25), ("ansar_dine", 20), ("jnim", 20), ("aqim", 10), ("islamic_state", 10),
                 ("mujao", 5), ("unknown", 10)]
_REASONS = [("economic", 35), ("identity", 30), ("state_failure", 25), ("ideology", 25), ("justice", 20),
            ("survival", 20), ("ethnic_tension", 20), ("representation", 15), ("foreign_military", 10),
            ("libya", 8), ("algeria", 5)]


def _pick(rng, weighted):
    values, weights = zip(*weighted)
    return rng.choices(values, weights=weights)[0]


def seed_social_profiles(seed: int) -> int:
    """Structured profiles (as the intake interview records them) for the terrorism-related
    detainees who have none, so that the aggregate profile report has data. Bulk insert."""
    from inmates.models import Custody, SocialProfile

    rng = random.Random(seed + 7)
    inmate_ids = list(
        Custody.objects.current().filter(terrorism_related=True, inmate__social_profile__isnull=True)
        .order_by("inmate_id").values_list("inmate_id", flat=True)
    )
    rows = []
    for inmate_id in inmate_ids:
        fields = {name: _pick(rng, choices) for name, choices in _PROFILE_CHOICES.items()}
        affiliations = [_pick(rng, _AFFILIATIONS)]
        if rng.random() < 0.1:
            affiliations.append(_pick(rng, _AFFILIATIONS))
        reasons = {_pick(rng, _REASONS) for _ in range(rng.choice((1, 1, 2, 2, 3)))}
        rows.append(SocialProfile(
            inmate_id=inmate_id, religion="islam", children_count=rng.choice((0, 0, 1, 2, 3, 4, 5, 6)),
            affiliations=sorted(set(affiliations)), engagement_reasons=sorted(reasons), **fields,
        ))
    SocialProfile.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
