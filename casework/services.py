"""Every change to a case goes through these functions (one transaction, audited).

After each change the case's legal status, and the custody's legal status and terrorism
flag, are recomputed (`refresh_legal_status`), so that every page shows them current.
"""

import contextlib
import contextvars

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditAction
from accounts.services import record_audit
from casework import tasks
from casework.models import Case, Charge, ChargeStatus, DetentionOrder, Hearing, Judgment, Verdict
from casework.releases import services as releases
from casework.status import case_legal_status, custody_legal_status
from core.corrections import apply_changes
from inmates.models import Custody
from inmates.retention import require_stay_not_archived

CASE_EDITABLE_FIELDS = (
    "case_number", "court", "investigating_judge", "chamber", "prosecutor", "lawyer",
    "opened_on", "notes",
)

# Cases changed inside deferred_reevaluation(): re-evaluated together at its end.
_deferred_cases = contextvars.ContextVar("casework_deferred_cases", default=None)


@contextlib.contextmanager
def deferred_reevaluation():
    """For a bulk writer (the paper-register import, thousands of cases): the cases changed inside are
    re-evaluated in one batch (one sweep over their ids) after commit, instead of one task per case."""
    token = _deferred_cases.set(set())
    try:
        yield
        ids = sorted(_deferred_cases.get())
    finally:
        _deferred_cases.reset(token)
    if ids:
        transaction.on_commit(lambda: tasks.enqueue_batch_reevaluation(ids))


# Hooks run on commit after a case changes (the deadlines module registers its re-evaluation).
def _case_changed(case: Case):
    """After commit, the case's deadline and alerts are re-evaluated (a Celery task)."""
    case_id = case.pk
    deferred = _deferred_cases.get()
    if deferred is not None:
        deferred.add(case_id)
        return
    transaction.on_commit(lambda: tasks.enqueue_reevaluation(case_id))


def note_cases_changed(case_ids):
    """For a writer that creates cases without these services' functions (registers.bulk): the cases'
    deadlines and alerts are re-evaluated after commit, in the surrounding deferred batch if any."""
    deferred = _deferred_cases.get()
    if deferred is not None:
        deferred.update(case_ids)
    elif case_ids:
        ids = sorted(case_ids)
        transaction.on_commit(lambda: tasks.enqueue_batch_reevaluation(ids))


def _audit(action, obj, case: Case, *, actor, changes=None, reason=""):
    record_audit(action, actor=actor, target=obj, changes=changes, reason=reason,
                 inmate_id=case.custody.inmate_id, facility_id=case.custody.facility_id)


def _values(fields: dict) -> dict:
    return {k: [None, str(v)] for k, v in fields.items() if v not in (None, "", False)}


def refresh_legal_status(custody: Custody) -> Custody:
    """Recompute each case's legal status, then the custody's status and terrorism flag."""
    cases = list(
        Case.objects.filter(custody=custody).prefetch_related("charges", "judgments")
    )
    open_statuses = []
    terrorism = False
    for case in cases:
        status = case_legal_status(
            has_current_charge=any(c.is_current for c in case.charges.all()),
            judgments=[(j.decided_on, j.verdict, j.appeal_filed_on) for j in case.judgments.all()],
        )
        if case.legal_status != status:
            case.legal_status = status
            case.save(update_fields=["legal_status"])
        if case.closed_on is None:
            open_statuses.append(status)
            terrorism = terrorism or case.terrorism_related
    new_status = custody_legal_status(open_statuses)
    if (custody.legal_status, custody.terrorism_related) != (new_status, terrorism):
        Custody.objects.filter(pk=custody.pk).update(legal_status=new_status, terrorism_related=terrorism)
        custody.legal_status, custody.terrorism_related = new_status, terrorism
    return custody


@transaction.atomic
def open_case(custody: Custody, *, actor, court, case_number: str, charges=(), **fields) -> Case:
    """Open a case for a custody, with its charges (each a dict of Charge fields)."""
    require_stay_not_archived(custody.pk)
    case = Case(custody=custody, court=court, case_number=case_number.strip(), **fields)
    case.full_clean()
    case.save()
    _audit(AuditAction.CREATE, case, case, actor=actor,
           changes=_values({"case_number": case.case_number, "court": court, **fields}))
    for charge in charges:
        _add_charge(case, actor=actor, **charge)
    refresh_legal_status(custody)
    _case_changed(case)
    return case


@transaction.atomic
def update_case(case: Case, *, actor, reason: str = "", **changes) -> Case:
    """Correct the case's details (number, court, judge, prosecutor, lawyer…)."""
    require_stay_not_archived(case.custody_id)
    locked, diff = apply_changes(case, changes, actor=actor, allowed=CASE_EDITABLE_FIELDS, reason=reason,
                                 reason_required=False, queryset=Case.objects.select_related("custody"),
                                 inmate_id=lambda row: row.custody.inmate_id,
                                 facility_id=lambda row: row.custody.facility_id)
    if diff:
        _case_changed(locked)
    return locked


def _add_charge(case: Case, *, actor, **fields) -> Charge:
    charge = Charge(case=case, **fields)
    charge.full_clean()
    charge.save()
    _audit(AuditAction.CREATE, charge, case, actor=actor, changes=_values(fields))
    return charge


@transaction.atomic
def add_charge(case: Case, *, actor, **fields) -> Charge:
    """Add a charge to a case (a reclassification adds the new one and marks the old)."""
    require_stay_not_archived(case.custody_id)
    charge = _add_charge(case, actor=actor, **fields)
    refresh_legal_status(case.custody)
    _case_changed(case)
    return charge


@transaction.atomic
def change_charge_status(charge: Charge, *, status: str, actor, reason: str) -> Charge:
    """Mark a charge dropped or reclassified (never deleted), with the reason."""
    require_stay_not_archived(charge.case.custody_id)
    if status not in ChargeStatus.values:
        raise ValidationError({"status": _("État inconnu.")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Indiquez le motif.")})
    charge = Charge.objects.select_for_update(of=("self",)).select_related("case__custody").get(pk=charge.pk)
    old = charge.status
    if old == status:
        return charge
    charge.status = status
    charge.save(update_fields=["status"])
    _audit(AuditAction.UPDATE, charge, charge.case, actor=actor,
           changes={"status": [old, status]}, reason=reason)
    refresh_legal_status(charge.case.custody)
    _case_changed(charge.case)
    return charge


def _check_custody_extension(order: DetentionOrder):
    """A written extension of police custody (art. 76) is made during the custody, before the
    arrival at the prison, and no more of them than the limits table allows (LAW.md)."""
    from casework.models import DetentionLimit, LimitKey, OrderKind

    custody = order.case.custody
    if custody.admitted_at and order.issued_on > timezone.localtime(custody.admitted_at).date():
        raise ValidationError({"issued_on": _(
            "Une prolongation de garde à vue est accordée pendant la garde à vue : sa date ne peut pas "
            "suivre l'écrou (%(d)s).") % {"d": f"{timezone.localtime(custody.admitted_at):%d/%m/%Y}"}})
    terrorism = custody.terrorism_related or order.case.charges.filter(terrorism_related=True).exists()
    key = LimitKey.POLICE_TERRORISM if terrorism else LimitKey.POLICE
    limit = DetentionLimit.objects.in_force(order.issued_on).filter(key=key).order_by("-valid_from").first()
    if limit is None or limit.renewal_count is None:
        return
    done = DetentionOrder.objects.filter(case__custody=custody, kind=OrderKind.CUSTODY_EXTENSION).count()
    if done >= limit.renewal_count:
        raise ValidationError({"kind": _(
            "La garde à vue ne peut être prolongée que %(n)d fois (%(row)s, %(article)s) : "
            "%(done)d prolongation(s) déjà enregistrée(s).") % {
                "n": limit.renewal_count, "row": limit.get_key_display(), "article": limit.article,
                "done": done}})


@transaction.atomic
def record_detention_order(case: Case, *, actor, **fields) -> DetentionOrder:
    """Record a detention order or a renewal (a renewal names the order it renews); a police
    custody extension is checked against the limits table."""
    from casework.models import OrderKind

    require_stay_not_archived(case.custody_id)
    order = DetentionOrder(case=case, **fields)
    order.full_clean()
    if order.kind == OrderKind.CUSTODY_EXTENSION:
        Custody.objects.select_for_update().filter(pk=case.custody_id).first()  # serialise the count
        _check_custody_extension(order)
    order.save()
    _audit(AuditAction.CREATE, order, case, actor=actor, changes=_values(fields))
    _case_changed(case)
    return order


@transaction.atomic
def renew_detention_order(order: DetentionOrder, *, until, issued_on, issued_by: str, actor,
                          reference: str = "") -> DetentionOrder:
    """Record the renewal of a detention order, valid until `until`."""
    from casework.models import OrderKind

    return record_detention_order(order.case, actor=actor, kind=OrderKind.RENEWAL, renews=order,
                                  issued_on=issued_on, issued_by=issued_by, valid_until=until,
                                  reference=reference)


def extend_police_custody(case: Case, *, issued_on, issued_by: str, actor, reference: str = "") -> DetentionOrder:
    """Record a written authorisation extending police custody (art. 76): each one adds the
    limits table's period (24 h; terrorism 48 h, twice), never past the absolute maximum."""
    from casework.models import OrderKind

    return record_detention_order(case, actor=actor, kind=OrderKind.CUSTODY_EXTENSION, issued_on=issued_on,
                                  issued_by=issued_by, reference=reference)


@transaction.atomic
def record_hearing(case: Case, *, actor, **fields) -> Hearing:
    """Record a hearing (scheduled, held, adjourned…)."""
    require_stay_not_archived(case.custody_id)
    hearing = Hearing(case=case, **fields)
    hearing.full_clean()
    hearing.save()
    _audit(AuditAction.CREATE, hearing, case, actor=actor, changes=_values(fields))
    _case_changed(case)
    return hearing


@transaction.atomic
def record_judgment(case: Case, *, actor, **fields) -> Judgment:
    """Record a judgment. An acquittal or dismissal not appealed closes the case."""
    require_stay_not_archived(case.custody_id)
    judgment = Judgment(case=case, **fields)
    judgment.full_clean()
    judgment.save()
    _audit(AuditAction.CREATE, judgment, case, actor=actor, changes=_values(fields))
    if judgment.verdict != Verdict.CONVICTED and not judgment.appeal_filed_on and case.closed_on is None:
        case.closed_on = judgment.decided_on
        case.save(update_fields=["closed_on"])
    refresh_legal_status(case.custody)
    # The release date a conviction gives; an acquittal held is a release due at once (LAW.md "Release").
    releases.refresh_sentences([case.pk])
    releases.order_for_acquittal(judgment, actor=actor)
    _case_changed(case)
    return judgment
