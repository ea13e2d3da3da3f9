"""Aggregates of the individual follow-up for DNAPES (and a director for their own prison): among
the people held, the share with a needs assessment, with an individual plan, who attended at least
one intervention session, and who were refused an activity from their plan because of their
category — by category (terrorism-related, by legal status; others), per prison and nationally.

No names, no ids of people. Small counts are protected by oversight.suppression, the way the
profiles report does it: every "with" cell has its "without" complement in a line with the
population, so that no count under 5 can be worked out by subtraction; prisons holding fewer than
5 people are grouped into one column."""

from collections import defaultdict

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.numbers import percentage
from followup.models import Assessment, EnrolmentRefusal, IndividualPlan, InterventionSession
from inmates.models import Custody, LegalStatus
from prisons.models import Facility

from . import suppression

NATIONAL, OTHERS = "national", "others"
TOTAL = "all"
MEASURES = [
    ("assessed", gettext_lazy("avec une évaluation des besoins")),
    ("planned", gettext_lazy("avec un plan individuel")),
    ("attended", gettext_lazy("ayant suivi au moins une séance d'intervention")),
    ("refused", gettext_lazy("inscription refusée à cause de leur catégorie")),
]


def categories():
    """Terrorism-related by legal status (the presumption of innocence: never one lump), then others."""
    return [*((("terror", s), _("Terrorisme — %(s)s") % {"s": label}) for s, label in LegalStatus.choices),
            (("other",), _("Autres personnes détenues"))]


def _rows(facility_ids):
    held = Custody.objects.held()
    if facility_ids is not None:
        held = held.filter(facility_id__in=facility_ids)
    attended = InterventionSession.objects.filter(intervention__plan__custody=OuterRef("pk"), attended=True)
    return held.annotate(
        assessed=Exists(Assessment.objects.filter(custody=OuterRef("pk"))),
        planned=Exists(IndividualPlan.objects.filter(custody=OuterRef("pk"))),
        attended=Exists(attended),
        refused=Exists(EnrolmentRefusal.objects.filter(intervention__plan__custody=OuterRef("pk"),
                                                       because_of_category=True)),
    ).values_list("facility_id", "terrorism_related", "legal_status", "assessed", "planned", "attended", "refused")


def scope(user, facility=None):
    """The ids of the prisons counted for `user` (None: every prison)."""
    return [facility.pk] if facility is not None else user.visible_facility_ids()


def tally(facility_ids):
    """The raw counts of the people held now in those prisons (None: all): (raw, per facility).
    `raw` maps (measure or "N", category, facility id) to a count; the nightly snapshot keeps them."""
    raw = defaultdict(int)
    per_facility = defaultdict(int)
    for fid, terror, status, *flags in _rows(facility_ids):
        cat = ("terror", status) if terror else ("other",)
        per_facility[fid] += 1
        raw[("N", cat, fid)] += 1
        for (measure, _label), flag in zip(MEASURES, flags, strict=True):
            raw[(measure, cat, fid)] += int(bool(flag))
    return raw, per_facility


def build(user, facility=None):
    """The table, protected: {"day", "columns", "values", "status"}; scoped to what `user` sees."""
    return {"day": timezone.localdate(), **protect(*tally(scope(user, facility)))}


def protect(raw, per_facility):
    """Raw counts → the published table: {"columns", "values", "status"} (small prisons grouped,
    small cells hidden, with their complements, so that none can be worked out by subtraction)."""
    small = {fid for fid, n in per_facility.items() if n < suppression.THRESHOLD}
    named = sorted((f for f in per_facility if f not in small), key=lambda f: per_facility[f])
    while small and named and sum(per_facility[f] for f in small) < suppression.THRESHOLD:
        small.add(named.pop(0))
    column_of = {fid: (OTHERS if fid in small else fid) for fid in per_facility}
    names = dict(Facility.objects.filter(pk__in=list(per_facility)).values_list("pk", "name"))
    columns = [(fid, names[fid]) for fid in sorted((f for f in per_facility if f not in small), key=names.get)]
    if small:
        columns.append((OTHERS, _("Autres établissements (regroupés)")))
    cols = [c for c, _l in columns]
    cats = [c for c, _l in categories()]

    def cell(measure, cat, col):
        return sum(n for (m, c, fid), n in raw.items() if m == measure and c == cat and column_of[fid] == col)

    totals, total_lines = {}, []
    for col in cols:
        for cat in cats:
            totals[("N", cat, col)] = cell("N", cat, col)
        totals[("N", TOTAL, col)] = sum(totals[("N", cat, col)] for cat in cats)
    for cat in [*cats, TOTAL]:
        totals[("N", cat, NATIONAL)] = sum(totals[("N", cat, col)] for col in cols)
        total_lines.append(([("N", cat, col) for col in cols], ("N", cat, NATIONAL)))
    for col in [*cols, NATIONAL]:
        total_lines.append(([("N", cat, col) for cat in cats], ("N", TOTAL, col)))

    tables = []
    for measure, _label in MEASURES:
        values, lines = {}, []
        for col in cols:
            for cat in cats:
                values[(measure, cat, col)] = cell(measure, cat, col)
            values[(measure, TOTAL, col)] = sum(values[(measure, cat, col)] for cat in cats)
        for cat in [*cats, TOTAL]:
            values[(measure, cat, NATIONAL)] = sum(values[(measure, cat, col)] for col in cols)
            lines.append(([(measure, cat, col) for col in cols], (measure, cat, NATIONAL)))
        for col in [*cols, NATIONAL]:
            lines.append(([(measure, cat, col) for cat in cats], (measure, TOTAL, col)))
            for cat in [*cats, TOTAL]:  # "with" + "without" = the population: a published base
                values[(f"no_{measure}", cat, col)] = totals[("N", cat, col)] - values[(measure, cat, col)]
                lines.append(([(measure, cat, col), (f"no_{measure}", cat, col)], ("N", cat, col)))
        tables.append((values, lines))

    forced = {}
    while True:  # populations first, then each measure with them fixed (as oversight.profiles)
        status = suppression.protect(totals, total_lines, initial=forced)
        restart = False
        for values, lines in tables:
            fixed = {k: status[k] for k in totals}
            found = suppression.protect({**totals, **values}, lines, initial=fixed, frozen=frozenset(totals))
            hidden = {k: v for k, v in found.items() if k in totals and v != status[k]}
            if hidden:
                forced.update(hidden)
                restart = True
                break
            status.update({k: v for k, v in found.items() if k not in totals})
        if not restart:
            break
    values = dict(totals)
    for table_values, _lines in tables:
        values.update(table_values)
    return {"columns": [*columns, (NATIONAL, _("National"))], "values": values, "status": status}


def _cell(table, key, base):
    value, state = table["values"][key], table["status"][key]
    shown = state == suppression.SHOWN and table["status"][base] == suppression.SHOWN
    return {"text": str(suppression.display(value, state)), "value": value if state == suppression.SHOWN else None,
            "percent": percentage(value, table["values"][base]) if shown else None}


def published_rows(table) -> list:
    """Per category row and column: the population and each measure, as published."""
    out = []
    for key, label in [*categories(), (TOTAL, _("Toutes les personnes détenues"))]:
        out.append({
            "category": "-".join(key) if isinstance(key, tuple) else key, "label": str(label),
            "cells": [{"column": str(col), "held": _cell(table, ("N", key, col), ("N", key, col)),
                       "measures": {m: _cell(table, (m, key, col), ("N", key, col)) for m, _l in MEASURES}}
                      for col, _name in table["columns"]]})
    return out


def published_columns(table) -> list:
    return [{"key": str(c), "name": str(n)} for c, n in table["columns"]]


def report(user, facility=None) -> dict:
    """The published report of today (its trend over the months: oversight.followup_trend)."""
    table = build(user, facility)
    return {"day": table["day"].isoformat(), "threshold": suppression.THRESHOLD, "columns": published_columns(table),
            "measures": [{"key": m, "label": str(label)} for m, label in MEASURES], "rows": published_rows(table)}
