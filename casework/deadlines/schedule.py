"""When each pre-trial case's alerts next change by the calendar alone (`CaseDeadline.next_change_on`).

With its stored deadline unchanged, a case's pre-trial alerts (the conditions of
`casework.deadlines.flags`, evaluated in SQL by `casework.sweep.desired`) change only on these days:

- "approaching" opens on the deadline minus `DEADLINE_APPROACHING_DAYS`, or on the first day of the
  renewal window if earlier;
- the day after the deadline (an order's end: the renewal's own end date is the deadline), "approaching"
  closes and "overdue" opens;
- the day after the absolute maximum, "beyond maximum" opens;
- "no hearing" opens `DEADLINE_NO_HEARING_DAYS` + 1 days after the later of the reference day and
  the last hearing held (or scheduled) by then, and closes on the day of the next hearing.

"No detention order" and "police custody exceeded" change only with the case, which marks its row
stale. So the nightly sweep needs only the rows whose next change is on or before today, plus the
stale ones; every other row would give the same alerts as yesterday.
"""

import datetime

from django.conf import settings
from django.db import connection
from django.db.models import Max, Min, Q

from ..models import CaseDeadline, Hearing, HearingOutcome

BATCH = 5000
ONE_DAY = datetime.timedelta(days=1)


def next_change(*, today, active, deadline_on, max_on, renewal_window_from, hearing_reference_on,
                last_hearing_on, next_hearing_on, approaching_days, no_hearing_days):
    """The first day after `today` on which the case's alerts change with nothing recorded, or None.

    `last_hearing_on`: the latest hearing (not "not produced") on or before `today`;
    `next_hearing_on`: the earliest one after `today`."""
    if not active:
        return None
    days = []
    if deadline_on is not None:
        approaching = deadline_on - datetime.timedelta(days=approaching_days)
        if renewal_window_from is not None:
            approaching = min(approaching, renewal_window_from)
        days += [approaching, deadline_on + ONE_DAY]
    if max_on is not None:
        days.append(max_on + ONE_DAY)
    if hearing_reference_on is not None:
        latest = max(hearing_reference_on, last_hearing_on) if last_hearing_on else hearing_reference_on
        days.append(latest + datetime.timedelta(days=no_hearing_days + 1))
        if next_hearing_on is not None:
            days.append(next_hearing_on)
    later = [day for day in days if day > today]
    return min(later) if later else None


def _hearings(rows, today, *, ranged):
    """(last on or before today, first after today) of each case's hearings, in one query; `ranged`:
    the rows are in order of case id, read the hearings of that range of ids (an index range)."""
    counted = Hearing.objects.exclude(outcome=HearingOutcome.NOT_PRODUCED)
    if ranged:
        counted = counted.filter(case_id__gte=rows[0][0], case_id__lte=rows[-1][0])
    else:
        counted = counted.filter(case_id__in=[row[0] for row in rows])
    found = counted.values("case_id").annotate(
        last=Max("date", filter=Q(date__lte=today)), next=Min("date", filter=Q(date__gt=today))
    ).values_list("case_id", "last", "next").order_by()
    return {case_id: (last, nxt) for case_id, last, nxt in found}


def _write(changes) -> None:
    """Store the new dates: one UPDATE … FROM (VALUES …) per batch on PostgreSQL."""
    if not changes:
        return
    if connection.vendor != "postgresql":
        CaseDeadline.objects.bulk_update([CaseDeadline(case_id=pk, next_change_on=day) for pk, day in changes],
                                         ["next_change_on"], batch_size=500)
        return
    table = CaseDeadline._meta.db_table
    for start in range(0, len(changes), BATCH):
        part = changes[start:start + BATCH]
        values = ", ".join(["(%s, %s::date)"] * len(part))
        params = [value for pair in part for value in pair]
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} AS d SET next_change_on = v.day FROM (VALUES {values}) AS v(id, day) "
                           "WHERE d.case_id = v.id", params)


FIELDS = ("case_id", "active", "deadline_on", "max_on", "renewal_window_from", "hearing_reference_on",
          "next_change_on")


def _schedule_rows(rows, today, approaching_days, no_hearing_days, *, ranged=False) -> list:
    if not rows:
        return []
    hearings = _hearings(rows, today, ranged=ranged)
    changes = []
    for case_id, active, deadline_on, max_on, window, reference, stored in rows:
        last, nxt = hearings.get(case_id, (None, None))
        day = next_change(today=today, active=active, deadline_on=deadline_on, max_on=max_on,
                          renewal_window_from=window, hearing_reference_on=reference, last_hearing_on=last,
                          next_hearing_on=nxt, approaching_days=approaching_days,
                          no_hearing_days=no_hearing_days)
        if day != stored:
            changes.append((case_id, day))
    return changes


# `next_change` in one statement (PostgreSQL: LEAST and GREATEST ignore NULL), for every row or an array
# of case ids. The same days: approaching, the day after the deadline and after the maximum, the
# no-hearing threshold from the later of the reference day and the last hearing, the next hearing.
SCHEDULE_SQL = """
WITH h AS (
    SELECT case_id, max(date) FILTER (WHERE date <= %(today)s) AS last, min(date) FILTER (WHERE date > %(today)s) AS next
    FROM casework_hearing WHERE outcome <> 'not_produced' {hearings} GROUP BY case_id
), n AS (
    SELECT d.case_id, CASE WHEN d.active THEN LEAST(
        CASE WHEN LEAST(d.deadline_on - %(approaching)s, d.renewal_window_from) > %(today)s
             THEN LEAST(d.deadline_on - %(approaching)s, d.renewal_window_from) END,
        CASE WHEN d.deadline_on + 1 > %(today)s THEN d.deadline_on + 1 END,
        CASE WHEN d.max_on + 1 > %(today)s THEN d.max_on + 1 END,
        CASE WHEN GREATEST(d.hearing_reference_on, h.last) + %(threshold)s > %(today)s
             AND d.hearing_reference_on IS NOT NULL THEN GREATEST(d.hearing_reference_on, h.last) + %(threshold)s END,
        CASE WHEN d.hearing_reference_on IS NOT NULL THEN h.next END
    ) END AS day
    FROM casework_casedeadline d LEFT JOIN h ON h.case_id = d.case_id {rows}
)
UPDATE casework_casedeadline d SET next_change_on = n.day FROM n
WHERE d.case_id = n.case_id AND d.next_change_on IS DISTINCT FROM n.day
"""


def _schedule_sql(case_ids, today, approaching_days, no_hearing_days) -> int:
    params = {"today": today, "approaching": approaching_days, "threshold": no_hearing_days + 1}
    hearings = rows = ""
    if case_ids is not None:
        params["ids"] = list(case_ids)
        hearings, rows = "AND case_id = ANY(%(ids)s)", "WHERE d.case_id = ANY(%(ids)s)"
    with connection.cursor() as cursor:
        cursor.execute(SCHEDULE_SQL.format(hearings=hearings, rows=rows), params)
        return cursor.rowcount


def schedule_next_changes(case_ids=None, *, today) -> int:
    """Store `next_change_on` of these cases (every stored deadline when None), as seen on `today`;
    only the rows whose date moves are written (returns their number). PostgreSQL: one statement;
    elsewhere a fixed number of queries per batch, with `next_change` in Python."""
    approaching_days, no_hearing_days = settings.DEADLINE_APPROACHING_DAYS, settings.DEADLINE_NO_HEARING_DAYS
    if connection.vendor == "postgresql":
        return _schedule_sql(case_ids, today, approaching_days, no_hearing_days)
    written = 0
    if case_ids is None:
        # Keyset batches over the primary key: each one an index range, whatever the table's size.
        after = 0
        while True:
            rows = list(CaseDeadline.objects.filter(case_id__gt=after).order_by("case_id")
                        .values_list(*FIELDS)[:BATCH])
            if not rows:
                return written
            changes = _schedule_rows(rows, today, approaching_days, no_hearing_days, ranged=True)
            _write(changes)
            written += len(changes)
            after = rows[-1][0]
    ids = sorted(set(case_ids))
    for start in range(0, len(ids), BATCH):
        rows = list(CaseDeadline.objects.filter(case_id__in=ids[start:start + BATCH]).values_list(*FIELDS))
        changes = _schedule_rows(rows, today, approaching_days, no_hearing_days)
        _write(changes)
        written += len(changes)
    return written
