"""Seed N detainees in bulk into a benchmark database and time the oversight reports.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/oversightbench \\
        python manage.py migrate && python manage.py bench_reports --n 1000000

Refuses to seed a database whose name does not contain "bench" (never a real register).
"""

import datetime
import random
import statistics
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from inmates.models import (
    Affiliation,
    Custody,
    Education,
    EngagementReason,
    Inmate,
    Involvement,
    MaritalStatus,
    Placement,
    SocialProfile,
)
from inmates.names import name_fields
from oversight import profiles, reports
from prisons.models import Facility, Regime, Region, Unit

BATCH = 10_000
ETHNIC = ["peul", "songhai", "touareg", "arabe", "bambara", "dogon", "bozo", "soninke", "malinke", "bella"]
OCCUPATIONS = ["herder", "farmer", "trader", "koranic_student", "driver", "unemployed", "gold_miner", "fisher",
               "artisan", "koranic_teacher"]
ROLES = ["fighter", "logistics", "informant", "recruiter", "leader", "none_known"]


class Command(BaseCommand):
    help = "Peuple une base de banc d'essai avec N détenus (en masse) et chronomètre les rapports."

    def add_arguments(self, parser):
        parser.add_argument("--n", type=int, default=100_000, help="Nombre de détenus à créer.")
        parser.add_argument("--repeat", type=int, default=3, help="Nombre de mesures par rapport.")
        parser.add_argument("--reuse", action="store_true", help="Ne pas peupler : mesurer la base telle quelle.")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, n, repeat, reuse, seed, **options):
        name = str(settings.DATABASES["default"]["NAME"])
        if "bench" not in name:
            raise CommandError(f"Base « {name} » : le banc d'essai n'écrit que dans une base dont le nom "
                               "contient « bench » (DATABASE_URL=…/oversightbench).")
        if not reuse:
            started = time.perf_counter()
            self._seed(n, random.Random(seed))
            self.stdout.write(f"{n} détenus créés en {time.perf_counter() - started:.1f} s")
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
        held = Custody.objects.filter(status__in=("intake", "held")).count()
        terror = Custody.objects.filter(status__in=("intake", "held"), terrorism_related=True).count()
        self.stdout.write(f"Base {connection.vendor} « {name} » : {held} détenus présents, dont {terror} "
                          f"dans une affaire liée au terrorisme.")
        bamako = Facility.objects.get(code="BKO")
        checks = [
            ("occupation (national)", lambda: reports.occupancy()),
            ("occupation (Bamako)", lambda: reports.occupancy(facility_ids=[bamako.pk])),
            ("profils terrorisme (national)", lambda: profiles.profiles()),
            ("profils terrorisme (Bamako)", lambda: profiles.profiles(facility_ids=[bamako.pk])),
            ("séparation (national)", lambda: reports.separation()),
            ("activités (national)", lambda: reports.activities()),
            ("relevé quotidien", lambda: reports.write_occupancy_snapshots()),
        ]
        for label, fn in checks:
            times, queries = [], 0
            for _ in range(repeat):
                with CaptureQueriesContext(connection) as ctx:
                    started = time.perf_counter()
                    fn()
                    times.append(time.perf_counter() - started)
                queries = len(ctx.captured_queries)
            self.stdout.write(f"{label:32s} médiane {statistics.median(times):7.3f} s   "
                              f"min {min(times):7.3f} s   {queries} requêtes")

    def _seed(self, n, rng):
        now = timezone.now()
        facilities = list(Facility.objects.operational().order_by("pk"))
        weights = [f.official_capacity for f in facilities]
        regions = list(Region.objects.all())
        units = {}
        with transaction.atomic():
            for f in facilities:
                existing = list(Unit.objects.filter(facility=f, code__startswith="BENCH-"))
                if not existing:
                    existing = Unit.objects.bulk_create([
                        Unit(facility=f, code=f"BENCH-{i:02d}", name=f"Banc {i:02d}",
                             capacity=max(f.official_capacity // 20, 5),
                             regime=Regime.VEO if f.code == "BKO" and i < 2 else Regime.STANDARD)
                        for i in range(20)])
                units[f.pk] = existing
        terror_sites = [f for f in facilities if f.code in ("BKO", "KLK")] or facilities[:1]
        year = now.year
        done = 0
        while done < n:
            size = min(BATCH, n - done)
            with transaction.atomic():
                inmates = Inmate.objects.bulk_create([
                    Inmate(last_name=f"BANC{done + i}", first_name="Essai", sex="F" if rng.random() < 0.04 else "M",
                           birth_year=rng.randint(year - 70, year - 15),
                           region_of_origin=rng.choice(regions), **name_fields(f"BANC{done + i}", "Essai"))
                    for i in range(size)])
                custodies = []
                for inmate in inmates:
                    terror = rng.random() < 0.05
                    facility = rng.choice(terror_sites) if terror else rng.choices(facilities, weights)[0]
                    custodies.append(Custody(
                        inmate=inmate, facility=facility, status="intake" if rng.random() < 0.01 else "held",
                        admitted_at=now - datetime.timedelta(days=rng.randint(1, 1500)),
                        legal_status=rng.choices(["suspect", "charged", "convicted", "appeal"], [15, 45, 35, 5])[0],
                        terrorism_related=terror))
                Custody.objects.bulk_create(custodies)
                Placement.objects.bulk_create([
                    Placement(custody=c, unit=rng.choice(units[c.facility_id]), started_at=c.admitted_at)
                    for c in custodies if c.status == "held"])
                SocialProfile.objects.bulk_create([
                    SocialProfile(
                        inmate_id=c.inmate_id, ethnic_group=rng.choice(ETHNIC), occupation=rng.choice(OCCUPATIONS),
                        education=rng.choice(Education.values), marital_status=rng.choice(MaritalStatus.values),
                        involvement=rng.choice(Involvement.values), organisational_role=rng.choice(ROLES),
                        affiliations=rng.sample(Affiliation.values, rng.choice([1, 1, 1, 2])),
                        engagement_reasons=rng.sample(EngagementReason.values, rng.randint(0, 3)))
                    for c in custodies if c.terrorism_related])
            done += size
            if done % 100_000 == 0 or done == n:
                self.stdout.write(f"  … {done}")
