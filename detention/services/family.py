"""Telling the family of admission, transfer, serious illness or death (Rules 68–70)."""


from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import AuditAction
from accounts.services import record_audit
from core.access import require_serves
from core.clock import moment
from detention.models import (
    FamilyNotification,
)
from inmates.models import Custody


@transaction.atomic
def record_family_notification(custody, *, event: str, choice: str, actor, relative=None,
                               contact_name: str = "", contact_phone: str = "", told_at=None, method: str = "",
                               notes: str = "", transfer=None) -> FamilyNotification:
    """Record whom the person wants told of an event and, when done, who told them and when
    (Rules 68–70). A refusal is respected, except for a death (next of kin told at once)."""
    custody = Custody.objects.select_related("inmate").get(pk=custody.pk)
    require_serves(actor, custody.facility_id,
                   *((transfer.from_facility_id, transfer.to_facility_id) if transfer else ()))
    if transfer is not None and transfer.custody_id != custody.pk:
        raise ValidationError({"transfer": _("Ce transfert concerne une autre personne.")})
    if relative is not None and not contact_name:
        contact_name, contact_phone = relative.name, contact_phone or relative.phone
    notification = FamilyNotification(
        custody=custody, event=event, choice=choice, relative=relative, contact_name=contact_name.strip(),
        contact_phone=contact_phone.strip(), told_at=moment(told_at, "told_at") if told_at else None,
        told_by=actor if told_at else None, method=method, notes=notes, transfer=transfer, recorded_by=actor,
    )
    notification.full_clean()
    notification.save()
    record_audit(AuditAction.CREATE, target=notification, actor=actor, inmate_id=custody.inmate_id,
           facility_id=custody.facility_id,
           changes={"event": [None, event], "choice": [None, choice],
                    "told_at": [None, str(told_at) if told_at else None]})
    return notification


@transaction.atomic
def mark_family_told(notification, *, told_at=None, method: str, actor, notes: str = "") -> FamilyNotification:
    """Record that the chosen contact has now been told: when, how, by whom."""
    notification = FamilyNotification.objects.select_for_update(of=("self",)).select_related("custody").get(pk=notification.pk)
    require_serves(actor, notification.custody.facility_id)
    if notification.told_at:
        raise ValidationError(_("Ce contact a déjà été prévenu."))
    notification.told_at, notification.told_by = moment(told_at, "told_at"), actor
    notification.method = method
    if notes:
        notification.notes = f"{notification.notes}\n{notes}".strip()
    notification.full_clean()
    notification.save(update_fields=["told_at", "told_by", "method", "notes"])
    record_audit(AuditAction.UPDATE, target=notification, actor=actor, inmate_id=notification.custody.inmate_id,
           facility_id=notification.custody.facility_id, changes={"told_at": [None, str(notification.told_at)]})
    return notification
