"""The isolation register (Mandela Rules 43–46): every placement in isolation, a sanction or a
security measure; the daily visit of health staff; the medical clearance (Rule 45(2)).

Refused, with nothing written: a minor, a pregnant woman, a woman with an infant, a person
whose condition isolation would worsen — unless health staff recorded a clearance in force;
a sanction placement without the director's decision of isolation; a planned end beyond the
limit (15 consecutive days by default, limits table).
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditAction
from accounts.services import record_audit
from core.access import require_serves
from core.clock import moment
from detention.models.discipline import (
    DisciplinaryCharge,
    DisciplineLimit,
    DisciplineLimitKey,
    IsolationPlacement,
    IsolationReason,
    IsolationVisit,
    MedicalClearance,
    SanctionKind,
)
from inmates.models import Sex
from inmates.services import lock_custody, place_in_unit, require_current
from prisons.models import UnitKind


def clearance_in_force(custody, on: datetime.date):
    return MedicalClearance.objects.filter(custody=custody, valid_until__gte=on,
                                           cleared_at__date__lte=on).first()


@transaction.atomic
def record_clearance(custody, *, grounds: str, valid_until, actor, at=None) -> MedicalClearance:
    """Health staff record that isolation would not worsen this person's condition (Rule 45(2))."""
    custody = lock_custody(custody)
    require_serves(actor, custody.facility_id)
    if not actor.has_perm("detention.add_medicalclearance"):
        raise PermissionDenied(_("Seul le personnel de santé enregistre un avis médical."))
    at = moment(at)
    if not (grounds or "").strip():
        raise ValidationError({"grounds": _("Consignez le constat médical.")})
    if valid_until < timezone.localtime(at).date():
        raise ValidationError({"valid_until": _("La validité ne peut précéder l'avis.")})
    clearance = MedicalClearance(custody=custody, cleared_at=at, cleared_by=actor, grounds=grounds.strip(),
                                 valid_until=valid_until)
    clearance.full_clean()
    clearance.save()
    # The grounds are medical: the audit keeps the fact, not the content.
    record_audit(AuditAction.CREATE, target=clearance, actor=actor, inmate_id=custody.inmate_id,
                 facility_id=custody.facility_id, changes={"valid_until": [None, str(valid_until)]})
    return clearance


def _protected_reasons(custody, *, day, is_pregnant, with_infant, condition_worsened):
    inmate = custody.inmate
    reasons = []
    if inmate.is_minor or inmate.possible_minor_on(day):
        reasons.append(_("la personne est mineure (ou peut l'être)"))
    if is_pregnant:
        reasons.append(_("la personne est enceinte"))
    if with_infant:
        reasons.append(_("la personne est avec un nourrisson"))
    if condition_worsened:
        reasons.append(_("l'isolement aggraverait son état de santé"))
    return reasons


@transaction.atomic
def place_in_isolation(custody, *, reason_kind: str, reason: str, planned_end_on, actor, charge=None, unit=None,
                       is_pregnant: bool = False, with_infant: bool = False, condition_worsened: bool = False,
                       at=None) -> IsolationPlacement:
    """Enter a placement in isolation; with an isolation unit, the person is placed there too."""
    custody = lock_custody(custody)
    require_serves(actor, custody.facility_id)
    if not actor.has_perm("detention.add_isolationplacement"):
        raise PermissionDenied(_("Seule la direction décide d'un placement à l'isolement."))
    require_current(custody)
    at = moment(at, "started_at")
    day = timezone.localtime(at).date()
    if custody.inmate.sex != Sex.FEMALE and (is_pregnant or with_infant):
        raise ValidationError({"is_pregnant": _("Grossesse ou nourrisson indiqués pour un homme : vérifiez.")})
    if IsolationPlacement.objects.open().filter(custody=custody).exists():
        raise ValidationError(_("Cette personne est déjà à l'isolement."))
    protected = _protected_reasons(custody, day=day, is_pregnant=is_pregnant, with_infant=with_infant,
                                   condition_worsened=condition_worsened)
    if protected and clearance_in_force(custody, day) is None:
        raise ValidationError(_("Isolement refusé : %(r)s (Règle 45, Règle de Bangkok 22), sauf avis contraire du "
                                "personnel de santé enregistré.") % {"r": ", ".join(str(x) for x in protected)})
    if charge is not None:
        charge = DisciplinaryCharge.objects.select_related("sanction").get(pk=charge.pk)
    if reason_kind == IsolationReason.SANCTION:
        if charge is None or charge.custody_id != custody.pk or not charge.decided_at or charge.sanction is None \
                or charge.sanction.kind != SanctionKind.ISOLATION:
            raise ValidationError({"charge": _("Un isolement disciplinaire exécute une décision de la direction "
                                               "prononçant l'isolement pour cette personne.")})
    elif charge is not None:
        raise ValidationError({"charge": _("Une mesure de sécurité n'exécute pas une décision disciplinaire.")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Motivez le placement à l'isolement.")})
    limit = DisciplineLimit.value_of(DisciplineLimitKey.ISOLATION_MAX_DAYS)
    if planned_end_on is None or planned_end_on < day:
        raise ValidationError({"planned_end_on": _("Indiquez une fin prévue, après le début.")})
    if (planned_end_on - day).days + 1 > limit:
        raise ValidationError({"planned_end_on": _("L'isolement ne peut dépasser %(n)s jours consécutifs (Règle 44).")
                               % {"n": limit}})
    if charge is not None and charge.sanction_days and (planned_end_on - day).days + 1 > charge.sanction_days:
        raise ValidationError({"planned_end_on": _("La fin prévue dépasse la durée décidée (%(n)s jours).")
                               % {"n": charge.sanction_days}})
    if unit is None:
        unit = (custody.facility.units.filter(kind=UnitKind.ISOLATION, is_active=True).order_by("code").first())
    elif unit.facility_id != custody.facility_id or unit.kind != UnitKind.ISOLATION:
        raise ValidationError({"unit": _("Choisissez une unité d'isolement de l'établissement.")})
    placement = IsolationPlacement(
        facility=custody.facility, custody=custody, reason_kind=reason_kind, charge=charge, reason=reason.strip(),
        unit=unit, started_at=at, planned_end_on=planned_end_on, is_pregnant=is_pregnant, with_infant=with_infant,
        condition_worsened=condition_worsened, decided_by=actor)
    placement.full_clean()
    placement.save()
    record_audit(AuditAction.CREATE, target=placement, actor=actor, inmate_id=custody.inmate_id,
                 facility_id=custody.facility_id,
                 changes={"reason_kind": [None, reason_kind], "planned_end_on": [None, str(planned_end_on)]})
    if unit is not None:
        place_in_unit(custody, unit=unit, actor=actor, at=at, reason=_("Placement à l'isolement"),
                      override_reason=_("Isolement décidé (registre de l'isolement)"))
    return placement


@transaction.atomic
def end_isolation(placement, *, reason: str, actor, back_to=None, at=None) -> IsolationPlacement:
    """End a placement in isolation; `back_to` (a unit) places the person back in ordinary detention."""
    placement = IsolationPlacement.objects.select_for_update(of=("self",)).select_related("custody").get(pk=placement.pk)
    require_serves(actor, placement.facility_id)
    if not actor.has_perm("detention.change_isolationplacement"):
        raise PermissionDenied(_("Seule la direction lève un placement à l'isolement."))
    if placement.ended_at:
        raise ValidationError(_("Ce placement à l'isolement est déjà levé."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Indiquez le motif de la fin de l'isolement.")})
    at = moment(at)
    if at < placement.started_at:
        raise ValidationError(_("La fin ne peut précéder le début."))
    placement.ended_at, placement.end_reason, placement.ended_by = at, reason.strip(), actor
    placement.save(update_fields=["ended_at", "end_reason", "ended_by"])
    record_audit(AuditAction.UPDATE, target=placement, actor=actor, inmate_id=placement.custody.inmate_id,
                 facility_id=placement.facility_id, changes={"ended_at": [None, at.isoformat()]})
    if back_to is not None:
        place_in_unit(placement.custody, unit=back_to, actor=actor, at=at, reason=_("Fin de l'isolement"))
    return placement


@transaction.atomic
def record_isolation_visit(placement, *, actor, adverse_effects: str = "", at=None) -> IsolationVisit:
    """The daily visit of health staff (Rule 46): medical staff only."""
    placement = IsolationPlacement.objects.select_for_update(of=("self",)).select_related("custody").get(pk=placement.pk)
    require_serves(actor, placement.facility_id)
    if not actor.has_perm("detention.record_isolation_visit"):
        raise PermissionDenied(_("Seul le personnel de santé enregistre la visite quotidienne."))
    at = moment(at)
    if at < placement.started_at or (placement.ended_at and at > placement.ended_at):
        raise ValidationError(_("La visite doit avoir lieu pendant le placement à l'isolement."))
    visit = IsolationVisit(placement=placement, visited_at=at, visited_by=actor,
                           adverse_effects=(adverse_effects or "").strip())
    visit.full_clean()
    visit.save()
    record_audit(AuditAction.CREATE, target=visit, actor=actor, inmate_id=placement.custody.inmate_id,
                 facility_id=placement.facility_id, changes={"visited_at": [None, at.isoformat()]})
    return visit
