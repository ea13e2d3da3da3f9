from django.core.management.base import BaseCommand

from oversight.reports import write_occupancy_snapshots


class Command(BaseCommand):
    help = ("Enregistre le relevé d'occupation du jour (national et par établissement). "
            "Idempotent : relancé le même jour, il réécrit le relevé.")

    def handle(self, *args, **options):
        written = write_occupancy_snapshots()
        self.stdout.write(f"{written} relevé(s) d'occupation enregistré(s).")
