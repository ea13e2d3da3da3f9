"""Stored deadlines (`CaseDeadline`) computed in batches: a fixed number of queries per batch of
cases, the pure engine (`casework.deadlines`) on plain values, one write per batch.

A whole table at a time (the weekly safety net, the first run) reads each batch as a range of case
ids (index ranges, no list of ids to send) and, on PostgreSQL, writes it with one
INSERT … ON CONFLICT DO UPDATE over the batch's values; no model instance is built.
"""

from collections import defaultdict

from django.db import connection
from django.db.models import Min
from django.utils import timezone

from inmates.models import UNTRIED_STATUSES, PriorCustody
from prisons.models import HELD_STATUSES

from ..models import (
    Case,
    CaseDeadline,
    Charge,
    DetentionLimit,
    DetentionOrder,
    Hearing,
    HearingKind,
    HearingOutcome,
)
from . import rules

CHUNK = 5000
DEADLINE_FIELDS = [
    "limit", "governing_class", "has_order", "start_on", "deadline_on", "max_on", "renewal_window_from",
    "renewals_counted", "first_custody_at", "prior_custody_count", "conservative_deadline_on",
    "conservative_max_on", "hearing_reference_on", "police_custody_hours", "police_custody_limit_hours",
    "police_custody_exceeded", "notes", "active", "court", "investigating_judge", "stale", "computed_at",
    "next_change_on",
]
COLUMNS = ["case_id"] + [CaseDeadline._meta.get_field(name).column for name in DEADLINE_FIELDS]


def limit_values(rows=None) -> list[rules.Limit]:
    """The limits table as the engine's plain values."""
    rows = DetentionLimit.objects.all() if rows is None else rows
    return [
        rules.Limit(
            id=row.pk, key=row.key, code_version=row.code_version, valid_from=row.valid_from,
            valid_to=row.valid_to, initial=rules.Period(row.initial_amount, row.initial_unit),
            maximum=rules.Period(row.max_amount, row.max_unit), counted_from=row.counted_from,
            renewal_count=row.renewal_count,
            renewal=rules.Period(row.renewal_amount, row.renewal_unit) if row.renewal_amount else None,
            renewal_window_working_days=row.renewal_window_working_days,
        )
        for row in rows
    ]


def _scope(qs, field, case_ids, between):
    if between is not None:
        return qs.filter(**{f"{field}__gte": between[0], f"{field}__lte": between[1]})
    return qs.filter(**{f"{field}__in": case_ids})


def compute_deadlines(case_ids, limits, *, between=None) -> list[tuple]:
    """Engine results for these cases (or every case whose id is in the range `between`), each a tuple
    in the order of `COLUMNS`, loaded in a fixed number of queries. Each is due for a sweep today
    (`next_change_on`): the sweep that follows dates its next change."""
    now = timezone.now()
    today = timezone.localdate(now)
    cases = list(_scope(Case.objects, "pk", case_ids, between).values_list(
        "pk", "custody_id", "custody__admitted_at", "custody__arrested_at", "legal_status", "closed_on",
        "custody__status", "court_id", "investigating_judge", "custody__inmate__domiciled_in_mali"))
    charges = defaultdict(list)
    for case_id, legal_class, penalty, flagrant, terrorism, status in _scope(
            Charge.objects, "case_id", case_ids, between).values_list(
            "case_id", "legal_class", "max_penalty_months", "flagrant", "terrorism_related", "status"):
        charges[case_id].append(rules.ChargeFacts(legal_class, penalty, flagrant, terrorism, status == "current"))
    orders = defaultdict(list)
    for case_id, kind, issued_on, valid_until in _scope(
            DetentionOrder.objects, "case_id", case_ids, between).values_list(
            "case_id", "kind", "issued_on", "valid_until"):
        orders[case_id].append(rules.OrderFacts(kind, issued_on, valid_until))
    first_appearance = dict(
        _scope(Hearing.objects, "case_id", case_ids, between).filter(kind=HearingKind.FIRST_APPEARANCE)
        .exclude(outcome=HearingOutcome.NOT_PRODUCED).values("case_id").annotate(d=Min("date"))
        .values_list("case_id", "d").order_by()
    )
    if between is not None:
        # The earlier custodies of the stays of these cases (a stay may have several cases: once each).
        spans = (PriorCustody.objects.filter(custody__cases__pk__gte=between[0], custody__cases__pk__lte=between[1])
                 .values_list("pk", "custody_id", "kind", "started_at", "ended_at").distinct())
    else:
        spans = PriorCustody.objects.filter(custody_id__in={c[1] for c in cases}).values_list(
            "pk", "custody_id", "kind", "started_at", "ended_at")
    priors = defaultdict(list)
    for _pk, custody_id, kind, started_at, ended_at in sorted(spans):
        priors[custody_id].append(rules.CustodySpan(started_at, ended_at, kind))

    results = []
    for (case_id, custody_id, admitted_at, arrested_at, legal_status, closed_on, custody_status, court_id,
         judge, domiciled) in cases:
        spans = priors.get(custody_id, [])
        first = min([admitted_at] + ([arrested_at] if arrested_at else []) + [s.started_at for s in spans])
        found = rules.compute_deadline(
            charges=charges.get(case_id, []), orders=orders.get(case_id, []), limits=limits,
            first_appearance_on=first_appearance.get(case_id),
            first_custody_at=timezone.localtime(first), prior_custody=spans, admitted_at=admitted_at,
            domiciled_in_mali=domiciled,
        )
        results.append((
            case_id, found.limit.id if found.limit else None, found.governing_class, found.has_order,
            found.start_on, found.deadline_on, found.max_on, found.renewal_window_from, found.renewals_counted,
            first, len(spans), found.conservative_deadline_on, found.conservative_max_on,
            found.hearing_reference_on, found.police_custody_hours, found.police_custody_limit_hours,
            found.police_custody_exceeded, "\n".join(found.notes),
            legal_status in UNTRIED_STATUSES and closed_on is None and custody_status in HELD_STATUSES,
            court_id, judge, False, now, today,
        ))
    return results


def write_deadlines(rows) -> None:
    """Insert or update these rows (tuples in the order of `COLUMNS`)."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        from psycopg2.extras import execute_values

        table = CaseDeadline._meta.db_table
        updates = ", ".join(f"{column} = EXCLUDED.{column}" for column in COLUMNS[1:])
        connection.ensure_connection()
        with connection.cursor() as cursor:
            execute_values(cursor.cursor, f"INSERT INTO {table} ({', '.join(COLUMNS)}) VALUES %s "
                                          f"ON CONFLICT (case_id) DO UPDATE SET {updates}", rows, page_size=CHUNK)
        return
    attnames = ["case_id"] + [CaseDeadline._meta.get_field(name).attname for name in DEADLINE_FIELDS]
    CaseDeadline.objects.bulk_create([CaseDeadline(**dict(zip(attnames, row, strict=True))) for row in rows],
                                     update_conflicts=True, unique_fields=["case"], update_fields=DEADLINE_FIELDS,
                                     batch_size=500)


def store_deadlines(ids, limits, *, contiguous: bool = False) -> None:
    """Compute and write the deadlines of these cases (ids in order), a fixed number of queries per
    batch. `contiguous`: the ids are every case between the first and the last (read as ranges)."""
    for start in range(0, len(ids), CHUNK):
        part = ids[start:start + CHUNK]
        between = (part[0], part[-1]) if contiguous else None
        write_deadlines(compute_deadlines(part, limits, between=between))
