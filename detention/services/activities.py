"""Activities and enrolments: who may attend, and who does."""


from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditAction
from accounts.services import record_audit
from core.access import require_serves
from detention.models import (
    Activity,
    Enrolment,
)
from inmates.services import lock_custody, require_current


@transaction.atomic
def create_activity(facility, *, name: str, kind: str, open_to_regimes, actor, open_to_untried: bool = True,
                    open_to_convicted: bool = True, open_to_terrorism_related: bool = False,
                    capacity=None) -> Activity:
    """Add an activity and say who may attend it (regimes, untried / convicted, terrorism-related)."""
    require_serves(actor, facility.pk)
    activity = Activity(facility=facility, name=(name or "").strip(), kind=kind,
                        open_to_regimes=list(open_to_regimes or []), open_to_untried=open_to_untried,
                        open_to_convicted=open_to_convicted, open_to_terrorism_related=open_to_terrorism_related,
                        capacity=capacity, created_by=actor)
    activity.full_clean()
    activity.save()
    record_audit(AuditAction.CREATE, target=activity, actor=actor, inmate_id=None, facility_id=facility.pk,
           changes={"name": [None, activity.name], "open_to_regimes": [None, activity.open_to_regimes],
                    "open_to_terrorism_related": [None, open_to_terrorism_related]})
    return activity


@transaction.atomic
def enrol(activity, *, custody, actor, started_on=None) -> Enrolment:
    """Enrol a person in an activity of their prison, if their regime and category may attend."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    require_serves(actor, activity.facility_id)
    custody = lock_custody(custody)
    require_current(custody)
    if custody.facility_id != activity.facility_id:
        raise ValidationError({"custody": _("Cette personne n'est pas détenue dans l'établissement de l'activité.")})
    if not activity.is_active:
        raise ValidationError(_("Cette activité n'est pas en service."))
    placement = custody.placements.filter(ended_at__isnull=True).select_related("unit").first()
    refusal = activity.refusal_for(custody, placement.unit if placement else None)
    if refusal:
        raise ValidationError({"custody": refusal})
    current = activity.enrolments.current()
    if current.filter(custody=custody).exists():
        raise ValidationError({"custody": _("Cette personne est déjà inscrite à cette activité.")})
    if activity.capacity is not None and current.count() >= activity.capacity:
        raise ValidationError(_("Cette activité est complète (%(n)d places).") % {"n": activity.capacity})
    enrolment = Enrolment(activity=activity, custody=custody, started_on=started_on or timezone.localdate(),
                          enrolled_by=actor)
    enrolment.full_clean()
    enrolment.save()
    record_audit(AuditAction.CREATE, target=enrolment, actor=actor, inmate_id=custody.inmate_id,
           facility_id=activity.facility_id, changes={"activity": [None, activity.name]})
    return enrolment


@transaction.atomic
def end_enrolment(enrolment, *, actor, reason: str = "", ended_on=None) -> Enrolment:
    """End a person's participation in an activity."""
    enrolment = Enrolment.objects.select_for_update(of=("self",)).select_related("activity", "custody").get(pk=enrolment.pk)
    require_serves(actor, enrolment.activity.facility_id)
    if enrolment.ended_on:
        raise ValidationError(_("Cette inscription est déjà terminée."))
    enrolment.ended_on, enrolment.end_reason = ended_on or timezone.localdate(), reason
    enrolment.full_clean()
    enrolment.save(update_fields=["ended_on", "end_reason"])
    record_audit(AuditAction.UPDATE, target=enrolment, actor=actor, inmate_id=enrolment.custody.inmate_id,
           facility_id=enrolment.activity.facility_id, changes={"ended_on": [None, str(enrolment.ended_on)]},
           reason=reason)
    return enrolment
