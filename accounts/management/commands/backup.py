from django.core.management.base import BaseCommand, CommandError

from accounts.backup import BackupError, create_backup


class Command(BaseCommand):
    help = ("Sauvegarde la base (pg_dump format custom, ou l'API de sauvegarde de SQLite), les fichiers "
            "privés et le fichier des points de contrôle du journal d'audit dans une archive horodatée "
            "(BACKUP_DIR, par défaut backups/).")

    def add_arguments(self, parser):
        parser.add_argument("--directory", help="dossier de destination (par défaut BACKUP_DIR)")

    def handle(self, *args, **options):
        try:
            archive = create_backup(directory=options["directory"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Sauvegarde écrite : {archive}")
