"""Arrivals in progress: warrants the intake workflow registers (see the command)."""

import datetime as dt
import random

from django.utils import timezone

from casework.models import Court, OrderKind
from demo.places import CT_POLE, PROFILES
from demo.vocabulary import (
    BAMAKO_QUARTERS,
    CABINETS,
    CONFLICT_PLACES,
    ETHNIC,
    FEMALE,
    JUDGE_NAMES,
    MALE,
    MIXES_W,
    ORDINARY_W,
    TERRORISM_W,
)
from inmates.models import ArrestingForce, PriorCustodyKind
from prisons.models import Region


def arrival_warrants(count, *, seed):
    """`count` warrants for people arriving today at Bamako or Koulikoro, as the intake
    workflow's `register_arrival` takes them (the command registers them: this module stays
    below intake). Returns [(facility code, warrant dict)]."""
    rng = random.Random(seed * 7919 + 1)
    now = timezone.now().replace(second=0, microsecond=0)
    courts = {c.code: c for c in Court.objects.all()}
    regions = {r.code: r for r in Region.objects.all()}
    warrants = []
    for i in range(count):
        code = "BKO" if rng.random() < 0.85 else "KLK"
        terrorism = rng.random() < (0.08 if code == "BKO" else 0.25)
        ethnic = rng.choices(*MIXES_W["veo" if terrorism else "bamako"])[0]
        if ethnic == "foreign":
            ethnic = "bambara"
        surnames, extra_m, _, _, homes = ETHNIC[ethnic]
        males = extra_m + ["Moussa", "Oumar"] if ethnic in ("tamasheq", "arab") else MALE + extra_m
        father, first = rng.choice(males), rng.choice(males)
        last = (f"Ag {father}" if ethnic == "tamasheq" else f"Ould {father}" if ethnic == "arab"
                else rng.choice(surnames))
        admitted_at = now - dt.timedelta(hours=rng.randint(1, 60))
        arrested_at = admitted_at - dt.timedelta(hours=rng.randint(30, 70))
        if terrorism:
            offences = [rng.choices(*TERRORISM_W)[0]]
            place, region = rng.choice(CONFLICT_PLACES)
            court, force = courts[CT_POLE], rng.choice((ArrestingForce.ARMY, ArrestingForce.GENDARMERIE))
            arrested_at -= dt.timedelta(days=rng.randint(5, 25))
            priors = [{"kind": PriorCustodyKind.GENDARMERIE, "place": "Gendarmerie, Camp I, Bamako",
                       "authority": "Gendarmerie nationale",
                       "started_at": admitted_at - dt.timedelta(days=rng.randint(3, 12)),
                       "ended_at": admitted_at - dt.timedelta(hours=2)}]
        else:
            offences = [rng.choices(*ORDINARY_W)[0]]
            place, region = f"Bamako, {rng.choice(BAMAKO_QUARTERS)}", "BKO"
            court = courts[rng.choice(PROFILES[code].courts)]
            force = ArrestingForce.POLICE if rng.random() < 0.7 else ArrestingForce.GENDARMERIE
            priors = [{"kind": PriorCustodyKind.POLICE, "place": "Commissariat de police",
                       "authority": "Police nationale", "started_at": arrested_at,
                       "ended_at": admitted_at - dt.timedelta(hours=1)}] if rng.random() < 0.5 else []
        judge = rng.choice(JUDGE_NAMES)
        cabinet = rng.choice(CABINETS)
        issued_on = admitted_at.date()
        age = 18 + int(rng.expovariate(1 / 11))
        warrants.append((code, {
            "identity_decision": "new", "last_name": last, "first_name": first, "sex": "M",
            "father_name": father, "mother_name": f"{rng.choice(FEMALE)} {rng.choice(ETHNIC['bambara'][0])}",
            "birth_year": timezone.localdate(now).year - age,
            "region_of_origin": regions[rng.choice(homes) if homes else "BKO"],
            "warrant_number": f"MD-{issued_on.year}-{seed % 1000:03d}{i:04d}",
            "warrant_kind": OrderKind.COMMITTAL if terrorism or rng.random() < 0.7 else OrderKind.PROSECUTOR,
            "issued_by": f"{judge}, juge d'instruction ({cabinet}), {court.name}",
            "issued_on": issued_on, "court": court,
            "case_number": f"{'PJS/RI' if terrorism else 'RI'}-{9000 + i:05d}/{issued_on.year}",
            "investigating_judge": judge,
            "arresting_force": force, "arrested_at": arrested_at, "arrest_place": place,
            "arrest_region": regions[region], "admitted_at": admitted_at, "prior_custodies": priors,
            "charges": [{"offence": o[0], "legal_class": o[1], "max_penalty_months": o[2],
                         "terrorism_related": o[3]} for o in offences],
        }))
    return warrants
