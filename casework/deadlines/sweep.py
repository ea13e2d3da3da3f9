"""The deadline sweep: keep every pre-trial detention's deadline and alerts current.

Two steps, both set-based (the number of queries does not grow with the number of
detainees):

1. `refresh_deadlines` recomputes, with the pure engine in `casework.deadlines.rules`, the
   stored deadline (`CaseDeadline`) of the cases whose inputs changed since the last run:
   a case change marks its row stale (and re-evaluates it on commit, see `evaluate_case`),
   an edit of the limits table marks every row, a case without a row gets one, and a change
   to the person's custody (release, transfer, arrest chain) is found in the audit trail,
   which every service writes. The first run ever compares the arrest chain of every case.
2. `sweep` compares those stored dates with today in a fixed number of SQL statements:
   it opens the alerts whose condition holds (INSERT … SELECT that ignores the rows the
   partial unique index refuses, so that two sweeps at once never duplicate an alert),
   closes the open alerts whose cause ended with the reason, and keeps the history.
"""

import dataclasses
import datetime
import logging
from collections import defaultdict

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case as When_
from django.db.models import Count, DateField, Exists, F, Min, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Cast, Coalesce, Least
from django.utils import timezone

from casework.deadlines import rules
from casework.models import (
    PRETRIAL_ALERT_KINDS,
    AlertCloseReason,
    AlertKind,
    Case,
    CaseDeadline,
    Charge,
    DeadlineAlert,
    DetentionLimit,
    DetentionOrder,
    Hearing,
    HearingKind,
    HearingOutcome,
    SweepRun,
)
from casework.releases.services import sweep_releases
from inmates.models import UNTRIED_STATUSES, Custody, PriorCustody
from prisons.models import HELD_STATUSES

log = logging.getLogger(__name__)

CHUNK = 5000
DEADLINE_FIELDS = [
    "limit", "governing_class", "has_order", "start_on", "deadline_on", "max_on", "renewal_window_from",
    "renewals_counted", "first_custody_at", "prior_custody_count", "conservative_deadline_on",
    "conservative_max_on", "hearing_reference_on", "police_custody_hours", "police_custody_limit_hours",
    "police_custody_exceeded", "notes", "active", "court", "investigating_judge", "stale", "computed_at",
]
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


def stale_case_ids(case_ids=None, *, since=None) -> set[int]:
    """Cases whose stored deadline must be recomputed: marked stale, missing, or belonging to
    a person whose records changed since `since` (from the audit trail; every case when None)."""
    from accounts.models import AuditEntry

    def scoped(qs, field="pk"):
        return qs if case_ids is None else qs.filter(**{f"{field}__in": case_ids})

    ids = set(scoped(CaseDeadline.objects.filter(stale=True), "case_id").values_list("case_id", flat=True))
    missing = Case.objects.filter(legal_status__in=UNTRIED_STATUSES, closed_on__isnull=True).exclude(
        Exists(CaseDeadline.objects.filter(case_id=OuterRef("pk"))))
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


def compute_deadlines(case_ids, limits) -> list[CaseDeadline]:
    """Engine results for these cases, loaded in a fixed number of queries."""
    now = timezone.now()
    cases = list(Case.objects.filter(pk__in=case_ids).values_list(
        "pk", "custody_id", "custody__admitted_at", "custody__arrested_at", "legal_status", "closed_on",
        "custody__status", "court_id", "investigating_judge", "custody__inmate__domiciled_in_mali"))
    charges = defaultdict(list)
    for case_id, legal_class, penalty, flagrant, terrorism, status in Charge.objects.filter(
            case_id__in=case_ids).values_list("case_id", "legal_class", "max_penalty_months", "flagrant",
                                              "terrorism_related", "status"):
        charges[case_id].append(rules.ChargeFacts(legal_class, penalty, flagrant, terrorism, status == "current"))
    orders = defaultdict(list)
    for case_id, kind, issued_on, valid_until in DetentionOrder.objects.filter(case_id__in=case_ids).values_list(
            "case_id", "kind", "issued_on", "valid_until"):
        orders[case_id].append(rules.OrderFacts(kind, issued_on, valid_until))
    first_appearance = dict(
        Hearing.objects.filter(case_id__in=case_ids, kind=HearingKind.FIRST_APPEARANCE)
        .exclude(outcome=HearingOutcome.NOT_PRODUCED).values("case_id").annotate(d=Min("date"))
        .values_list("case_id", "d")
    )
    priors = defaultdict(list)
    for custody_id, kind, started_at, ended_at in PriorCustody.objects.filter(
            custody_id__in={c[1] for c in cases}).values_list("custody_id", "kind", "started_at", "ended_at"):
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
        results.append(CaseDeadline(
            case_id=case_id, limit_id=found.limit.id if found.limit else None,
            governing_class=found.governing_class, has_order=found.has_order, start_on=found.start_on,
            deadline_on=found.deadline_on, max_on=found.max_on, renewal_window_from=found.renewal_window_from,
            renewals_counted=found.renewals_counted, first_custody_at=first, prior_custody_count=len(spans),
            conservative_deadline_on=found.conservative_deadline_on,
            conservative_max_on=found.conservative_max_on, hearing_reference_on=found.hearing_reference_on,
            police_custody_hours=found.police_custody_hours,
            police_custody_limit_hours=found.police_custody_limit_hours,
            police_custody_exceeded=found.police_custody_exceeded, notes="\n".join(found.notes),
            active=(legal_status in UNTRIED_STATUSES and closed_on is None and custody_status in HELD_STATUSES),
            court_id=court_id, investigating_judge=judge,
            stale=False, computed_at=now,
        ))
    return results


def refresh_deadlines(case_ids=None, *, force=False, since=None) -> int:
    """Recompute the stored deadlines that are out of date (all given ones with `force`)."""
    if force and case_ids is not None:
        ids = list(Case.objects.filter(pk__in=case_ids).values_list("pk", flat=True))
    else:
        ids = sorted(stale_case_ids(case_ids, since=since))
    if not ids:
        return 0
    limits = limit_values()
    for start in range(0, len(ids), CHUNK):
        rows = compute_deadlines(ids[start:start + CHUNK], limits)
        CaseDeadline.objects.bulk_create(rows, update_conflicts=True, unique_fields=["case"],
                                         update_fields=DEADLINE_FIELDS, batch_size=CHUNK)
    return len(ids)


def mark_all_stale() -> int:
    """After an edit of the limits table: every deadline is recomputed by the next sweep."""
    return CaseDeadline.objects.filter(stale=False).update(stale=True)


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
    alerts (`casework.releases.services`) are opened the same way."""
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


def last_run_start():
    run = SweepRun.objects.filter(finished_at__isnull=False).order_by("-started_at").first()
    return run.started_at if run else None


def sweep(*, today: datetime.date | None = None, case_ids=None, refresh: bool = True) -> SweepResult:
    """Open, close and date the alerts of every pre-trial detention (or of `case_ids`).

    Idempotent: running it twice, or twice at the same time, opens no duplicate (the partial
    unique index `one_open_alert_per_case_and_kind` refuses them and the insert skips them).
    """
    today = today or timezone.localdate()
    now = timezone.now()
    result = SweepResult(today=today)
    run = None
    if case_ids is None:
        since = last_run_start()
        run = SweepRun.objects.create(day=today, started_at=now)
    if refresh:
        result.refreshed = refresh_deadlines(case_ids, since=since if case_ids is None else None)
    with transaction.atomic():
        # The release alerts have their own causes and ends (casework.releases.services).
        open_now = DeadlineAlert.objects.filter(closed_at__isnull=True, kind__in=PRETRIAL_ALERT_KINDS,
                                                  case__isnull=False)
        if case_ids is not None:
            open_now = open_now.filter(case_id__in=case_ids)
        # Whatever the kind, an alert ends with the detention's end or the end of the pre-trial stage.
        released = Case.objects.filter(pk=OuterRef("case_id")).exclude(custody__status__in=HELD_STATUSES)
        ended = open_now.exclude(Exists(CaseDeadline.objects.filter(case_id=OuterRef("case_id"), active=True)))
        result.closed["ended"] = ended.update(closed_at=now, close_reason=When_(
            When(Exists(released), then=Value(AlertCloseReason.RELEASE)), default=Value(AlertCloseReason.JUDGMENT)))
        for kind in PRETRIAL_ALERT_KINDS:
            # NOT EXISTS (an anti-join), never NOT IN: PostgreSQL cannot hash a NOT IN over a
            # large subquery and falls back to scanning it once per alert.
            still_due = desired(kind, today, case_ids).filter(case_id=OuterRef("case_id"))
            ended = open_now.filter(kind=kind).exclude(Exists(still_due))
            if kind == AlertKind.APPROACHING:
                passed = CaseDeadline.objects.filter(case_id=OuterRef("case_id"), deadline_on__lt=today)
                reason = When_(When(Exists(passed), then=Value(AlertCloseReason.DEADLINE_PASSED)),
                               default=Value(AlertCloseReason.RENEWAL))
            else:
                reason = Value(CLOSE_REASON[kind])
            result.closed[kind] = ended.update(closed_at=now, close_reason=reason)
        for kind in PRETRIAL_ALERT_KINDS:
            result.opened[kind] = open_alerts(kind, today, now, case_ids)
        releases = sweep_releases(now=now, today=today, case_ids=case_ids)
        result.opened.update(releases["opened"])
        result.closed.update(releases["closed"])
        for kind, column in DATED_KINDS.items():
            current = CaseDeadline.objects.filter(case_id=OuterRef("case_id")).values(column)[:1]
            changed = CaseDeadline.objects.filter(case_id=OuterRef("case_id")).exclude(**{column: OuterRef("due_on")})
            open_now.filter(kind=kind).filter(Exists(changed)).update(due_on=Subquery(current))
        result.opened["no_case"], result.closed["no_case"] = sweep_caseless(now, case_ids)
    if run is not None:
        SweepRun.objects.filter(pk=run.pk).update(finished_at=timezone.now(), refreshed=result.refreshed,
                                                  opened=result.total_opened, closed=result.total_closed)
    log.info("Deadline sweep %s: %s opened, %s closed", today, result.total_opened, result.total_closed)
    return result


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
