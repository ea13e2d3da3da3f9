from django.conf import settings
from django.core.management.base import BaseCommand

from inmates.retention import apply_retention


class Command(BaseCommand):
    help = ("Archive les dossiers des personnes libérées depuis plus de "
            "RECORD_RETENTION_YEARS_AFTER_RELEASE ans (lecture seule, niveau national). "
            "Idempotent ; le journal d'audit n'est jamais supprimé.")

    def handle(self, *args, **options):
        archived = apply_retention()
        self.stdout.write(f"{archived} dossier(s) archivé(s) "
                          f"(conservation : {settings.RECORD_RETENTION_YEARS_AFTER_RELEASE} ans après la sortie).")
