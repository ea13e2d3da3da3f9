"""Time duplicate-candidate matching on a large register.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/intakebench \\
        python manage.py migrate && python manage.py bench_matching --n 1000000

Seeds (or reuses) N synthetic people with Malian names, spellings varied, then times
`inmates.matching.find_candidates` for a set of queries typed the way clerks type them.
Never run it against a real database: it inserts rows.
"""

import csv
import io
import random
import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from inmates.matching import _VARIANT_GROUPS, find_candidates
from inmates.models import Inmate
from inmates.names import name_fields
from prisons.models import Region

GIVEN = [v for k in ("mohamed", "mamadou", "moussa", "abdoulaye", "boubacar", "ousmane", "ibrahim",
                     "souleymane", "aliou", "seydou", "youssouf") for v in _VARIANT_GROUPS[k][:4]] + [
    "Adama", "Bakary", "Drissa", "Lassana", "Modibo", "Oumar", "Sidi", "Hamidou", "Issa", "Yaya",
    "Sekou", "Tiemoko", "Amadou", "Hama", "Sory", "Bréhima", "Salif", "Kalifa", "Daouda", "Idrissa",
]
GIVEN_F = ["Aminata", "Fatoumata", "Aïssata", "Mariam", "Kadiatou", "Oumou", "Rokia", "Hawa", "Awa",
           "Djeneba", "Salimata", "Assétou"]
SURNAMES = [
    "Traoré", "Traore", "Coulibaly", "Kulibali", "Diarra", "Keïta", "Keita", "Touré", "Toure",
    "Cissé", "Diallo", "Konaté", "Sangaré", "Dicko", "Maïga", "Maiga", "Dembélé", "Sidibé",
    "Kanté", "Bagayoko", "Sissoko", "Doumbia", "Camara", "Kone", "Koné", "Samaké", "Tounkara",
    "Guindo", "Dolo", "Togo", "Ag Ghaly", "Ag Intalla", "Ould Sidi", "Ould Mohamed", "Ag Acharatoumane",
    "Haidara", "Tall", "Ba", "Bah", "Barry", "Sow", "Kouyaté", "Dramé", "Fofana", "Goïta",
]
QUERIES = [
    ("Traore", "Mohamed", 1988), ("TRAORÉ", "Mahamadou", 1990), ("Coulibaly", "Moussa", 1985),
    ("Ag Ghaly", "Iyad", 1958), ("Ghaly", "Ag Iyad", 1958), ("Keita", "Boubacar", 1979),
    ("Maïga", "Aliou", 1995), ("Ould Sidi", "Mohammed", 1992), ("Diallo", "Fatoumata", 2000),
    ("Kulibali", "Musa", 1985), ("Mohamed", "Traoré", 1988), ("Sangare", "Seydou", 1970),
]


class Command(BaseCommand):
    help = "Seed N synthetic people (or reuse them) and time duplicate matching per query."

    def add_arguments(self, parser):
        parser.add_argument("--n", type=int, default=100_000)
        parser.add_argument("--repeat", type=int, default=3)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, n, repeat, seed, **options):
        if connection.vendor != "postgresql":
            self.stderr.write("Not PostgreSQL: timings will not represent production (pg_trgm).")
        name = connection.settings_dict.get("NAME", "")
        if connection.vendor == "postgresql" and "bench" not in str(name):
            raise CommandError("Refusing to seed a database whose name does not contain 'bench'.")
        existing = Inmate.objects.count()
        if existing < n:
            self._seed(n - existing, seed)
        total = Inmate.objects.count()
        self.stdout.write(f"{total} personnes dans la base ({connection.vendor}).")
        region_ids = list(Region.objects.values_list("id", flat=True))
        timings = []
        for last, first, year in QUERIES:
            runs = []
            for _ in range(repeat):
                start = time.perf_counter()
                found = find_candidates(last_name=last, first_name=first, birth_year=year,
                                        region_id=region_ids[0] if region_ids else None)
                runs.append((time.perf_counter() - start) * 1000)
            best = min(runs)
            timings.append(best)
            self.stdout.write(f"{first} {last} ({year}): {best:7.1f} ms, {len(found)} candidats"
                              + (f", meilleur {found[0].score:.2f}" if found else ""))
        self.stdout.write(
            f"Médiane {statistics.median(timings):.1f} ms, max {max(timings):.1f} ms "
            f"par requête sur {total} personnes."
        )

    def _seed(self, count, seed):
        rng = random.Random(seed)
        regions = list(Region.objects.values_list("id", flat=True)) or [None]
        now = timezone.now().isoformat()
        postgres = connection.vendor == "postgresql"
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute("DROP INDEX IF EXISTS inmate_search_text_trgm")
                cursor.execute("DROP INDEX IF EXISTS inmate_name_keys_trgm")
        start = time.perf_counter()
        batch = 100_000
        done = 0
        while done < count:
            size = min(batch, count - done)
            rows = []
            for _ in range(size):
                female = rng.random() < 0.05
                first = rng.choice(GIVEN_F if female else GIVEN)
                if rng.random() < 0.3:
                    first = f"{first} {rng.choice(GIVEN_F if female else GIVEN)}"
                last = rng.choice(SURNAMES)
                rows.append((last, first, "F" if female else "M", rng.randint(1950, 2007),
                             rng.choice(regions), name_fields(last, first)))
            if postgres:
                buf = io.StringIO()
                writer = csv.writer(buf)
                for last, first, sex, year, region, names in rows:
                    writer.writerow([last, first, "", "", sex, "", year, "", region, "Malienne", "",
                                     "", names["search_text"], names["name_keys"], 1, now, now])
                buf.seek(0)
                with connection.cursor() as cursor:
                    cursor.copy_expert(
                        "COPY inmates_inmate (last_name, first_name, father_name, mother_name, sex,"
                        " gender_identity, birth_year, place_of_birth, region_of_origin_id,"
                        " nationality, languages, photo, search_text, name_keys, version, created_at,"
                        " updated_at) FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL (father_name,"
                        " mother_name, gender_identity, place_of_birth, languages, photo))", buf)
            else:
                Inmate.objects.bulk_create(
                    Inmate(last_name=last, first_name=first, sex=sex, birth_year=year,
                           region_of_origin_id=region, **names)
                    for last, first, sex, year, region, names in rows
                )
            done += size
            self.stdout.write(f"  {done}/{count} insérés ({time.perf_counter() - start:.0f} s)")
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute("CREATE INDEX IF NOT EXISTS inmate_search_text_trgm "
                               "ON inmates_inmate USING gin (search_text gin_trgm_ops)")
                cursor.execute("CREATE INDEX IF NOT EXISTS inmate_name_keys_trgm "
                               "ON inmates_inmate USING gin (name_keys gin_trgm_ops)")
                cursor.execute("ANALYZE inmates_inmate")
            self.stdout.write(f"  index trigramme reconstruit ({time.perf_counter() - start:.0f} s)")
