"""Load deterministic demo data: `manage.py seed_demo --inmates 3000 [--seed 2026] [--if-empty] [--reset]`."""

import time

from django.core.management.base import BaseCommand, CommandError

from casework import demo
from inmates.models import Inmate


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

    def handle(self, *args, inmates, seed, if_empty, reset, **options):
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
            counts = demo.seed(inmates, seed=seed, log=log)
            demo.audit_seed(counts, seed=seed, reset=reset)
            log("Lignes créées : " + ", ".join(f"{name} {count}" for name, count in counts.items()))

        self._print_accounts(accounts)
        log(self.style.SUCCESS(f"Terminé en {time.monotonic() - start:.1f} s."))

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
