"""At a prison: one exchange with the national server now (push, then pull)."""

import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sync import prison
from sync.transport import HttpTransport


class Command(BaseCommand):
    help = "Échange maintenant avec le serveur national (envoi, puis réception)."

    def handle(self, *args, **options):
        if settings.SITE_MODE != "prison":
            raise CommandError("SITE_MODE=prison seulement.")
        try:
            outcome = prison.exchange(HttpTransport())
        except prison.LinkDown as exc:
            raise CommandError(f"serveur national injoignable : {exc}") from exc
        self.stdout.write(json.dumps(outcome))
