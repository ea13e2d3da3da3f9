"""The deadline sweep: keep every pre-trial detention's deadline and alerts current.

Two steps, both set-based (the number of queries does not grow with the number of
detainees):

1. `refreshed_ids` recomputes, with the pure engine in `casework.deadlines.rules` (in batches:
   `casework.deadlines.compute`), the stored deadline (`CaseDeadline`) of the cases whose inputs changed
   since the last run: a case change marks its row stale (and re-evaluates it on commit, see
   `evaluate_case`), an edit of the limits table marks the rows it can change (recomputed in the
   background: `casework.deadlines.recompute`), a case without a row gets one, and a change to the person's
   custody (release, transfer, arrest chain) is found in the audit trail, which every service
   writes. The first run ever compares the arrest chain of every case.
2. `sweep` compares those stored dates with today in a fixed number of SQL statements:
   it opens the alerts whose condition holds (INSERT … SELECT that ignores the rows the
   partial unique index refuses, so that two sweeps at once never duplicate an alert),
   closes the open alerts whose cause ended with the reason, and keeps the history.
   The nightly run reads only the cases recomputed and those whose alerts change by the
   calendar on or before today (`CaseDeadline.next_change_on`, kept by `casework.schedule`);
   the first run and the weekly safety net read every case, with the same result.
"""

import dataclasses
import datetime
import logging

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case as When_
from django.db.models import Count, DateField, Exists, F, Max, Min, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Cast, Coalesce, Least
from django.utils import timezone

from inmates.models import UNTRIED_STATUSES, Custody, PriorCustody
from prisons.models import HELD_STATUSES

from ..models import (
    PRETRIAL_ALERT_KINDS,
    AlertCloseReason,
    AlertKind,
    Case,
    CaseDeadline,
    DeadlineAlert,
    Hearing,
    HearingOutcome,
    SweepRun,
)
from ..releases.services import sweep_releases
from .compute import limit_values, store_deadlines
from .schedule import schedule_next_changes

log = logging.getLogger(__name__)

# Ids below the last run's greatest case id still checked for a missing deadline (cases inserted by
# transactions that committed after that run had started).
MISSING_MARGIN = 2_000
# Cases per statement in the incremental sweep (an IN list: SQLite allows 32,766 parameters).
SWEEP_CHUNK = 5000
# Audit actions that change nothing (reads, exports, sign-ins).
READ_ACTIONS = ("view", "view_medical", "export", "login", "logout", "login_failed")
# Margin for transactions still open when the previous run started.
CHANGE_MARGIN = datetime.timedelta(minutes=15)


def approaching_days() -> int:
    return settings.DEADLINE_APPROACHING_DAYS


def no_hearing_days() -> int:
    return settings.DEADLINE_NO_HEARING_DAYS


def pretrial_cases():
    """Cases of people still held and still untried: the only ones with deadlines to watch."""
    return Case.objects.filter(legal_status__in=UNTRIED_STATUSES, closed_on__isnull=True,
                               custody__status__in=HELD_STATUSES)


def _live_first_custody():
    first_prior = PriorCustody.objects.filter(custody_id=OuterRef("custody_id")).values("custody_id").annotate(
        m=Min("started_at")).values("m")
    admitted = F("custody__admitted_at")
    return Least(admitted, Coalesce(F("custody__arrested_at"), admitted), Coalesce(Subquery(first_prior), admitted))


def _live_prior_count():
    return Coalesce(Subquery(
        PriorCustody.objects.filter(custody_id=OuterRef("custody_id")).values("custody_id")
        .annotate(n=Count("id")).values("n")
    ), 0)


def arrest_chain_mismatch(case_ids=None):
    """Pre-trial cases whose stored first day of custody or number of earlier custodies no
    longer match the records (a full comparison: used by the first run only)."""
    qs = pretrial_cases()
    if case_ids is not None:
        qs = qs.filter(pk__in=case_ids)
    return qs.alias(live_first=_live_first_custody(), live_priors=_live_prior_count()).filter(
        ~Q(deadline__first_custody_at=F("live_first")) | ~Q(deadline__prior_custody_count=F("live_priors"))
    ).values_list("pk", flat=True)


def stale_case_ids(case_ids=None, *, since=None, cases_after=None) -> set[int]:
    """Cases whose stored deadline must be recomputed: marked stale, missing, or belonging to
    a person whose records changed since `since` (from the audit trail; every case when None).
    `cases_after`: look for missing rows only among the cases of a greater id (those created since
    the last run, with a margin: an index range instead of a scan of every case)."""
    from accounts.models import AuditEntry

    def scoped(qs, field="pk"):
        return qs if case_ids is None else qs.filter(**{f"{field}__in": case_ids})

    ids = set(scoped(CaseDeadline.objects.filter(stale=True), "case_id").values_list("case_id", flat=True))
    missing = Case.objects.filter(legal_status__in=UNTRIED_STATUSES, closed_on__isnull=True).exclude(
        Exists(CaseDeadline.objects.filter(case_id=OuterRef("pk"))))
    if cases_after is not None:
        missing = missing.filter(pk__gt=cases_after)
    ids.update(scoped(missing).values_list("pk", flat=True))
    if since is None:
        ids.update(arrest_chain_mismatch(case_ids))
    else:
        touched = AuditEntry.objects.filter(at__gte=since - CHANGE_MARGIN, inmate_id__isnull=False).exclude(
            action__in=READ_ACTIONS).values("inmate_id")
        # Cases still in scope, or still counted as such, of the people concerned.
        ids.update(scoped(Case.objects.filter(custody__inmate_id__in=touched).filter(
            Q(deadline__active=True) | Q(closed_on__isnull=True, legal_status__in=UNTRIED_STATUSES)
        )).values_list("pk", flat=True))
    return ids


def refresh_deadlines(case_ids=None, *, force=False, since=None) -> int:
    """Recompute the stored deadlines that are out of date (all given ones with `force`)."""
    return len(refreshed_ids(case_ids, force=force, since=since))


def refreshed_ids(case_ids=None, *, force=False, since=None, cases_after=None) -> list[int]:
    """`refresh_deadlines`, returning the ids of the cases recomputed."""
    if force and case_ids is not None:
        ids = list(Case.objects.filter(pk__in=case_ids).values_list("pk", flat=True))
    else:
        ids = sorted(stale_case_ids(case_ids, since=since, cases_after=cases_after))
    if ids:
        store_deadlines(ids, limit_values())
    return ids


def desired(kind: str, today: datetime.date, case_ids=None):
    """Stored deadlines of pre-trial cases for which an alert of `kind` must be open today.

    The same conditions as `casework.deadlines.rules.flags`, in SQL.
    """
    qs = CaseDeadline.objects.filter(active=True)
    if case_ids is not None:
        qs = qs.filter(case_id__in=case_ids)
    no_date = Cast(Value(None), output_field=DateField())  # typed NULL: PostgreSQL needs date
    if kind == AlertKind.NO_ORDER:
        return qs.filter(has_order=False).annotate(due=no_date)
    if kind == AlertKind.POLICE_CUSTODY:
        return qs.filter(police_custody_exceeded=True).annotate(due=no_date)
    if kind == AlertKind.OVERDUE:
        return qs.filter(deadline_on__lt=today).annotate(due=F("deadline_on"))
    if kind == AlertKind.BEYOND_MAXIMUM:
        return qs.filter(max_on__lt=today).annotate(due=F("max_on"))
    if kind == AlertKind.APPROACHING:
        soon = today + datetime.timedelta(days=approaching_days())
        return qs.filter(Q(deadline_on__lte=soon) | Q(renewal_window_from__lte=today),
                         deadline_on__gte=today).annotate(due=F("deadline_on"))
    if kind == AlertKind.NO_HEARING:
        since = today - datetime.timedelta(days=no_hearing_days())
        recent = Hearing.objects.filter(case_id=OuterRef("case_id"), date__gte=since, date__lte=today).exclude(
            outcome=HearingOutcome.NOT_PRODUCED)
        return qs.filter(hearing_reference_on__lt=since).exclude(Exists(recent)).annotate(due=no_date)
    raise ValueError(kind)


CLOSE_REASON = {
    AlertKind.OVERDUE: AlertCloseReason.RENEWAL,
    AlertKind.BEYOND_MAXIMUM: AlertCloseReason.CHANGED,
    AlertKind.NO_ORDER: AlertCloseReason.ORDER,
    AlertKind.NO_HEARING: AlertCloseReason.HEARING,
    AlertKind.POLICE_CUSTODY: AlertCloseReason.CHANGED,
}
DATED_KINDS = {AlertKind.APPROACHING: "deadline_on", AlertKind.OVERDUE: "deadline_on",
               AlertKind.BEYOND_MAXIMUM: "max_on"}


@dataclasses.dataclass
class SweepResult:
    today: datetime.date
    refreshed: int = 0
    swept: int | None = None  # cases swept by an incremental run (None: every case)
    opened: dict = dataclasses.field(default_factory=dict)
    closed: dict = dataclasses.field(default_factory=dict)

    @property
    def total_opened(self):
        return sum(self.opened.values())

    @property
    def total_closed(self):
        return sum(self.closed.values())


def open_alerts(kind, today, now, case_ids=None, *, skip_open=True, select=None) -> int:
    """INSERT … SELECT the alerts of `kind` due today; a row the partial unique index refuses
    (an alert opened meanwhile by a concurrent sweep) is skipped, never duplicated.

    `select` (rows of case id, stay and due date) replaces the pre-trial conditions: the release
    alerts (`casework.releases`) are opened the same way."""
    if select is None:
        select = desired(kind, today, case_ids)
        if skip_open:
            already = DeadlineAlert.objects.filter(case_id=OuterRef("case_id"), kind=kind, closed_at__isnull=True)
            select = select.exclude(Exists(already))
        select = select.annotate(stay=F("case__custody_id")).values_list("case_id", "stay", "due")
    sql, params = select.query.sql_with_params()
    table = DeadlineAlert._meta.db_table
    columns = "(case_id, custody_id, due_on, kind, opened_at, close_reason)"  # the SELECT list, in order
    body = f"SELECT s.case_id, s.stay, s.due, %s, %s, %s FROM ({sql}) s"
    params = (kind, connection.ops.adapt_datetimefield_value(now), "", *params)
    if connection.vendor == "postgresql":
        statement = f"INSERT INTO {table} {columns} {body} ON CONFLICT DO NOTHING"
    else:
        statement = f"INSERT OR IGNORE INTO {table} {columns} {body}"
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return max(cursor.rowcount, 0)


def last_run():
    return SweepRun.objects.filter(finished_at__isnull=False).order_by("-started_at").first()


def sweep(*, today: datetime.date | None = None, case_ids=None, refresh: bool = True,
          full: bool | None = None, run: SweepRun | None = None) -> SweepResult:
    """Open, close and date the alerts of the pre-trial detentions (or of `case_ids`).

    The nightly run is incremental: it recomputes the deadlines out of date (stale, missing, or of a
    person whose records changed since the last run) and sweeps only those cases and the ones whose
    alerts change by the calendar on or before `today` (`CaseDeadline.next_change_on`, an index
    range), then the release and case-less alerts. `full` sweeps every case (the first run, the
    weekly safety net: `casework.deadlines.recompute`); both give the same alerts. `run`: the row of a
    background recomputation that this sweep completes (else a new one).

    Idempotent: running it twice, or twice at the same time, opens no duplicate (the partial
    unique index `one_open_alert_per_case_and_kind` refuses them and the insert skips them).
    """
    today = today or timezone.localdate()
    now = timezone.now()
    result = SweepResult(today=today)
    if case_ids is not None:
        if refresh:
            result.refreshed = refresh_deadlines(case_ids)
        with transaction.atomic():
            _sweep_pretrial(result, today, now, case_ids)
            _sweep_others(result, today, now, case_ids)
        schedule_next_changes(case_ids, today=today)
        return result
    previous = last_run()
    since = previous.started_at if previous else None
    full = since is None if full is None else full
    newest = Case.objects.aggregate(m=Max("pk"))["m"] or 0
    if run is None:
        run = SweepRun.objects.create(day=today, started_at=now, full=full)
    # Cases created since the last run (their ids are greater, give or take transactions that were
    # still open): where a case without a stored deadline can be, once every older one has one.
    after = None
    if not full and previous is not None and previous.last_case_id is not None:
        after = previous.last_case_id - MISSING_MARGIN
    ids = refreshed_ids(since=since, cases_after=after) if refresh else []
    result.refreshed = len(ids)
    with transaction.atomic():
        if full:
            _sweep_pretrial(result, today, now, None)
        else:
            ids = sorted(set(ids).union(CaseDeadline.objects.filter(next_change_on__lte=today)
                                        .values_list("case_id", flat=True)))
            for start in range(0, len(ids), SWEEP_CHUNK):
                _sweep_pretrial(result, today, now, ids[start:start + SWEEP_CHUNK])
        _sweep_others(result, today, now, None)
    result.swept = None if full else len(ids)
    schedule_next_changes(None if full else ids, today=today)
    SweepRun.objects.filter(pk=run.pk).update(finished_at=timezone.now(), refreshed=result.refreshed,
                                              opened=result.total_opened, closed=result.total_closed,
                                              last_case_id=newest)
    log.info("Deadline sweep %s (%s): %s opened, %s closed", today, "full" if full else f"{len(ids)} cases",
             result.total_opened, result.total_closed)
    return result


def _sweep_pretrial(result, today, now, case_ids) -> None:
    """The pre-trial alerts of `case_ids` (every case when None): close, open, date. Counts add up."""
    def add(counts, kind, n):
        counts[kind] = counts.get(kind, 0) + n

    # The release alerts have their own causes and ends (casework.releases).
    open_now = DeadlineAlert.objects.filter(closed_at__isnull=True, kind__in=PRETRIAL_ALERT_KINDS,
                                              case__isnull=False)
    if case_ids is not None:
        open_now = open_now.filter(case_id__in=case_ids)
    # Whatever the kind, an alert ends with the detention's end or the end of the pre-trial stage.
    released = Case.objects.filter(pk=OuterRef("case_id")).exclude(custody__status__in=HELD_STATUSES)
    ended = open_now.exclude(Exists(CaseDeadline.objects.filter(case_id=OuterRef("case_id"), active=True)))
    add(result.closed, "ended", ended.update(closed_at=now, close_reason=When_(
        When(Exists(released), then=Value(AlertCloseReason.RELEASE)), default=Value(AlertCloseReason.JUDGMENT))))
    for kind in PRETRIAL_ALERT_KINDS:
        # NOT EXISTS (an anti-join), never NOT IN: PostgreSQL cannot hash a NOT IN over a
        # large subquery and falls back to scanning it once per alert.
        # Not scoped again to `case_ids`: the outer alert is, and a list inside the correlated
        # subquery would be scanned once per alert.
        still_due = desired(kind, today).filter(case_id=OuterRef("case_id"))
        ended = open_now.filter(kind=kind).exclude(Exists(still_due))
        if kind == AlertKind.APPROACHING:
            passed = CaseDeadline.objects.filter(case_id=OuterRef("case_id"), deadline_on__lt=today)
            reason = When_(When(Exists(passed), then=Value(AlertCloseReason.DEADLINE_PASSED)),
                           default=Value(AlertCloseReason.RENEWAL))
        else:
            reason = Value(CLOSE_REASON[kind])
        add(result.closed, kind, ended.update(closed_at=now, close_reason=reason))
    for kind in PRETRIAL_ALERT_KINDS:
        add(result.opened, kind, open_alerts(kind, today, now, case_ids))
    for kind, column in DATED_KINDS.items():
        current = CaseDeadline.objects.filter(case_id=OuterRef("case_id")).values(column)[:1]
        changed = CaseDeadline.objects.filter(case_id=OuterRef("case_id")).exclude(**{column: OuterRef("due_on")})
        open_now.filter(kind=kind).filter(Exists(changed)).update(due_on=Subquery(current))


def _sweep_others(result, today, now, case_ids) -> None:
    """The release alerts (casework.releases) and those of people held with no case."""
    releases = sweep_releases(now=now, today=today, case_ids=case_ids)
    result.opened.update(releases["opened"])
    result.closed.update(releases["closed"])
    result.opened["no_case"], result.closed["no_case"] = sweep_caseless(now, case_ids)


def sweep_caseless(now, case_ids=None) -> tuple[int, int]:
    """A person held with no case at all has no detention order on file (LAW.md §4): one open
    "no detention order" alert on the stay, closed when a case is opened or the person leaves.
    Two statements, whatever the number of people."""
    no_case = Custody.objects.filter(status__in=HELD_STATUSES).exclude(
        Exists(Case.objects.filter(custody_id=OuterRef("pk"))))
    # A person held without a title has the critical "held without title" alert instead
    # (opened by intake.presentations); it ends when the stay does, whatever the sweep.
    no_title = DeadlineAlert.objects.filter(closed_at__isnull=True, case__isnull=True, kind=AlertKind.NO_TITLE)
    no_title.exclude(custody__status__in=HELD_STATUSES).update(closed_at=now, close_reason=AlertCloseReason.RELEASE)
    no_case = no_case.exclude(Exists(no_title.filter(custody_id=OuterRef("pk"))))
    open_now = DeadlineAlert.objects.filter(closed_at__isnull=True, case__isnull=True, kind=AlertKind.NO_ORDER)
    if case_ids is not None:
        stays = Case.objects.filter(pk__in=case_ids).values("custody_id")
        no_case, open_now = no_case.filter(pk__in=stays), open_now.filter(custody_id__in=stays)
    held = Custody.objects.filter(pk=OuterRef("custody_id"), status__in=HELD_STATUSES)
    closed = open_now.exclude(custody_id__in=no_case.values("pk")).update(
        closed_at=now, close_reason=When_(When(Exists(held), then=Value(AlertCloseReason.ORDER)),
                                          default=Value(AlertCloseReason.RELEASE)))
    missing = no_case.exclude(Exists(open_now.filter(custody_id=OuterRef("pk")))).values_list("pk", flat=True)
    created = DeadlineAlert.objects.bulk_create(
        [DeadlineAlert(custody_id=pk, kind=AlertKind.NO_ORDER, opened_at=now) for pk in missing],
        ignore_conflicts=True)  # the partial unique index refuses an alert opened meanwhile
    return len(created), closed


def evaluate_case(case_id: int, *, today: datetime.date | None = None) -> SweepResult:
    """Recompute one case's deadline and alerts (run on commit after the case changes)."""
    refresh_deadlines([case_id], force=True)
    return sweep(today=today, case_ids=[case_id], refresh=False)
