"""Run the nightly deadline job by hand (the same service as the Celery beat task)."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from casework.deadlines.alerts import run_nightly
from casework.deadlines.recompute import recompute
from casework.deadlines.sweep import sweep


class Command(BaseCommand):
    help = ("Recalcule les échéances de détention provisoire et met à jour les alertes "
            "(même service que la tâche nocturne).")

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Jour de référence (AAAA-MM-JJ), aujourd'hui par défaut.")
        parser.add_argument("--sweep-only", action="store_true",
                            help="Seulement les alertes : ni instantané du bilan, ni courriel.")
        parser.add_argument("--full", action="store_true",
                            help="Balayage complet : toutes les échéances recalculées, toutes les affaires "
                                 "balayées (le filet de sécurité hebdomadaire), puis seulement les alertes.")

    def handle(self, *args, **options):
        today = None
        if options["date"]:
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError("Date invalide : utilisez le format AAAA-MM-JJ.") from exc
        if options["full"]:
            run = recompute(everything=True, today=today)
            summary = {"day": run.day.isoformat(), "opened": run.opened, "closed": run.closed, "refreshed": run.done}
        elif options["sweep_only"]:
            result = sweep(today=today)
            summary = {"day": result.today.isoformat(), "opened": result.total_opened,
                       "closed": result.total_closed, "refreshed": result.refreshed}
        else:
            summary = run_nightly(today)
        self.stdout.write(
            "{day} : {refreshed} échéance(s) recalculée(s), {opened} alerte(s) ouverte(s), "
            "{closed} close(s)".format(**summary)
        )
