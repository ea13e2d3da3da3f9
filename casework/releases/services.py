"""Release on time (LAW.md "Release"; Mandela Rule 7(e)): release orders, sentence ends, and
their alerts.

A release order received opens a "release due" alert at once; past
`RELEASE_LATE_AFTER_HOURS` it becomes a "late release"; executing the release (here, or
through inmates' release service) closes it and records the delay in hours. A sentence's
release date is computed from the judgment (`casework.sentences`), with "sentence ends in N
days" and "sentence served, still held" alerts. The alerts are the deadline alerts' own
(`DeadlineAlert`, one open per case and kind), opened and closed by `sweep_releases`, which
the deadline sweep runs in its transaction and the hourly release task runs alone.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case as When_
from django.db.models import Exists, F, OuterRef, Value, When
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditAction
from accounts.reads import open_record, record_list
from accounts.services import direction_and_dnapes_emails, record_audit
from casework import sentences
from casework.models import (
    AlertCloseReason,
    AlertKind,
    Case,
    DeadlineAlert,
    Judgment,
    ReleaseOrder,
    ReleaseOrderKind,
    Verdict,
)
from core.access import serves
from inmates import movements
from inmates.models import UNTRIED_STATUSES, LegalStatus, PriorCustody, Release, ReleaseReason
from prisons.models import HELD_STATUSES

SENTENCED_STATUSES = (LegalStatus.CONVICTED, LegalStatus.APPEAL)
REASON_FOR_KIND = {
    ReleaseOrderKind.ACQUITTAL: ReleaseReason.ACQUITTAL,
    ReleaseOrderKind.DISMISSAL: ReleaseReason.DISMISSAL,
    ReleaseOrderKind.PROVISIONAL: ReleaseReason.PROVISIONAL,
    ReleaseOrderKind.SENTENCE_SERVED: ReleaseReason.SENTENCE_SERVED,
    ReleaseOrderKind.PARDON: ReleaseReason.PARDON,
    ReleaseOrderKind.COURT_ORDER: ReleaseReason.RELEASE_ORDER,
}
KIND_FOR_VERDICT = {Verdict.ACQUITTED: ReleaseOrderKind.ACQUITTAL, Verdict.DISMISSED: ReleaseOrderKind.DISMISSAL}


def late_after_hours() -> int:
    return settings.RELEASE_LATE_AFTER_HOURS


def ending_days() -> int:
    return settings.SENTENCE_ENDING_DAYS


def _audit(action, obj, case, *, actor, changes=None, reason=""):
    record_audit(action, actor=actor, target=obj, changes=changes, reason=reason,
                 inmate_id=case.custody.inmate_id, facility_id=case.custody.facility_id)


def _require_serves(actor, facility_id):
    # A 400 here, not the 403 of core.access.require_serves: the order is refused as data.
    if not serves(actor, facility_id):
        raise ValidationError(_("Vous n'êtes pas affecté à cet établissement."))


def _hours(start, end) -> Decimal:
    return Decimal(str(round((end - start).total_seconds() / 3600, 1)))


# --- writes -------------------------------------------------------------------------------------

@transaction.atomic
def record_release_order(case: Case, *, actor, kind: str, received_at, brought_by: str, authority: str,
                         reference: str, issued_on=None, notes: str = "") -> ReleaseOrder:
    """Record a release order as it reaches the prison; the "release due" alert opens at once."""
    case = Case.objects.select_for_update(of=("self",)).select_related("custody").get(pk=case.pk)
    _require_serves(actor, case.custody.facility_id)
    if case.custody.status not in HELD_STATUSES:
        raise ValidationError(_("Cette personne n'est plus détenue."))
    if ReleaseOrder.objects.pending().filter(case=case).exists():
        raise ValidationError(_("Une décision de libération est déjà en attente d'exécution pour cette affaire."))
    order = ReleaseOrder(case=case, kind=kind, received_at=received_at, brought_by=(brought_by or "").strip(),
                         authority=(authority or "").strip(), reference=(reference or "").strip(),
                         issued_on=issued_on, notes=notes, recorded_by=actor)
    order.full_clean()
    order.save()
    _audit(AuditAction.CREATE, order, case, actor=actor, reason=f"{order.authority} {order.reference}",
           changes={"kind": [None, kind], "received_at": [None, str(received_at)],
                    "brought_by": [None, order.brought_by]})
    sweep_releases(case_ids=[case.pk])
    return order


def _mark_executed(order: ReleaseOrder, release: Release) -> ReleaseOrder:
    order.release, order.executed_at = release, release.left_at
    order.delay_hours = _hours(order.received_at, release.left_at)
    order.save(update_fields=["release", "executed_at", "delay_hours"])
    return order


@transaction.atomic
def execute_release_order(order: ReleaseOrder, *, actor, left_at=None, **release_fields) -> ReleaseOrder:
    """Release the person on this order (inmates' release service); its alerts close at once."""
    order = ReleaseOrder.objects.select_for_update(of=("self",)).select_related("case__custody").get(pk=order.pk)
    if order.executed_at is not None:
        raise ValidationError(_("Cette décision a déjà été exécutée."))
    custody = order.case.custody
    record = movements.release(
        custody, reason=REASON_FOR_KIND[order.kind], order_received_at=order.received_at, actor=actor,
        left_at=left_at, authority=order.authority, order_reference=order.reference, **release_fields)
    _mark_executed(order, record)
    _audit(AuditAction.UPDATE, order, order.case, actor=actor,
           changes={"executed_at": [None, str(order.executed_at)], "delay_hours": [None, str(order.delay_hours)]})
    sweep_releases(case_ids=list(Case.objects.filter(custody=custody).values_list("pk", flat=True)))
    return order


def order_for_acquittal(judgment: Judgment, *, actor) -> ReleaseOrder | None:
    """An acquittal or dismissal not appealed, of a person held: the release order it is.

    Called by `record_judgment` in its transaction; the judgment reaches the prison when it is
    recorded, which starts the clock."""
    case = judgment.case
    if judgment.verdict not in KIND_FOR_VERDICT or judgment.appeal_filed_on:
        return None
    if case.custody.status not in HELD_STATUSES or ReleaseOrder.objects.pending().filter(case=case).exists():
        return None
    return record_release_order(
        case, actor=actor, kind=KIND_FOR_VERDICT[judgment.verdict], received_at=timezone.now(),
        brought_by=_("Jugement enregistré au greffe"), authority=str(case.court),
        reference=_("Jugement du %(d)s") % {"d": judgment.decided_on.strftime("%d/%m/%Y")},
        issued_on=judgment.decided_on)


def link_executed_orders(case_ids=None) -> int:
    """Pending orders of people released through another door: linked to their release."""
    qs = ReleaseOrder.objects.pending().filter(case__custody__release__isnull=False).select_related(
        "case__custody__release")
    if case_ids is not None:
        qs = qs.filter(case_id__in=case_ids)
    count = 0
    for order in qs:
        release = order.case.custody.release
        if release.left_at < order.received_at:
            continue
        _mark_executed(order, release)
        count += 1
    return count


# --- sentences ----------------------------------------------------------------------------------

def _custody_periods(custody, priors):
    """The arrest chain as (first day, last day) date pairs; an earlier custody of unknown end
    is taken to run until the next one began."""
    periods = []
    admitted = timezone.localtime(custody.admitted_at).date()
    for prior in priors:
        end = timezone.localtime(prior.ended_at).date() if prior.ended_at else admitted
        periods.append((timezone.localtime(prior.started_at).date(), end))
    if custody.arrested_at:
        periods.append((timezone.localtime(custody.arrested_at).date(), admitted))
    periods.append((admitted, None))
    return periods


def compute_sentence(judgment: Judgment, custody, priors) -> sentences.SentenceEnd | None:
    """The release date a conviction gives, or None (life, death, suspended, fine only)."""
    if (judgment.verdict != Verdict.CONVICTED or not judgment.sentence_months or judgment.life_sentence
            or judgment.death_sentence or judgment.suspended):
        return None
    starts_on = judgment.sentence_starts_on or judgment.decided_on
    credit = sentences.custody_days(_custody_periods(custody, priors), before=starts_on)
    return sentences.sentence_end(starts_on=starts_on, months=judgment.sentence_months, credit_days=credit)


def refresh_sentences(case_ids=None) -> int:
    """Store each sentenced case's release date (its latest conviction); returns rows changed."""
    cases = Case.objects.filter(legal_status__in=SENTENCED_STATUSES).select_related("custody")
    if case_ids is None:
        cases = cases.filter(custody__status__in=HELD_STATUSES)
    else:
        cases = Case.objects.filter(pk__in=case_ids).select_related("custody")
    cases = list(cases)
    judgments = defaultdict(list)
    for j in Judgment.objects.filter(case__in=cases).order_by("decided_on", "id"):
        judgments[j.case_id].append(j)
    priors = defaultdict(list)
    for p in PriorCustody.objects.filter(custody_id__in={c.custody_id for c in cases}):
        priors[p.custody_id].append(p)
    changed = []
    for case in cases:
        latest = judgments[case.pk][-1] if judgments[case.pk] else None
        result = compute_sentence(latest, case.custody, priors[case.custody_id]) if latest else None
        ends_on = result.release_on if result else None
        credit = result.credit_days if result else 0
        if case.legal_status not in SENTENCED_STATUSES:
            ends_on, credit = None, 0
        if (case.sentence_ends_on, case.sentence_credit_days) != (ends_on, credit):
            case.sentence_ends_on, case.sentence_credit_days = ends_on, credit
            changed.append(case)
    Case.objects.bulk_update(changed, ["sentence_ends_on", "sentence_credit_days"], batch_size=2000)
    return len(changed)


# --- the alerts ---------------------------------------------------------------------------------

def desired(kind: str, *, now, today, case_ids=None):
    """Rows (case_id, stay, due) for which an alert of `kind` must be open now."""
    late_from = now - datetime.timedelta(hours=late_after_hours())
    if kind in (AlertKind.RELEASE_DUE, AlertKind.LATE_RELEASE):
        qs = ReleaseOrder.objects.pending().filter(case__custody__status__in=HELD_STATUSES)
        qs = qs.filter(received_at__gt=late_from) if kind == AlertKind.RELEASE_DUE else qs.filter(
            received_at__lte=late_from)
        qs = qs.annotate(due=TruncDate("received_at"), stay=F("case__custody_id"))
    else:
        other_untried = Case.objects.filter(custody_id=OuterRef("custody_id"), legal_status__in=UNTRIED_STATUSES,
                                            closed_on__isnull=True)
        qs = Case.objects.filter(legal_status__in=SENTENCED_STATUSES, custody__status__in=HELD_STATUSES,
                                 sentence_ends_on__isnull=False)
        if kind == AlertKind.SENTENCE_ENDING:
            qs = qs.filter(sentence_ends_on__gte=today,
                           sentence_ends_on__lte=today + datetime.timedelta(days=ending_days()))
        elif kind == AlertKind.SERVED_HELD:
            qs = qs.filter(sentence_ends_on__lt=today).exclude(Exists(other_untried))
        else:
            raise ValueError(kind)
        qs = qs.annotate(case_id=F("pk"), due=F("sentence_ends_on"), stay=F("custody_id"))
    qs = qs.order_by()
    return qs.filter(case_id__in=case_ids) if case_ids is not None else qs


def _close_reason(kind, *, now, today):
    released = Case.objects.filter(pk=OuterRef("case_id")).exclude(custody__status__in=HELD_STATUSES)
    if kind == AlertKind.RELEASE_DUE:
        late = desired(AlertKind.LATE_RELEASE, now=now, today=today).filter(case_id=OuterRef("case_id"))
        return When_(When(Exists(late), then=Value(AlertCloseReason.LATE)), default=Value(AlertCloseReason.RELEASE))
    if kind == AlertKind.SENTENCE_ENDING:
        served = Case.objects.filter(pk=OuterRef("case_id"), sentence_ends_on__lt=today)
        return When_(When(Exists(released), then=Value(AlertCloseReason.RELEASE)),
                     When(Exists(served), then=Value(AlertCloseReason.SENTENCE_SERVED)),
                     default=Value(AlertCloseReason.CHANGED))
    return When_(When(Exists(released), then=Value(AlertCloseReason.RELEASE)), default=Value(AlertCloseReason.CHANGED))


def sweep_releases(*, now=None, today=None, case_ids=None, refresh: bool = True) -> dict:
    """Open and close the release alerts (idempotent). Orders of people released through
    inmates' own release door are linked first; sentences are recomputed when `refresh`."""
    from casework.deadlines.sweep import open_alerts

    now = now or timezone.now()
    today = today or timezone.localdate(now)
    result = {"linked": 0, "opened": {}, "closed": {}}
    with transaction.atomic():
        result["linked"] = link_executed_orders(case_ids)
        if refresh:
            result["sentences"] = refresh_sentences(case_ids)
        open_now = DeadlineAlert.objects.open()
        if case_ids is not None:
            open_now = open_now.filter(case_id__in=case_ids)
        for kind in (AlertKind.RELEASE_DUE, AlertKind.LATE_RELEASE, AlertKind.SENTENCE_ENDING,
                     AlertKind.SERVED_HELD):
            rows = desired(kind, now=now, today=today, case_ids=case_ids)
            still = rows.filter(case_id=OuterRef("case_id"))
            ended = open_now.filter(kind=kind).exclude(Exists(still))
            result["closed"][kind] = ended.update(closed_at=now, close_reason=_close_reason(kind, now=now, today=today))
            select = rows.exclude(Exists(DeadlineAlert.objects.filter(
                case_id=OuterRef("case_id"), kind=kind, closed_at__isnull=True))).values_list("case_id", "stay", "due")
            result["opened"][kind] = open_alerts(kind, today, now, select=select)
        irregular = list(DeadlineAlert.objects.filter(
            kind__in=(AlertKind.LATE_RELEASE, AlertKind.SERVED_HELD), opened_at=now, closed_at__isnull=True,
            **({} if case_ids is None else {"case_id__in": case_ids})).values_list("pk", flat=True))
        if irregular:
            from casework.tasks import enqueue_irregularity_notice

            transaction.on_commit(lambda ids=irregular: enqueue_irregularity_notice(ids))
    return result


def notify_release_irregularities(alert_ids) -> int:
    """E-mail each prison's direction and DNAPES at once that people are held past a release
    order or past their sentence (the most serious irregularity, LAW.md "Release"); one message
    per prison, naming each person by number and name. Returns the messages sent."""
    from django.core.mail import send_mail
    from django.template.loader import render_to_string

    alerts = (DeadlineAlert.objects.filter(pk__in=alert_ids, closed_at__isnull=True)
              .select_related("custody__inmate", "custody__facility", "case").order_by("custody__facility_id", "id"))
    by_facility = defaultdict(list)
    for alert in alerts:
        by_facility[alert.custody.facility].append(alert)
    sent = 0
    for facility, rows in by_facility.items():
        recipients = direction_and_dnapes_emails(facility)
        if not recipients:
            continue
        body = render_to_string("casework/releases/irregularity_email.txt", {"facility": facility, "alerts": rows})
        subject = _("URGENT — personnes détenues sans droit — %(facility)s") % {"facility": facility.name}
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
        sent += 1
    return sent


# --- reads --------------------------------------------------------------------------------------

def orders_queryset():
    return ReleaseOrder.objects.select_related("case__court", "case__custody__inmate", "case__custody__facility",
                                               "recorded_by")


def late_releases_for(user, *, facility=None, now=None):
    """The register of late releases the user may see: executed late, or still pending past the delay."""
    now = now or timezone.now()
    qs = orders_queryset().visible_to(user).late(now=now, hours=late_after_hours())
    if facility is not None:
        qs = qs.filter(case__custody__facility=facility)
    return qs.order_by("case__custody__facility__name", "received_at", "id")


def register_rows(orders, now=None):
    now = now or timezone.now()
    return [{"order": o, "hours": o.hours_waited(now), "pending": o.executed_at is None,
             "custody": o.case.custody} for o in orders]


def record_register_read(user, *, facility=None, count: int, export: bool = False):
    """A read of the register is a read of people's data: one entry with the query and the count
    (accounts.reads, as every list), or an export entry for the CSV."""
    if export:
        record_audit(AuditAction.EXPORT, actor=user, reason=_("Registre des sorties en retard"),
                     changes={"facility": [None, str(facility.pk) if facility else _("tous")],
                              "count": [None, str(count)]},
                     facility_id=facility.pk if facility else None)
        return
    record_list(user, kind=_("Registre des sorties en retard"),
                query={"facility": facility.pk} if facility else {}, count=count, people=count,
                target=facility, facility_id=facility.pk if facility else None)


def open_release_order(pk, *, actor) -> ReleaseOrder:
    """One release order, within the actor's prisons (else 404), the read audited."""
    return open_record(orders_queryset().visible_to(actor), pk, actor=actor,
                       permission="casework.view_releaseorder", person="case.custody.inmate_id",
                       facility="case.custody.facility_id", not_found=_("Aucune décision de libération ne correspond."))


def pending_due(order, now=None) -> bool:
    return order.executed_at is None and order.hours_waited(now) > late_after_hours()
