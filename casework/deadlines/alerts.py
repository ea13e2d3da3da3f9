"""Alerts seen by staff: listing and filtering, the limits table's edits, the per-facility
e-mail digest, the art. 129 notice, and the nightly job that runs them all."""

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Case, Count, F, IntegerField, Value, When
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditAction
from accounts.roles import Role
from accounts.services import record_audit
from core.corrections import apply_changes
from prisons.models import Facility

from ..models import (
    CRITICAL_ALERT_KINDS,
    RELEASE_IRREGULARITY_KINDS,
    AlertKind,
    DeadlineAlert,
    DetentionLimit,
    LegalClass,
)
from .recompute import enqueue_recompute, mark_affected_stale
from .sweep import sweep

log = logging.getLogger(__name__)

# 0: held past a release order, past the sentence or without a title (the most serious
# irregularity); 1: a detention past its limit; 2: the rest.
SEVERITY = Case(
    When(kind__in=RELEASE_IRREGULARITY_KINDS, then=Value(0)),
    When(kind__in=[k for k in CRITICAL_ALERT_KINDS if k not in RELEASE_IRREGULARITY_KINDS], then=Value(1)),
    default=Value(2), output_field=IntegerField(),
)
SORTS = {
    "severity": (SEVERITY.asc(), F("case__deadline__deadline_on").asc(nulls_last=True), "opened_at", "id"),
    "overdue": (F("case__deadline__deadline_on").asc(nulls_last=True), "id"),
    "-overdue": (F("case__deadline__deadline_on").desc(nulls_last=True), "id"),
    "opened": ("opened_at", "id"),
    "-opened": ("-opened_at", "-id"),
    "name": ("custody__inmate__last_name", "custody__inmate__first_name", "id"),
}
# Limit rows for délits: an overdue one calls for the art. 129 notice (LAW.md).
DELIT_LIMIT_KEYS = ("delit_short", "delit_long", "flagrant")


def alert_queryset():
    return DeadlineAlert.objects.select_related(
        "case__court", "case__deadline__limit", "custody__inmate", "custody__facility",
        "notice_acknowledgement__acknowledged_by",
    )


def open_alerts_for(user, *, facility=None, court=None, judge="", kind="", sort="severity"):
    """The open alerts this user may see, filtered and sorted (the most serious first by default:
    held past a release order or the sentence, or without a title; then by days overdue)."""
    qs = alert_queryset().visible_to(user).open()
    if facility:
        qs = qs.filter(custody__facility=facility)
    if court:
        qs = qs.filter(case__court=court)
    if judge:
        qs = qs.filter(case__investigating_judge__icontains=judge.strip())
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by(*SORTS.get(sort, SORTS["severity"]))


def days_overdue(alert, today=None):
    today = today or timezone.localdate()
    deadline = getattr(getattr(alert.case, "deadline", None), "deadline_on", None)
    return None if deadline is None else (today - deadline).days


def people_in_order(qs) -> list[int]:
    """The stays (custody ids) of `qs`'s alerts, each once, in the order of their first alert
    (with the severity sort: the order of each person's most serious alert)."""
    return list(dict.fromkeys(qs.values_list("custody_id", flat=True)))


def alerts_by_person(qs, custody_ids, today=None) -> list[dict]:
    """One row per person (stay) of `custody_ids`, in that order, with all their alerts of `qs`:
    {custody, alerts: [{alert, days_overdue, notice}], days_overdue (the longest)}. The alerts
    page and GET /api/v1/alerts/by-person/ both read it."""
    today = today or timezone.localdate()
    grouped = {}
    for alert in qs.filter(custody_id__in=list(custody_ids)):
        grouped.setdefault(alert.custody_id, []).append({
            "alert": alert, "days_overdue": days_overdue(alert, today), "notice": needs_art129_notice(alert),
        })
    rows = []
    for custody_id in custody_ids:
        entries = grouped.get(custody_id)
        if not entries:
            continue
        overdue = [e["days_overdue"] for e in entries if e["days_overdue"] is not None]
        rows.append({"custody": entries[0]["alert"].custody, "alerts": entries,
                     "days_overdue": max(overdue) if overdue else None})
    return rows


def needs_art129_notice(alert) -> bool:
    """An overdue délit detention with no renewal: the head of prison notifies the judge (art. 129)."""
    deadline = getattr(alert.case, "deadline", None)
    return (alert.kind in (AlertKind.OVERDUE, AlertKind.BEYOND_MAXIMUM) and alert.is_open and deadline is not None
            and ((deadline.limit is not None and deadline.limit.key in DELIT_LIMIT_KEYS)
                 or deadline.governing_class == LegalClass.DELIT))


def alert_for_notice(pk, *, user):
    """The alert for an art. 129 notice: 404 outside the user's prisons or when none is due."""
    alert = alert_queryset().visible_to(user).filter(pk=pk).first()
    if alert is None or not needs_art129_notice(alert):
        raise Http404
    return alert


def record_notice(alert, *, actor):
    """The notice is a read of the file and a document produced: both are audited."""
    custody = alert.case.custody
    record_audit(AuditAction.EXPORT, actor=actor, target=alert.case, reason=_("Avis article 129"),
                 inmate_id=custody.inmate_id, facility_id=custody.facility_id)


# --- the limits table ---------------------------------------------------------------------

LIMIT_EDITABLE_FIELDS = (
    "code_title", "valid_from", "valid_to", "applies_to", "initial_amount", "initial_unit", "renewal_count",
    "renewal_amount", "renewal_unit", "max_amount", "max_unit", "counted_from", "renewal_window_working_days",
    "article", "awaiting_confirmation", "source_note",
)


@transaction.atomic
def update_limit(limit: DetentionLimit, *, actor, reason: str, **changes) -> DetentionLimit:
    """Change a row of the limits table, audited with the reason; the deadlines it can change are
    marked stale and recomputed in the background after commit (`casework.deadlines.recompute`)."""
    if set(changes) <= set(LIMIT_EDITABLE_FIELDS) and not (reason or "").strip():
        raise ValidationError({"reason": _("Indiquez le motif de la modification.")})
    locked, diff = apply_changes(limit, changes, actor=actor, allowed=LIMIT_EDITABLE_FIELDS, reason=reason)
    if diff:
        mark_affected_stale(locked.key)
        enqueue_recompute()
    return locked


@transaction.atomic
def save_limit(limit: DetentionLimit, *, actor, changed=()) -> DetentionLimit:
    """Save a row edited in the admin (audited); the deadlines it can change (of its key, before
    and after the edit) are recomputed in the background after commit."""
    limit.full_clean()
    creating = limit.pk is None
    before = DetentionLimit.objects.filter(pk=limit.pk).values_list("key", flat=True).first() if limit.pk else None
    limit.save()
    record_audit(AuditAction.CREATE if creating else AuditAction.UPDATE, actor=actor, target=limit,
                 changes={name: [None, str(getattr(limit, name))] for name in changed})
    mark_affected_stale(*{limit.key, before or limit.key})
    enqueue_recompute()
    return limit


# --- e-mail digest ------------------------------------------------------------------------

def digest_recipients(facility) -> list[str]:
    """The registry and the direction of the prison, with an e-mail address."""
    User = get_user_model()
    return sorted(set(
        User.objects.filter(is_active=True, facilities=facility, groups__name__in=[Role.CLERK, Role.DIRECTOR])
        .exclude(email="").values_list("email", flat=True)
    ))


def send_digests(today=None) -> int:
    """One e-mail per prison with open alerts, to its registry and direction. Returns mails sent."""
    today = today or timezone.localdate()
    counts = (DeadlineAlert.objects.open().values("custody__facility_id", "kind")
              .annotate(n=Count("id")).order_by())
    by_facility = {}
    for row in counts:
        by_facility.setdefault(row["custody__facility_id"], {})[row["kind"]] = row["n"]
    sent = 0
    labels = dict(AlertKind.choices)
    for facility in Facility.objects.filter(pk__in=by_facility):
        recipients = digest_recipients(facility)
        if not recipients:
            continue
        kinds = [(labels[k], n) for k, n in sorted(by_facility[facility.pk].items())]
        overdue = list(
            alert_queryset().open().filter(custody__facility=facility,
                                           kind__in=[AlertKind.OVERDUE, AlertKind.BEYOND_MAXIMUM])
            .order_by(*SORTS["overdue"])[:50]
        )
        irregular = list(alert_queryset().open().filter(custody__facility=facility,
                                                        kind__in=RELEASE_IRREGULARITY_KINDS)
                         .order_by(*SORTS["opened"])[:50])
        body = render_to_string("casework/deadlines/digest_email.txt", {
            "facility": facility, "today": today, "kinds": kinds, "overdue": overdue,
            "rows": [(a, days_overdue(a, today)) for a in overdue], "irregular": irregular,
        })
        subject = _("Détention provisoire — alertes du %(day)s — %(facility)s") % {
            "day": today.strftime("%d/%m/%Y"), "facility": facility.name}
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
        sent += 1
    return sent


# --- the nightly job ----------------------------------------------------------------------

def run_nightly(today: datetime.date | None = None) -> dict:
    """Sweep, write the day's backlog snapshot, send the digests. Idempotent for a given day."""
    from .backlog import write_snapshots

    today = today or timezone.localdate()
    result = sweep(today=today)
    snapshots = write_snapshots(today)
    mails = send_digests(today)
    return {"day": today.isoformat(), "opened": result.total_opened, "closed": result.total_closed,
            "refreshed": result.refreshed, "snapshots": snapshots, "mails": mails}


def facility_alert_counts(user):
    """Open alerts per kind for the user's prisons (for the home page or the nav)."""
    return dict(DeadlineAlert.objects.visible_to(user).open().values_list("kind").annotate(n=Count("id"))
                .order_by())


def kind_filter_choices():
    return [("", _("Tous"))] + list(AlertKind.choices)



def open_custody_alert(custody, kind, *, at=None) -> DeadlineAlert:
    """Open an alert on the stay itself (no case to hang it on), at once — not at the next
    sweep. One open per stay and kind (the partial unique index backs it)."""
    alert = DeadlineAlert.objects.filter(custody=custody, case__isnull=True, kind=kind, closed_at__isnull=True).first()
    return alert or DeadlineAlert.objects.create(custody=custody, kind=kind, opened_at=at or timezone.now())


def close_custody_alerts(custody, kind, *, reason, at=None) -> int:
    """Close the open alerts of `kind` on the stay itself; their history stays."""
    return DeadlineAlert.objects.filter(custody=custody, case__isnull=True, kind=kind, closed_at__isnull=True).update(
        closed_at=at or timezone.now(), close_reason=reason)
