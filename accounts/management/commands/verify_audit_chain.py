from django.core.management.base import BaseCommand, CommandError

from accounts.chain import first_broken_entry
from accounts.models import AuditEntry


class Command(BaseCommand):
    help = "Recompute the audit trail's hash chain and report the first broken entry."

    def handle(self, *args, **options):
        broken = first_broken_entry()
        if broken is None:
            self.stdout.write(f"Journal d'audit intègre : {AuditEntry.objects.count()} entrées vérifiées.")
            return
        entry, why = broken
        detail = "lien rompu avec l'entrée précédente" if why == "prev_hash" else "contenu modifié"
        raise CommandError(
            f"Journal d'audit altéré : première entrée invalide n° {entry.pk} "
            f"({entry.at:%Y-%m-%d %H:%M:%S}, {entry.actor_name or '-'}, {entry.action}) — {detail}."
        )
