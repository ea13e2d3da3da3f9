"""The follow-up aggregates over time: the gap between terrorism-related people (by legal status) and
the others, month by month, per prison and nationally.

Measured from the nightly snapshots (oversight.models.FollowupSnapshot), not computed again from the
records' dates: a person's legal status and prison change over a stay, and the records keep only
today's, so a month rebuilt from dates would file a person convicted last week as convicted a year
ago. The snapshot keeps the counts as they were that night. Each month shows its last snapshot; a
month without one says so (the job did not run, or ran before the product was in use). Each month's
table is protected by oversight.suppression exactly as the day's report is (followup_report.protect)."""

import datetime
from collections import defaultdict

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .followup_report import MEASURES, categories, protect, published_columns, published_rows, scope, tally
from .models import FollowupSnapshot

MONTHS = 12


def _category_key(cat) -> str:
    return "-".join(cat)


def write_snapshots(day: datetime.date | None = None) -> int:
    """Tonight's counts, per prison and category (raw; protected when read). Idempotent: a second run
    the same day replaces that day's rows, in one transaction. Returns the number of rows written."""
    day = day or timezone.localdate()
    raw, per_facility = tally(None)
    rows = []
    for fid in sorted(per_facility):
        for cat, _label in categories():
            held = raw.get(("N", cat, fid), 0)
            if held:
                rows.append(FollowupSnapshot(day=day, facility_id=fid, category=_category_key(cat), held=held,
                                             **{m: raw.get((m, cat, fid), 0) for m, _l in MEASURES}))
    with transaction.atomic():
        FollowupSnapshot.objects.filter(day=day).delete()
        FollowupSnapshot.objects.bulk_create(rows)
    return len(rows)


def _month_starts(today, months):
    year, month = today.year, today.month
    starts = []
    for _month in range(months):
        starts.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


def trend(user, facility=None, months: int = MONTHS) -> list:
    """The last `months` months, oldest first: each month's last snapshot, protected, scoped to what
    `user` sees (or to `facility`): [{"month", "day" (None: no snapshot), "columns", "rows"}]."""
    today = timezone.localdate()
    starts = _month_starts(today, months)
    snapshots = FollowupSnapshot.objects.filter(day__gte=starts[0], day__lte=today)
    ids = scope(user, facility)
    if ids is not None:
        snapshots = snapshots.filter(facility_id__in=ids)
    last_day = {}
    for day in snapshots.values_list("day", flat=True).distinct():
        key = (day.year, day.month)
        last_day[key] = max(day, last_day.get(key, day))
    by_day = defaultdict(list)
    for snapshot in snapshots.filter(day__in=list(last_day.values())):
        by_day[snapshot.day].append(snapshot)
    out = []
    for start in starts:
        day = last_day.get((start.year, start.month))
        entry = {"month": f"{start:%Y-%m}", "day": day.isoformat() if day else None, "columns": [], "rows": []}
        if day is not None:
            raw, per_facility = defaultdict(int), defaultdict(int)
            for s in by_day[day]:
                cat = tuple(s.category.split("-"))
                per_facility[s.facility_id] += s.held
                raw[("N", cat, s.facility_id)] += s.held
                for measure, _label in MEASURES:
                    raw[(measure, cat, s.facility_id)] += getattr(s, measure)
            table = protect(raw, per_facility)
            entry.update(columns=published_columns(table), rows=published_rows(table))
        out.append(entry)
    return out


def series(months: list, column: str = "national") -> list:
    """For a page: per measure (the population first), one line per month with a cell per category,
    for one column of each month's table (the scope's total by default). A line without cells says
    why: no snapshot that month (consecutive such months make one line), or the prison was grouped
    with others that month (too few people to be named)."""
    measures = [("held", None, _("Personnes détenues")), *((m, m, label) for m, label in MEASURES)]
    out = []
    for key, measure, label in measures:
        lines = []
        for month in months:
            year, number = month["month"].split("-")
            cells, missing = None, "none"
            if month["day"] is not None:
                found = [next((c for c in row["cells"] if c["column"] == column), None) for row in month["rows"]]
                if all(found):
                    cells, missing = [c["held"] if measure is None else c["measures"][measure] for c in found], ""
                else:
                    missing = "grouped"
            if missing == "none" and lines and lines[-1]["missing"] == "none":
                lines[-1]["label"] = f"{lines[-1]['label'].split(' – ')[0]} – {number}/{year}"
                continue
            lines.append({"month": month["month"], "label": f"{number}/{year}", "day": month["day"], "cells": cells,
                          "missing": missing})
        out.append({"key": key, "label": str(label), "lines": lines})
    return out
