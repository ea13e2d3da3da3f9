from django.core.management.base import BaseCommand, CommandError

from accounts.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = ("Restaure une archive de `manage.py backup` dans une base vide (et un dossier de fichiers "
            "privés vide). Vérifiez ensuite avec `manage.py verify_audit_chain`.")
    requires_system_checks = []  # the database is empty until the archive is loaded

    def add_arguments(self, parser):
        parser.add_argument("archive", help="chemin de l'archive .tar.gz")

    def handle(self, *args, **options):
        try:
            manifest = restore_backup(options["archive"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Restauration terminée (sauvegarde {manifest['vendor']} du {manifest['created_at']}).")
