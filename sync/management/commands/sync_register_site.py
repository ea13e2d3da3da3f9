"""At the national server: create or renew a prison's exchange credential (shown once)."""

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from prisons.models import Facility
from sync.national import register_site


class Command(BaseCommand):
    help = "Crée (ou renouvelle) le jeton d'échange du serveur d'un établissement ; le jeton n'est affiché qu'une fois."

    def add_arguments(self, parser):
        parser.add_argument("facility", help="code de l'établissement (ex. BKO)")
        parser.add_argument("--by", required=True, help="identifiant de l'administrateur qui le fait (audit)")
        parser.add_argument("--token-file", help="écrire le jeton dans ce fichier plutôt que l'afficher")

    def handle(self, *args, facility, by, token_file=None, **options):
        try:
            place = Facility.objects.get(code=facility)
            actor = User.objects.get(username=by)
        except (Facility.DoesNotExist, User.DoesNotExist) as exc:
            raise CommandError(str(exc)) from exc
        _site, token = register_site(place, actor=actor)
        if token_file:
            with open(token_file, "w") as handle:
                handle.write(token)
            self.stdout.write(f"{place.code}: jeton écrit dans {token_file}")
        else:
            self.stdout.write(token)
