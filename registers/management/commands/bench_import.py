"""Time the paper-register back-fill on a whole prison: a Bamako register of N people (default 3,600),
each with a stay, a placement, a case, a charge and a detention order, checked then imported.

    make bench-import        # a fresh PostgreSQL database dnapes_bench_import, migrated, then this

Refuses a database whose name does not contain "bench" (never a real register)."""

import os
import time

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from accounts.roles import Role
from casework.models import Court
from inmates.models import Inmate
from prisons.models import Facility, Unit
from registers import sample, services
from registers.models import ImportedRecord, JobStatus

GOAL_CHECK, GOAL_IMPORT = 30, 120


class Command(BaseCommand):
    help = "Chronomètre le contrôle et l'import d'un registre d'écrou de N personnes (Bamako)."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=3600, help="Nombre de lignes du registre.")
        parser.add_argument("--facility", default="BKO")

    def handle(self, *args, rows, facility, **options):
        name = str(settings.DATABASES["default"]["NAME"])
        if "bench" not in name:
            raise CommandError(f"Base « {name} » : le banc d'essai n'écrit que dans une base dont le nom contient "
                               "« bench ».")
        site = Facility.objects.get(code=facility)
        clerk, created = User.objects.get_or_create(username="bench.greffier", defaults={"first_name": "Banc"})
        if created:
            clerk.groups.add(*Group.objects.filter(name=Role.CLERK))
            clerk.facilities.add(site)
        units = []
        for i in range(1, 21):
            unit, _ = Unit.objects.get_or_create(facility=site, code=f"BQ{i:02d}",
                                                 defaults={"name": f"Quartier banc {i}", "capacity": 200})
            units.append(unit.code)
        courts = list(Court.objects.values_list("code", flat=True)[:6])
        highest = max((int(n.rsplit("-", 1)[1]) for n in Inmate.objects.filter(
            prisoner_number__startswith=f"{site.code}-").values_list("prisoner_number", flat=True)), default=0)
        volume = f"B{int(time.time()) % 100000}"
        data = sample.sample_rows(rows, courts=courts, units=units, volume=volume, first_number=highest + 1)
        started = time.monotonic()
        content = sample.to_xlsx(data)
        write_s = time.monotonic() - started
        self.stdout.write(f"Registre de {rows} lignes généré ({len(content) // 1024} Kio) en {write_s:.1f} s.")
        job = services.upload_register_file(facility=site, content=content, name="registre-banc.xlsx", actor=clerk)
        with CaptureQueriesContext(connection) as check_queries:
            started, cpu = time.monotonic(), time.process_time()
            job = services.check_register_file(job, actor=clerk)
            check_s, check_cpu = time.monotonic() - started, time.process_time() - cpu
        self.stdout.write(f"Contrôle : {check_s:.1f} s ({check_cpu:.1f} s de processeur), {len(check_queries)} requêtes — {job.new_rows} nouvelles, "
                          f"{job.invalid_rows} invalides, {job.held_rows} doublons, {job.unchanged_rows} déjà là.")
        if job.status != JobStatus.CHECKED:
            raise CommandError(f"Contrôle en erreur : {job.row_results[:3]}")
        with CaptureQueriesContext(connection) as import_queries:
            started, cpu = time.monotonic(), time.process_time()
            # The task runs in-process on commit on the embedded default; with a broker, a worker does.
            job = services.confirm_import(job, actor=clerk)
            job.refresh_from_db()
            if job.status != JobStatus.IMPORTED:
                job = services.import_register_file(job.pk, actor=clerk)
            import_s, import_cpu = time.monotonic() - started, time.process_time() - cpu
        imported = ImportedRecord.objects.filter(job=job).count()
        self.stdout.write(f"Import : {import_s:.1f} s ({import_cpu:.1f} s de processeur), {len(import_queries) or '—'} requêtes — {imported} "
                          f"enregistrements (état : {job.get_status_display()}).")
        again = services.check_register_file(
            services.upload_register_file(facility=site, content=content, name="registre-banc.xlsx", actor=clerk),
            actor=clerk)
        self.stdout.write(f"Même fichier à nouveau : {again.unchanged_rows} déjà importées, {again.new_rows} "
                          f"nouvelles ({again.check_seconds:.1f} s).")
        verdict = "OK" if check_s <= GOAL_CHECK and import_s <= GOAL_IMPORT else "OBJECTIF MANQUÉ"
        self.stdout.write(f"{verdict} : contrôle {check_s:.1f} s (≤ {GOAL_CHECK} s), import {import_s:.1f} s "
                          f"(≤ {GOAL_IMPORT} s) sur {connection.vendor} ; charge de la machine : {os.getloadavg()[0]:.1f}.")
