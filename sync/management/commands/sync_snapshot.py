"""At a prison: put every record it owns in the outbox (the first exchange of a prison whose records
predate its own server, or were written in bulk)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sync.snapshot import enqueue_owned


class Command(BaseCommand):
    help = "Met dans la file d'envoi tous les enregistrements tenus par cet établissement (premier échange)."

    def handle(self, *args, **options):
        if settings.SITE_MODE != "prison":
            raise CommandError("SITE_MODE=prison seulement.")
        self.stdout.write(f"{enqueue_owned()} actions en file d'envoi")
