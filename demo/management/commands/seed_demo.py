"""Load deterministic demo data: `manage.py seed_demo --inmates 3000 [--seed 2026] [--if-empty] [--reset]`.

The demo accounts share a published password: the command refuses to run when `DJANGO_DEBUG`
is off (production settings) unless `--allow-production` is given, and it never creates a
superuser (the demo administrator has the system administrator role and `is_staff`).

It lives in `demo`, the top layer, because it drives every app below it: bulk rows through
the generator, arrivals through the intake workflow, deadlines through the sweep.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from casework.deadlines.sweep import sweep
from demo import accounts as demo_accounts
from demo.arrivals import arrival_warrants
from demo.load import audit_seed, reset_demo_data
from demo.load import seed as seed_people
from demo.profiles import seed_social_profiles
from demo.rows import DETAINEE_MODELS
from inmates.models import Inmate
from intake.services import register_arrival
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
        accounts = demo_accounts.ensure_accounts()
        log(f"Comptes de démonstration vérifiés ({time.monotonic() - phase:.1f} s)")

        if if_empty and Inmate.objects.exists():
            log("Des détenus existent déjà : aucune donnée chargée (--if-empty).")
        else:
            if reset:
                phase = time.monotonic()
                tables = reset_demo_data()
                log(f"Données supprimées ({len(tables)} tables) ({time.monotonic() - phase:.1f} s)")
            clerks = self._arrival_clerks()
            arrivals = min(ARRIVALS_MAX, round(inmates * 0.025) or 1, inmates) if clerks else 0
            counts = seed_people(inmates - arrivals, seed=seed, log=log)
            counts["arrivals"] = self._register_arrivals(arrivals, seed, clerks)
            counts["profiles"] = seed_social_profiles(seed)
            audit_seed(counts, seed=seed, reset=reset)
            if not no_alerts and inmates <= ALERTS_MAX_INMATES:
                self._sweep_alerts()
            names = {m.__name__: m._meta.verbose_name_plural for m in DETAINEE_MODELS}
            names["arrivals"] = "arrivées en cours d'écrou"
            names["profiles"] = "profils sociaux (affaires liées au terrorisme)"
            log("Lignes créées : " + ", ".join(
                f"{names.get(name, name)} {count}" for name, count in counts.items()))

        self._print_accounts(accounts)
        log(self.style.SUCCESS(f"Terminé en {time.monotonic() - start:.1f} s."))

    @staticmethod
    def _arrival_clerks():
        """{facility code: (facility, clerk)} for the arrivals, or None when a demo clerk may not
        register arrivals in their prison (an administrator changed the account)."""
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
        start = time.monotonic()
        for code, warrant in arrival_warrants(count, seed=seed):
            facility, clerk = clerks[code]
            register_arrival(warrant, facility=facility, actor=clerk)
        self.stdout.write(f"Arrivées en cours d'écrou (workflow d'écrou) : {count} "
                          f"({time.monotonic() - start:.1f} s)")
        return count

    def _sweep_alerts(self):
        """Deadlines and alerts computed at once, as the nightly job would (demo sizes only)."""
        start = time.monotonic()
        result = sweep()
        self.stdout.write(f"Échéances recalculées : {result.refreshed} ; alertes ouvertes : "
                          f"{result.total_opened} ({time.monotonic() - start:.1f} s)")

    def _print_accounts(self, accounts):
        header = ("Identifiant", "Rôle", "Établissements", "Mot de passe")
        rows = [(u, r, f, demo_accounts.DEMO_PASSWORD if created
                 else f"{demo_accounts.DEMO_PASSWORD} (compte existant, sauf s'il a été changé)")
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
