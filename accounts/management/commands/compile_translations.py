"""Compile the .po catalogues: Django's compilemessages when gettext is installed,
otherwise pure Python (polib), so that a fresh machine with only Python can run the product."""

import shutil
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile translation catalogues (locale/*/LC_MESSAGES/*.po -> .mo)."

    def handle(self, *args, **options):
        if shutil.which("msgfmt"):
            call_command("compilemessages", verbosity=0, ignore_patterns=[".venv/*"])
            self.stdout.write("Translations compiled (msgfmt).")
            return
        import polib

        count = 0
        for locale_dir in settings.LOCALE_PATHS:
            for po_path in Path(locale_dir).glob("*/LC_MESSAGES/*.po"):
                polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))
                count += 1
        self.stdout.write(f"Translations compiled (polib): {count} catalogue(s).")
