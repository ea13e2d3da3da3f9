"""The generator: the rows of N people, chunk by chunk, ids assigned here.

Everything is drawn from `random.Random(seed)`, chunk by chunk, so one seed always gives
the same people. Ids are chosen here (interleaved between chunks, so that chunks are
independent). The people and their family are drawn in `demo.people`, the stays, cases
and placements in `demo.custody`.
"""

import datetime as dt
import random

from django.db.models import Max
from django.utils import timezone

from demo.custody import CustodyRows
from demo.people import PeopleRows
from demo.places import GENERIC_PROFILE, PROFILES
from demo.rows import DETAINEE_MODELS, UTC
from demo.vocabulary import CABINETS, JUDGE_NAMES, MIXES_W
from inmates.models import CustodyStatus, Inmate, PrisonerNumberCounter
from inmates.services import format_prisoner_number
from prisons.models import Facility


class Generator(PeopleRows, CustodyRows):
    """Builds the rows for N people, chunk by chunk, ids assigned here."""

    def __init__(self, *, seed, now, facilities, units, courts, regions, clerks, chunks):
        self.seed = seed
        self.chunks = chunks
        self.now = now
        self.today = timezone.localdate(now)
        self.facilities = facilities
        self.profiles = [PROFILES.get(f.code, GENERIC_PROFILE) for f in facilities]
        cum, total = [], 0
        for p in self.profiles:
            total += p.weight
            cum.append(total)
        self.facility_cum = cum
        self.units = units
        self.courts = courts
        self.court_names = {c.pk: c.name for c in courts.values()}
        self.regions = regions
        self.clerks = clerks
        self.base_ids = {m: (m.objects.aggregate(m=Max("pk"))["m"] or 0) + 1 for m in DETAINEE_MODELS}
        self.base_sequences = self._load_sequences()
        self.sequences = dict(self.base_sequences)  # highest number issued, per (facility, year)
        rng = random.Random(seed)
        self.judges = {(code, cab): rng.choice(JUDGE_NAMES) for code in courts for cab in CABINETS}

    def _load_sequences(self):
        seqs = {}
        codes = {f.pk: f.code for f in Facility.objects.all()}
        for fid, year, last in PrisonerNumberCounter.objects.values_list("facility_id", "year", "last_value"):
            seqs[(codes[fid], year)] = last
        for number in Inmate.objects.exclude(prisoner_number=None).values_list("prisoner_number", flat=True):
            parts = number.rsplit("-", 2)
            if len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit():
                key = (parts[0], int(parts[1]))
                seqs[key] = max(seqs.get(key, 0), int(parts[2]))
        return seqs

    @staticmethod
    def save_sequences(sequences):
        """Move the prisoner-number counters past the numbers issued here."""
        codes = {f.code: f.pk for f in Facility.objects.all()}
        for (code, year), last in sequences.items():
            counter, _ = PrisonerNumberCounter.objects.get_or_create(facility_id=codes[code], year=year)
            if counter.last_value < last:
                counter.last_value = last
                counter.save(update_fields=["last_value"])

    # Ids and numbers are interleaved between chunks (the k-th of chunk i is k × chunks + i),
    # so that chunks can be generated in parallel, independently, and still never collide.

    def _id(self, model):
        k = self.local_ids[model]
        self.local_ids[model] = k + 1
        return self.base_ids[model] + k * self.chunks + self.index

    # -- helpers --

    def dt_days_ago(self, rng, days):
        """A moment `days` days before now, during office hours."""
        day = self.today - dt.timedelta(days=int(days))
        return dt.datetime(day.year, day.month, day.day, rng.randint(7, 18), rng.randrange(0, 60, 5),
                           tzinfo=UTC)

    def prisoner_number(self, code, year):
        key = (code, year)
        k = self.local_sequences.get(key, 0)
        self.local_sequences[key] = k + 1
        sequence = self.base_sequences.get(key, 0) + 1 + k * self.chunks + self.index
        self.sequences[key] = max(self.sequences.get(key, 0), sequence)
        return format_prisoner_number(code, year, sequence)

    def case_number(self, year, prefix="RI"):
        self.local_cases += 1
        return f"{prefix}-{(self.local_cases - 1) * self.chunks + self.index + 1:05d}/{year}"

    # -- one chunk --

    def chunk(self, index, size):
        """The rows of `size` people (chunk `index`), as {model: [row, …]}, parents first."""
        rng = random.Random(self.seed * 1_000_003 + index)
        self.index = index
        self.local_ids = dict.fromkeys(DETAINEE_MODELS, 0)
        self.local_sequences, self.local_cases = {}, 0
        self.coaccused = []  # recent terrorism case numbers, shared by co-accused
        self.rows = {m: [] for m in DETAINEE_MODELS}
        for _ in range(size):
            self.person(rng)
        rows, self.rows = self.rows, None
        return rows

    def person(self, rng):
        fi = rng.choices(range(len(self.facilities)), cum_weights=self.facility_cum)[0]
        facility, profile = self.facilities[fi], self.profiles[fi]
        r = rng.random()
        # Arrivals still in intake are registered through the intake workflow (arrival_warrants).
        status = CustodyStatus.HELD if r < 0.825 else CustodyStatus.RELEASED
        minor = facility.holds_minors and not facility.holds_adults
        if facility.holds_women and not facility.holds_men:
            sex = "F"
        elif facility.holds_women and rng.random() < profile.women:
            sex = "F"
        else:
            sex = "M"
        un = facility.code == "KLK" and status == CustodyStatus.HELD and rng.random() < 0.04
        veo = (not un and not minor and sex == "M"
               and rng.random() < profile.terrorism * (0.5 if status == CustodyStatus.RELEASED else 1))
        ethnic = "rwandan" if un else rng.choices(*MIXES_W["veo" if veo else profile.mix])[0]

        inmate = self.identity(rng, facility, sex, minor, ethnic, veo, un)
        plan = self.legal_plan(rng, facility, profile, status, sex, minor, veo, un)
        self.custody(rng, inmate, facility, profile, status, sex, minor, veo, un, ethnic, plan)
