"""Source strings are written in French: the French catalogue maps each to itself, so that
it is complete by construction; the English catalogue carries the translations."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Fill locale/fr with msgstr = msgid for every entry (French is the source language)."

    def handle(self, *args, **options):
        import polib

        for locale_dir in settings.LOCALE_PATHS:
            for po_path in Path(locale_dir).glob("fr/LC_MESSAGES/*.po"):
                catalogue = polib.pofile(str(po_path))
                for entry in catalogue:
                    if entry.msgid_plural:
                        entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
                    else:
                        entry.msgstr = entry.msgid
                    if "fuzzy" in entry.flags:
                        entry.flags.remove("fuzzy")
                catalogue.save()
                self.stdout.write(f"{po_path}: {len(catalogue)} entrées")
