"""Where a person is: transfers between prisons, releases, cell moves.

Each runs in one transaction, validates, and writes its audit entry in it. The facility
guard is here as well as at the door: a prison acts only on its own side of a transfer.
A movement ends what the person did inside (cell leadership, activities) through the
custody's reverse relations, without importing `detention`.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditAction
from accounts.services import record_audit
from core.access import require_serves
from core.clock import moment

from .models import (
    OPEN_TRANSFER_STATUSES,
    CustodyStatus,
    Placement,
    Release,
    ReleaseReason,
    Transfer,
    TransferStatus,
)
from .services import (
    admission_refusal,
    end_placement,
    lock_custody,
    place_in_unit,
    placement_warnings,
    require_current,
    require_not_in_transit,
)

# What the person did inside ends with the movement. The records belong to `detention`
# (a higher layer): they are reached through the custody's reverse relations.


def _end_leaderships(custody, *, at, reason, unit=None):
    qs = custody.cell_leaderships.filter(ended_at__isnull=True)
    if unit is not None:
        qs = qs.exclude(unit=unit)
    qs.update(ended_at=at, end_reason=reason)


def _end_enrolments(custody, *, on, reason):
    custody.enrolments.filter(ended_on__isnull=True).update(ended_on=on, end_reason=reason)


def _transfer_audit(transfer, *, actor, facility_id, changes, reason=""):
    record_audit(AuditAction.UPDATE, target=transfer, actor=actor, inmate_id=transfer.custody.inmate_id,
           facility_id=facility_id, changes=changes, reason=reason)


@transaction.atomic
def request_transfer(custody, *, to_facility, reason: str, actor, escort: str = "",
                     property_seal_number: str = "", property_notes: str = "", at=None) -> Transfer:
    """Ask to move a held person to another prison. At most one open transfer per custody."""
    custody = lock_custody(custody)
    require_serves(actor, custody.facility_id)
    if custody.status != CustodyStatus.HELD:
        raise ValidationError(_("Seule une personne détenue (écrou terminé) peut être transférée."))
    if to_facility.pk == custody.facility_id:
        raise ValidationError({"to_facility": _("La personne est déjà dans cet établissement.")})
    if to_facility.status != "operational":
        raise ValidationError({"to_facility": _("Cet établissement n'est pas en service.")})
    refusal = admission_refusal(to_facility, custody.inmate)
    if refusal:
        raise ValidationError({"to_facility": refusal})
    if Transfer.objects.filter(custody=custody, status__in=OPEN_TRANSFER_STATUSES).exists():
        raise ValidationError(_("Un transfert est déjà en cours pour cette personne."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Indiquez le motif du transfert.")})
    transfer = Transfer(custody=custody, from_facility=custody.facility, to_facility=to_facility,
                        reason=reason.strip(), escort=escort, property_seal_number=property_seal_number,
                        property_notes=property_notes, requested_at=moment(at), requested_by=actor)
    transfer.full_clean()
    transfer.save()
    record_audit(AuditAction.CREATE, target=transfer, actor=actor, inmate_id=custody.inmate_id,
           facility_id=custody.facility_id,
           changes={"status": [None, TransferStatus.REQUESTED], "to_facility": [None, str(to_facility)]},
           reason=transfer.reason)
    return transfer


def _lock_transfer(transfer) -> Transfer:
    return (Transfer.objects.select_for_update(of=("self",))
            .select_related("custody__inmate", "from_facility", "to_facility").get(pk=transfer.pk))


def _require_status(transfer, *statuses, message):
    if transfer.status not in statuses:
        raise ValidationError(message)


@transaction.atomic
def approve_transfer(transfer, *, actor, at=None) -> Transfer:
    """The sending prison's director approves a requested transfer."""
    transfer = _lock_transfer(transfer)
    if not actor.has_perm("inmates.approve_transfer"):
        raise PermissionDenied(_("Seule la direction de l'établissement approuve un transfert."))
    require_serves(actor, transfer.from_facility_id)
    _require_status(transfer, TransferStatus.REQUESTED,
                    message=_("Seul un transfert demandé peut être approuvé."))
    at = moment(at)
    if at < transfer.requested_at:
        raise ValidationError({"at": _("L'approbation ne peut précéder la demande.")})
    transfer.status, transfer.approved_at, transfer.approved_by = TransferStatus.APPROVED, at, actor
    transfer.save(update_fields=["status", "approved_at", "approved_by"])
    _transfer_audit(transfer, actor=actor, facility_id=transfer.from_facility_id,
                    changes={"status": [TransferStatus.REQUESTED, TransferStatus.APPROVED]})
    return transfer


@transaction.atomic
def depart_transfer(transfer, *, actor, at=None, escort: str | None = None,
                    property_seal_number: str | None = None, property_notes: str | None = None) -> Transfer:
    """The person leaves with the escort: the cell is freed; they stay on the sending prison's
    roll (custody.facility unchanged) until the receiving prison records the arrival."""
    transfer = _lock_transfer(transfer)
    require_serves(actor, transfer.from_facility_id)
    _require_status(transfer, TransferStatus.APPROVED,
                    message=_("Le transfert doit être approuvé par la direction avant le départ."))
    for name, value in (("escort", escort), ("property_seal_number", property_seal_number),
                        ("property_notes", property_notes)):
        if value is not None:
            setattr(transfer, name, value)
    if not transfer.escort.strip():
        raise ValidationError({"escort": _("Indiquez l'escorte (unité, chef d'escorte, véhicule).")})
    at = moment(at)
    if at < transfer.approved_at:
        raise ValidationError({"at": _("Le départ ne peut précéder l'approbation.")})
    custody = lock_custody(transfer.custody)
    require_current(custody)
    left = end_placement(custody, at=at)
    _end_leaderships(custody, at=at, reason=_("Transfert"))
    _end_enrolments(custody, on=timezone.localtime(at).date(), reason=_("Transfert"))
    transfer.status, transfer.departed_at, transfer.departed_by = TransferStatus.DEPARTED, at, actor
    transfer.full_clean()
    transfer.save()
    _transfer_audit(transfer, actor=actor, facility_id=transfer.from_facility_id,
                    changes={"status": [TransferStatus.APPROVED, TransferStatus.DEPARTED],
                             "unit": [str(left.unit) if left else None, None],
                             "escort": [None, transfer.escort]})
    return transfer


@transaction.atomic
def arrive_transfer(transfer, *, unit, actor, at=None, override_reason: str = "",
                    property_received_notes: str = "") -> Transfer:
    """The receiving prison records the arrival: the custody now belongs to it and the person
    is placed in one of its units (placement warnings as for any placement)."""
    transfer = _lock_transfer(transfer)
    require_serves(actor, transfer.to_facility_id,
                    _("Seul l'établissement d'accueil enregistre l'arrivée."))
    _require_status(transfer, TransferStatus.DEPARTED,
                    message=_("Seul un transfert parti (en route) peut être reçu."))
    if unit.facility_id != transfer.to_facility_id:
        raise ValidationError({"unit": _("Cette unité n'appartient pas à l'établissement d'accueil.")})
    at = moment(at)
    if at < transfer.departed_at:
        raise ValidationError({"at": _("L'arrivée ne peut précéder le départ.")})
    custody = lock_custody(transfer.custody)
    require_current(custody)
    custody.facility = transfer.to_facility
    custody.save(update_fields=["facility"])
    place_in_unit(custody, unit=unit, actor=actor, at=at, override_reason=override_reason,
                  reason=_("Arrivée par transfert de %(src)s") % {"src": transfer.from_facility.name})
    transfer.status, transfer.arrived_at, transfer.arrived_by = TransferStatus.ARRIVED, at, actor
    transfer.arrival_unit = unit
    transfer.property_received_notes = property_received_notes
    transfer.save(update_fields=["status", "arrived_at", "arrived_by", "arrival_unit",
                                 "property_received_notes"])
    _transfer_audit(transfer, actor=actor, facility_id=transfer.to_facility_id,
                    changes={"status": [TransferStatus.DEPARTED, TransferStatus.ARRIVED],
                             "facility": [str(transfer.from_facility), str(transfer.to_facility)]})
    return transfer


@transaction.atomic
def cancel_transfer(transfer, *, reason: str, actor, at=None) -> Transfer:
    """Cancel a transfer before departure (after departure, only the arrival can end it)."""
    transfer = _lock_transfer(transfer)
    require_serves(actor, transfer.from_facility_id, transfer.to_facility_id)
    if transfer.status == TransferStatus.DEPARTED:
        raise ValidationError(_("La personne est déjà partie : enregistrez son arrivée."))
    _require_status(transfer, TransferStatus.REQUESTED, TransferStatus.APPROVED,
                    message=_("Ce transfert est déjà terminé."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Indiquez le motif de l'annulation.")})
    previous = transfer.status
    transfer.status, transfer.cancelled_at, transfer.cancelled_by = TransferStatus.CANCELLED, moment(at), actor
    transfer.cancel_reason = reason.strip()
    transfer.save(update_fields=["status", "cancelled_at", "cancelled_by", "cancel_reason"])
    _transfer_audit(transfer, actor=actor, facility_id=transfer.from_facility_id,
                    changes={"status": [previous, TransferStatus.CANCELLED]}, reason=transfer.cancel_reason)
    return transfer


# Hooks run on commit after a release (casework registers the closing of its release alerts).
_on_released = []


def on_released(callback):
    """Register `callback(custody_id)`, run on commit after any release."""
    if callback not in _on_released:
        _on_released.append(callback)
    return callback


@transaction.atomic
def release(custody, *, reason: str, order_received_at, actor, left_at=None, authority: str = "",
            order_reference: str = "", property_returned: bool = False, receipt: str = "",
            witness_name: str = "", property_notes: str = "", file_extract_given: bool = False,
            notes: str = "", recording_death: bool = False) -> Release:
    """End a stay on a lawful order: the placement ends, the custody is released (which also
    ends its deadline alerts, swept from the custody status), property returns against a receipt.

    A death ends the stay only through the death register (`inmates.deaths.record_death`, which
    passes `recording_death`): circumstances, the family and the judicial authority are recorded
    there (Rules 69–71), never a bare release with the reason "death"."""
    if reason == ReleaseReason.DEATH and not recording_death:
        raise ValidationError({"reason": _(
            "Un décès en détention s'enregistre au registre des décès (circonstances, famille informée, "
            "autorité judiciaire avisée) : utilisez « Décès en détention » sur la fiche du séjour.")})
    custody = lock_custody(custody)
    require_serves(actor, custody.facility_id)
    require_current(custody)
    require_not_in_transit(custody)
    left_at = moment(left_at, "left_at")
    if left_at < custody.admitted_at:
        raise ValidationError({"left_at": _("La sortie ne peut précéder l'écrou.")})
    record = Release(
        custody=custody, reason=reason, legal_status_at_release=custody.legal_status,
        authority=authority.strip(), order_reference=order_reference.strip(),
        order_received_at=order_received_at, left_at=left_at, property_returned=property_returned,
        receipt=receipt, witness_name=witness_name.strip(), property_notes=property_notes,
        file_extract_given=file_extract_given, notes=notes, recorded_by=actor,
    )
    if order_received_at:
        hours = (left_at - order_received_at).total_seconds() / 3600
        record.delay_hours = Decimal(str(round(hours, 1)))
    record.full_clean()
    for pending in Transfer.objects.filter(custody=custody, status__in=(TransferStatus.REQUESTED,
                                                                         TransferStatus.APPROVED)):
        pending.status, pending.cancelled_at, pending.cancelled_by = TransferStatus.CANCELLED, left_at, actor
        pending.cancel_reason = _("Sortie de la personne")
        pending.save(update_fields=["status", "cancelled_at", "cancelled_by", "cancel_reason"])
    try:
        placement = end_placement(custody, at=left_at)
    except ValidationError:
        raise ValidationError({"left_at": _("La sortie ne peut précéder le placement en cours.")}) from None
    _end_leaderships(custody, at=left_at, reason=_("Sortie"))
    _end_enrolments(custody, on=timezone.localtime(left_at).date(), reason=_("Sortie"))
    record.save()
    previous = custody.status
    custody.status, custody.released_at, custody.release_reason = CustodyStatus.RELEASED, left_at, reason
    custody.save(update_fields=["status", "released_at", "release_reason"])
    record_audit(AuditAction.CREATE, target=record, actor=actor, inmate_id=custody.inmate_id, facility_id=custody.facility_id,
           changes={"status": [previous, CustodyStatus.RELEASED], "released_at": [None, str(left_at)],
                    "release_reason": [None, reason], "legal_status_at_release": [None, custody.legal_status],
                    "unit": [str(placement.unit) if placement else None, None],
                    "delay_hours": [None, str(record.delay_hours)]},
           reason=f"{record.authority} {record.order_reference}".strip())
    for callback in _on_released:
        transaction.on_commit(lambda cb=callback, pk=custody.pk: cb(pk))
    return record


@transaction.atomic
def move_to_unit(custody, *, unit, reason: str, actor, override_reason: str = "", at=None) -> Placement:
    """A cell move inside the prison, with its reason recorded (and a reason to override any
    warning: full unit, mixed categories). A cell leader who leaves the cell stops leading it."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Indiquez le motif du déplacement.")})
    locked = lock_custody(custody)
    require_serves(actor, locked.facility_id)
    require_not_in_transit(locked)
    at = moment(at)
    warnings = placement_warnings(locked, unit) if unit.facility_id == locked.facility_id else []
    if warnings and not (override_reason or "").strip():
        raise ValidationError(
            {"override_reason": [*warnings, _("Indiquez le motif pour confirmer ce placement.")]},
            code="placement_warning",
        )
    placement = place_in_unit(locked, unit=unit, actor=actor, at=at, reason=reason.strip(),
                              override_reason=override_reason)
    if warnings and not placement.warning_override:
        placement.warning_override = override_reason
        placement.save(update_fields=["warning_override"])
    _end_leaderships(locked, at=at, reason=_("Changement de cellule"), unit=unit)
    return placement
