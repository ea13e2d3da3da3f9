"""Oversight aggregates: occupancy, the daily roll, separation of categories, activities.

Every figure is counted from the records (Mandela Rule 10), never typed in. Each report is
a fixed number of grouped queries over its whole scope, so it costs the same number of
queries for 100 or 1,000,000 detainees. `facility_ids=None` means every facility.
The profiles of terrorism-related detainees are in `profiles.py` (small counts hidden).
"""

import datetime
from collections import defaultdict

from django.db import transaction
from django.db.models import BooleanField, Case, CharField, Count, Exists, OuterRef, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.numbers import percentage
from detention.models import Activity, ActivityKind, Enrolment
from inmates.models import (
    MINOR_AGE,
    UNTRIED_STATUSES,
    Custody,
    CustodyStatus,
    Placement,
    Sex,
    Transfer,
    TransferStatus,
)
from prisons.figures import (
    LEGAL_STATUS_ORDER,
    add_terrorism_totals,
    in_service,
    legal_status_labels,
    published_totals,
    terrorism_by_status,
    terrorism_count_fields,
)
from prisons.models import HELD_STATUSES, Facility, FacilityStatus, Region, Unit, UnitKind

from .models import OccupancySnapshot

TREND_DAYS = 90


def years_before(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day `years` earlier (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def is_minor_expression(day: datetime.date, prefix: str = "inmate__"):
    """SQL: True (minor), False (adult) or None (age unknown) on `day`, as Inmate.age_on counts it."""
    dob, year = f"{prefix}date_of_birth", f"{prefix}birth_year"
    adult_born_by = years_before(day, MINOR_AGE)
    return Case(
        When(**{f"{dob}__isnull": False, f"{dob}__lte": adult_born_by}, then=Value(False)),
        When(**{f"{dob}__isnull": False}, then=Value(True)),
        When(**{f"{year}__isnull": False, f"{year}__lte": day.year - MINOR_AGE}, then=Value(False)),
        When(**{f"{year}__isnull": False}, then=Value(True)),
        default=Value(None), output_field=BooleanField(null=True),
    )


def day_bounds(day: datetime.date):
    """[start, end) of a calendar day in the project's time zone."""
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min), tz)
    end = timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min), tz)
    return start, end


def _scoped(qs, facility_ids, field="pk"):
    return qs if facility_ids is None else qs.filter(**{f"{field}__in": facility_ids})


# --- occupancy and congestion -----------------------------------------------------------------


def _live_facility_rows(facility_ids):
    """Four queries: people by facility, people by unit (each grouped on one integer, which
    PostgreSQL does much faster than grouping the joined rows by every column), the
    facilities and the units themselves."""
    held = Q(status__in=HELD_STATUSES)
    untried = held & Q(legal_status__in=UNTRIED_STATUSES)
    people = {
        r["facility_id"]: r for r in
        _scoped(Custody.objects.filter(held), facility_ids, "facility_id").values("facility_id")
        .annotate(held=Count("id"), untried=Count("id", filter=untried),
                  intake=Count("id", filter=Q(status=CustodyStatus.INTAKE)),
                  terrorism=Count("id", filter=Q(terrorism_related=True)),
                  **{k: Count("id", filter=q) for k, q in terrorism_count_fields().items()}).order_by()
    }
    placed = {
        r["unit_id"]: r for r in
        _scoped(Placement.objects.filter(ended_at__isnull=True, custody__status__in=HELD_STATUSES), facility_ids,
                "unit__facility_id").values("unit_id")
        .annotate(occupants=Count("id"), untried=Count("id", filter=Q(custody__legal_status__in=UNTRIED_STATUSES)))
        .order_by()
    }
    facilities = _scoped(Facility.objects.all(), facility_ids).select_related("region").order_by("name")
    none = {"held": 0, "untried": 0, "intake": 0, "terrorism": 0, "occupants": 0,
            **dict.fromkeys(terrorism_count_fields(), 0)}
    labels = legal_status_labels()
    units = defaultdict(list)
    for unit in _scoped(Unit.objects.filter(is_active=True), facility_ids, "facility_id").order_by("facility_id", "code"):
        counts = placed.get(unit.pk, none)
        units[unit.facility_id].append({
            "id": unit.pk, "code": unit.code, "name": unit.name, "kind": unit.kind,
            "regime": unit.regime, "regime_label": str(unit.get_regime_display()),
            "capacity": unit.capacity, "occupants": counts["occupants"], "untried": counts["untried"],
            "congestion": Facility.congestion(counts["occupants"], unit.capacity),
        })
    rows = []
    for f in facilities:
        c = people.get(f.pk, none)
        in_units = sum(u["occupants"] for u in units[f.pk])
        rows.append({
            "id": f.pk, "code": f.code, "name": f.name, "status": f.status,
            "status_label": str(f.get_status_display()), "region": f.region.code, "region_name": f.region.name,
            "zone": f.region.zone,
            "capacity": f.official_capacity, "held": c["held"], "intake": c["intake"], "untried": c["untried"],
            "untried_share": percentage(c["untried"], c["held"]),
            "congestion": Facility.congestion(c["held"], f.official_capacity),
            "terrorism": c["terrorism"], **{k: c[k] for k in terrorism_count_fields()},
            "terrorism_by_status": terrorism_by_status(c, labels),
            "unplaced": max(c["held"] - in_units, 0), "units": units[f.pk],
        })
    return rows


def _totals(rows):
    """National totals by the published definition (prisons.figures): people held in the prisons
    in service, against their capacity; the prisons out of service and their people apart."""
    serving = [r for r in rows if in_service(r)]
    totals = published_totals(rows)
    totals["intake"] = sum(r["intake"] for r in serving)
    return add_terrorism_totals(totals, rows)


def occupancy(*, facility_ids=None, day: datetime.date | None = None) -> dict:
    """Held, capacity, congestion, untried share per facility and by unit; trend from snapshots.

    Today's figures are counted live; an earlier day's come from that day's snapshot.
    """
    today = timezone.localdate()
    day = day or today
    if day >= today:
        rows, source = _live_facility_rows(facility_ids), "live"
    else:
        snaps = _scoped(OccupancySnapshot.objects.filter(day=day, facility__isnull=False), facility_ids,
                        "facility_id")
        rows = sorted((s.figures for s in snaps), key=lambda r: r["name"])
        code_of = dict(Region.objects.values_list("name", "code"))
        for r in rows:  # a snapshot written before the split was kept shows no split, not zeros
            r.setdefault("terrorism_by_status", None)
            if "region_name" not in r:  # written when `region` held the name
                r["region_name"] = r["region"]
                r["region"] = code_of.get(r["region"], r["region"])
        source = "snapshot" if rows else "missing"
    operational = [r for r in rows if r["status"] == FacilityStatus.OPERATIONAL]
    others = [r for r in rows if r["status"] != FacilityStatus.OPERATIONAL]
    single = facility_ids is not None and len(facility_ids) == 1
    return {
        "day": day, "source": source, "facilities": operational, "other_facilities": others,
        "totals": _totals(rows),
        "trend": trend(facility_id=facility_ids[0] if single else None, national=facility_ids is None,
                       facility_ids=facility_ids, until=day),
    }


def trend(*, facility_id=None, national=True, facility_ids=None, until=None, days=TREND_DAYS) -> list[dict]:
    """Daily held / capacity / untried from the snapshots (one row per day, oldest first)."""
    until = until or timezone.localdate()
    qs = OccupancySnapshot.objects.filter(day__gt=until - datetime.timedelta(days=days), day__lte=until)
    if facility_id:
        qs = qs.filter(facility_id=facility_id)
    elif national:
        qs = qs.filter(facility__isnull=True)
    else:
        # Several facilities (a director serving more than one): add their snapshots up.
        by_day = defaultdict(lambda: {"held": 0, "capacity": 0, "untried": 0})
        for s in qs.filter(facility_id__in=facility_ids).values("day", "held", "capacity", "untried"):
            for key in ("held", "capacity", "untried"):
                by_day[s["day"]][key] += s[key]
        return [{"day": d.isoformat(), **v, "congestion": Facility.congestion(v["held"], v["capacity"])}
                for d, v in sorted(by_day.items())]
    return [{"day": s["day"].isoformat(), "held": s["held"], "capacity": s["capacity"], "untried": s["untried"],
             "congestion": Facility.congestion(s["held"], s["capacity"])}
            for s in qs.order_by("day").values("day", "held", "capacity", "untried")]


@transaction.atomic
def write_occupancy_snapshots(day: datetime.date | None = None) -> int:
    """Today's occupancy, nationally and per facility. Idempotent: a second run the same day
    replaces that day's rows (in one transaction), so there is never more than one per day."""
    day = day or timezone.localdate()
    rows = _live_facility_rows(None)
    totals = _totals(rows)
    snapshots = [OccupancySnapshot(day=day, facility=None, held=totals["held"], capacity=totals["capacity"],
                                   untried=totals["untried"], figures=totals)]
    snapshots += [OccupancySnapshot(day=day, facility_id=row["id"], held=row["held"], capacity=row["capacity"],
                                    untried=row["untried"], figures=row) for row in rows]
    OccupancySnapshot.objects.filter(day=day).delete()
    OccupancySnapshot.objects.bulk_create(snapshots)
    return len(snapshots)


# --- the daily roll ---------------------------------------------------------------------------


def _person(custody, unit=None):
    inmate = custody.inmate
    return {
        "custody_id": custody.pk, "inmate_id": inmate.pk, "prisoner_number": inmate.prisoner_number or "",
        "name": f"{inmate.last_name.upper()} {inmate.first_name}", "sex": inmate.sex,
        "legal_status": custody.legal_status, "legal_status_label": str(custody.get_legal_status_display()),
        "terrorism_related": custody.terrorism_related, "unit": unit.name if unit else "",
    }


def roll(facility, *, day: datetime.date | None = None) -> dict:
    """Who is where at the end of `day` in one prison, by unit; the day's movements; absences.

    Absences are derived from what the records hold: a hearing on the day (expected at
    court), a placement in an infirmary unit (hospital / infirmary), a transfer departed and
    not yet arrived (in the escort's charge).
    """
    from casework.models import Hearing

    today = timezone.localdate()
    day = day or today
    start, end = day_bounds(day)
    at_end = Q(started_at__lt=end) & (Q(ended_at__isnull=True) | Q(ended_at__gte=end))
    placements = list(
        Placement.objects.filter(at_end, unit__facility=facility)
        .filter(Q(custody__released_at__isnull=True) | Q(custody__released_at__gte=end))
        .select_related("custody__inmate", "unit").order_by("unit__code", "custody__inmate__last_name",
                                                             "custody__inmate__first_name", "pk")
    )
    units = {}
    for p in placements:
        entry = units.setdefault(p.unit_id, {"code": p.unit.code, "name": p.unit.name, "kind": p.unit.kind,
                                             "capacity": p.unit.capacity, "people": []})
        entry["people"].append(_person(p.custody, p.unit))
    present = (Q(admitted_at__lt=end) & (Q(released_at__isnull=True) | Q(released_at__gte=end))
               & ~Q(status=CustodyStatus.INTAKE))
    placed_then = Placement.objects.filter(at_end, custody=OuterRef("pk"))
    # On the road between two prisons at the end of the day: in the escort's charge, not here.
    on_the_road = (Transfer.objects.filter(from_facility=facility, departed_at__lt=end)
                   .filter(Q(arrived_at__isnull=True) | Q(arrived_at__gte=end))
                   .exclude(status=TransferStatus.CANCELLED))
    in_transit = [
        {**_person(t.custody), "at": t.departed_at, "how": str(_("Transfert vers %(f)s") % {"f": t.to_facility.name})}
        for t in on_the_road.select_related("custody__inmate", "to_facility").order_by("departed_at")
    ]
    unplaced = [
        _person(c) for c in Custody.objects.filter(present, facility=facility)
        .filter(~Exists(placed_then)).exclude(pk__in=on_the_road.values("custody_id"))
        .select_related("inmate").order_by("inmate__last_name", "pk")
    ]
    in_intake = [
        _person(c) for c in Custody.objects.filter(facility=facility, status=CustodyStatus.INTAKE,
                                                   admitted_at__lt=end)
        .select_related("inmate").order_by("admitted_at", "pk")
    ] if day >= today else []
    arrivals = [
        {**_person(c), "at": c.admitted_at, "how": str(_("Écrou"))}
        for c in Custody.objects.filter(facility=facility, admitted_at__gte=start, admitted_at__lt=end)
        .select_related("inmate").order_by("admitted_at")
    ]
    departures = [
        {**_person(c), "at": c.released_at, "how": str(c.get_release_reason_display() or _("Sortie"))}
        for c in Custody.objects.filter(facility=facility, released_at__gte=start, released_at__lt=end)
        .select_related("inmate").order_by("released_at")
    ]
    transfers = (Transfer.objects.filter(Q(to_facility=facility, arrived_at__gte=start, arrived_at__lt=end)
                                         | Q(from_facility=facility, departed_at__gte=start, departed_at__lt=end))
                 .exclude(status=TransferStatus.CANCELLED)
                 .select_related("custody__inmate", "from_facility", "to_facility"))
    for t in transfers:
        if t.to_facility_id == facility.pk and t.arrived_at and start <= t.arrived_at < end:
            arrivals.append({**_person(t.custody), "at": t.arrived_at,
                             "how": str(_("Transfert depuis %(f)s") % {"f": t.from_facility.name})})
        if t.from_facility_id == facility.pk and t.departed_at and start <= t.departed_at < end:
            departures.append({**_person(t.custody), "at": t.departed_at,
                               "how": str(_("Transfert vers %(f)s") % {"f": t.to_facility.name})})
    arrivals.sort(key=lambda r: r["at"])
    departures.sort(key=lambda r: r["at"])
    court = [
        {**_person(h.case.custody), "court": h.case.court.name, "hearing": str(h.get_kind_display())}
        for h in Hearing.objects.filter(date=day, case__custody__facility=facility,
                                        case__custody__status__in=HELD_STATUSES)
        .select_related("case__custody__inmate", "case__court").order_by("case__custody__inmate__last_name")
    ]
    infirmary = [p for u in units.values() if u["kind"] == UnitKind.INFIRMARY for p in u["people"]]
    unit_rows = sorted(units.values(), key=lambda u: u["code"])
    for u in unit_rows:
        u["count"] = len(u["people"])
    count = sum(u["count"] for u in unit_rows) + len(unplaced)
    return {
        "day": day, "facility": {"id": facility.pk, "code": facility.code, "name": facility.name},
        "count": count, "units": unit_rows, "unplaced": unplaced, "intake": in_intake,
        "arrivals": arrivals, "departures": departures,
        "absences": {"court": court, "infirmary": infirmary, "in_transit": in_transit},
    }


# --- separation of categories (Mandela Rule 11) -----------------------------------------------

MIXES = [
    ("sex", _("Hommes et femmes")),
    ("legal", _("Prévenus et condamnés")),
    ("age", _("Mineurs et majeurs")),
    ("terrorism", _("Affaires de terrorisme et droit commun")),
]


def separation(*, facility_ids=None, day: datetime.date | None = None) -> dict:
    """Units where people of categories the law keeps apart were placed together at the end of
    `day` (today: right now).

    One grouped query over the placements of that moment (unit × sex × untried × minor ×
    terrorism) and one for the units' names. Age is counted on that day; the legal status is
    the one on file now (its history is kept by casework, not here).
    """
    today = timezone.localdate()
    day = day or today
    if day >= today:
        placements = Placement.objects.filter(ended_at__isnull=True, custody__status__in=HELD_STATUSES)
    else:
        _start, end = day_bounds(day)
        placements = Placement.objects.filter(Q(started_at__lt=end) & (Q(ended_at__isnull=True) | Q(ended_at__gte=end)))
    groups = (
        _scoped(placements, facility_ids, "unit__facility_id")
        .annotate(minor=is_minor_expression(day, "custody__inmate__"))
        .values("unit_id", "custody__inmate__sex", "custody__legal_status", "minor", "custody__terrorism_related")
        .annotate(n=Count("id")).order_by()
    )
    counts = defaultdict(lambda: defaultdict(int))
    for g in groups:
        c = counts[g["unit_id"]]
        n = g["n"]
        untried = g["custody__legal_status"] in UNTRIED_STATUSES
        c["total"] += n
        c["men" if g["custody__inmate__sex"] == Sex.MALE else "women"] += n
        c["untried" if untried else "convicted"] += n
        c[{True: "minors", False: "adults", None: "age_unknown"}[g["minor"]]] += n
        if g["custody__terrorism_related"]:
            c["terrorism"] += n
            c[f"terrorism_{g['custody__legal_status']}"] += n  # by the four legal statuses
        else:
            c["general"] += n
    units = Unit.objects.filter(pk__in=list(counts)).select_related("facility").order_by("facility__name", "code")
    rows, labels = [], legal_status_labels()
    for unit in units:
        c = counts[unit.pk]
        mixes = {
            "sex": bool(c["men"] and c["women"]),
            "legal": bool(c["untried"] and c["convicted"]),
            "age": bool(c["minors"] and c["adults"]),
            "terrorism": bool(c["terrorism"] and c["general"]),
        }
        if any(mixes.values()):
            rows.append({
                "unit_id": unit.pk, "unit": unit.name, "unit_code": unit.code,
                "regime_label": str(unit.get_regime_display()),
                "facility_id": unit.facility_id, "facility": unit.facility.name,
                "mixes": mixes, "mix_labels": [str(label) for key, label in MIXES if mixes[key]],
                **{k: c[k] for k in ("total", "men", "women", "untried", "convicted", "minors", "adults",
                                     "age_unknown", "terrorism", "general", *terrorism_count_fields())},
                "terrorism_by_status": terrorism_by_status(c, labels),
            })
    summary = [{"key": key, "label": str(label), "units": sum(r["mixes"][key] for r in rows),
                "people": sum(r["total"] for r in rows if r["mixes"][key])} for key, label in MIXES]
    by_facility = defaultdict(lambda: {"units": 0, "people": 0, **{k: 0 for k, _l in MIXES}})
    for r in rows:
        f = by_facility[(r["facility_id"], r["facility"])]
        f["units"] += 1
        f["people"] += r["total"]
        for key, _label in MIXES:
            f[key] += r["mixes"][key]
    return {
        "day": day, "units": rows, "summary": summary,
        "facilities": [{"id": fid, "name": name, **v} for (fid, name), v in sorted(by_facility.items(),
                                                                                key=lambda kv: kv[0][1])],
        "placed": sum(c["total"] for c in counts.values()), "units_checked": len(counts),
    }


# --- access to activities by category of detainee ---------------------------------------------

# Terrorism-related people by each of the four legal statuses (presumption of innocence), then
# everyone else, untried and convicted.
CATEGORIES = [
    ("terrorism_suspect", _("Terrorisme — suspects, non inculpés")),
    ("terrorism_charged", _("Terrorisme — inculpés, en attente de jugement")),
    ("terrorism_appeal", _("Terrorisme — condamnés, en appel")),
    ("terrorism_convicted", _("Terrorisme — condamnés")),
    ("general_untried", _("Droit commun — prévenus")),
    ("general_convicted", _("Droit commun — condamnés")),
]
UNTRIED_CATEGORIES = {"terrorism_suspect", "terrorism_charged", "general_untried"}


def _category_expression(prefix=""):
    terror, status = f"{prefix}terrorism_related", f"{prefix}legal_status"
    return Case(
        *[When(**{terror: True, status: s}, then=Value(f"terrorism_{s}")) for s in LEGAL_STATUS_ORDER],
        When(**{f"{status}__in": UNTRIED_STATUSES}, then=Value("general_untried")),
        default=Value("general_convicted"), output_field=CharField(),
    )


def _open_to(activity, category):
    if category.startswith("terrorism_") and not activity["open_to_terrorism_related"]:
        return False
    return activity["open_to_untried"] if category in UNTRIED_CATEGORIES else activity["open_to_convicted"]


def activities(*, facility_ids=None) -> dict:
    """Per facility and activity type: for each category of detainee, whether an activity is
    open to it, and how many of its people are enrolled (people, not enrolments). Four queries."""
    held = _scoped(Custody.objects.filter(status=CustodyStatus.HELD), facility_ids, "facility_id")
    population = defaultdict(int)
    for row in held.annotate(cat=_category_expression()).values("facility_id", "cat").annotate(n=Count("id")).order_by():
        population[(row["facility_id"], row["cat"])] += row["n"]
    enrolments = _scoped(Enrolment.objects.filter(ended_on__isnull=True, custody__status=CustodyStatus.HELD),
                         facility_ids, "custody__facility_id").annotate(cat=_category_expression("custody__"))
    enrolled = {
        (r["custody__facility_id"], r["activity__kind"], r["cat"]): r["n"]
        for r in enrolments.values("custody__facility_id", "activity__kind", "cat")
        .annotate(n=Count("custody_id", distinct=True)).order_by()
    }
    any_enrolled = {
        (r["custody__facility_id"], r["cat"]): r["n"]
        for r in enrolments.values("custody__facility_id", "cat").annotate(n=Count("custody_id", distinct=True)).order_by()
    }
    offer = defaultdict(list)
    for a in _scoped(Activity.objects.filter(is_active=True), facility_ids, "facility_id").values(
            "facility_id", "kind", "open_to_terrorism_related", "open_to_untried", "open_to_convicted"):
        offer[(a["facility_id"], a["kind"])].append(a)
    facility_pks = {fid for fid, _c in population} | {fid for fid, _k in offer}
    facilities = Facility.objects.filter(pk__in=facility_pks).order_by("name").values("pk", "name", "code")
    kind_labels = dict(ActivityKind.choices)
    result = []
    national = defaultdict(int)
    for f in facilities:
        fid = f["pk"]
        kinds = sorted({k for (ff, k) in offer if ff == fid}, key=lambda k: list(kind_labels).index(k))
        cats = [{"key": key, "label": str(label), "held": population[(fid, key)],
                 "enrolled_any": any_enrolled.get((fid, key), 0),
                 "share_any": percentage(any_enrolled.get((fid, key), 0), population[(fid, key)])}
                for key, label in CATEGORIES]
        rows = []
        for kind in kinds:
            cells = []
            for key, _label in CATEGORIES:
                n = enrolled.get((fid, kind, key), 0)
                cells.append({"category": key, "open": any(_open_to(a, key) for a in offer[(fid, kind)]),
                              "enrolled": n, "share": percentage(n, population[(fid, key)])})
            rows.append({"kind": kind, "label": str(kind_labels[kind]), "activities": len(offer[(fid, kind)]),
                         "cells": cells})
        for c in cats:
            national[(c["key"], "held")] += c["held"]
            national[(c["key"], "enrolled_any")] += c["enrolled_any"]
        result.append({"id": fid, "name": f["name"], "code": f["code"], "categories": cats, "kinds": rows})
    totals = [{"key": key, "label": str(label), "held": national[(key, "held")],
               "enrolled_any": national[(key, "enrolled_any")],
               "share_any": percentage(national[(key, "enrolled_any")], national[(key, "held")])}
              for key, label in CATEGORIES]
    return {"facilities": result, "totals": totals, "categories": [{"key": k, "label": str(v)} for k, v in CATEGORIES]}
