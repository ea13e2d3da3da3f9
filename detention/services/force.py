"""The register of the use of force and of instruments of restraint (Mandela Rules 47–49, 82):
who, on whom, why, which means, how long, the injuries seen; the medical examination afterwards
(health staff only, required); the report to the director the same day; the review of a
restraint beyond the limit (`DisciplineLimit` RESTRAINT_REVIEW_MINUTES, 120 by default).

Refused, with nothing written: chains, irons or another inherently degrading or painful
instrument (Rule 47(1)); a duration beyond the limit without a recorded review; a medical
examination recorded by anyone but health staff; a review by anyone but the direction.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditAction
from accounts.services import record_audit
from core.access import require_serves, serves
from core.clock import moment
from detention.models.discipline import DisciplineLimit, DisciplineLimitKey
from detention.models.searches import (
    PROHIBITED_MEANS,
    PROHIBITED_MEANS_WORDS,
    ForceMeans,
    ForceReason,
    UseOfForce,
)
from inmates.services import lock_custody

EXAMINATION_HOURS = 24


def restraint_limit() -> int:
    return DisciplineLimit.value_of(DisciplineLimitKey.RESTRAINT_REVIEW_MINUTES)


def _prohibited_means(means: str, detail: str) -> bool:
    words = (detail or "").lower()
    return means in PROHIBITED_MEANS or any(word in words for word in PROHIBITED_MEANS_WORDS)


def _check_duration(force: UseOfForce, minutes):
    if minutes is not None and minutes > restraint_limit() and not force.reviewed_at:
        raise ValidationError({"duration_minutes": _(
            "Une contrainte de plus de %(n)s minutes doit avoir été contrôlée (par qui, quand, issue) avant "
            "d'inscrire sa durée (Règles 47–49).") % {"n": restraint_limit()}})


def _lock(force) -> UseOfForce:
    return UseOfForce.objects.select_for_update(of=("self",)).select_related("custody").get(pk=force.pk)


@transaction.atomic
def record_use_of_force(custody, *, reason_kind: str, reason: str, means: str, place: str, actor, staff=(),
                        other_staff: str = "", means_detail: str = "", duration_minutes=None, injuries: str = "",
                        at=None) -> UseOfForce:
    """Enter a use of force or of restraint; the duration may follow (`end_restraint`)."""
    custody = lock_custody(custody)
    require_serves(actor, custody.facility_id)
    if not actor.has_perm("detention.add_useofforce"):
        raise PermissionDenied(_("Seuls les agents de sécurité et la direction inscrivent un usage de la force."))
    at = moment(at, "occurred_at")
    staff = list(staff or [])
    errors = {}
    if reason_kind not in ForceReason.values:
        errors["reason_kind"] = _("Choisissez le fondement de l'usage de la force (Règle 82).")
    if not (reason or "").strip():
        errors["reason"] = _("Décrivez les circonstances et le motif.")
    if means not in ForceMeans.values:
        errors["means"] = _("Choisissez le moyen employé.")
    elif _prohibited_means(means, means_detail):
        errors["means"] = _("Refusé : les chaînes, les fers et tout instrument de contrainte dégradant ou "
                            "douloureux sont interdits (Règle 47(1)).")
    elif means == ForceMeans.OTHER and not (means_detail or "").strip():
        errors["means_detail"] = _("Précisez le moyen employé.")
    if not (place or "").strip():
        errors["place"] = _("Indiquez le lieu.")
    if not staff and not (other_staff or "").strip():
        errors["staff"] = _("Indiquez les agents intervenus.")
    if any(not serves(user, custody.facility_id) for user in staff):
        errors["staff"] = _("Les agents intervenus doivent être affectés à l'établissement.")
    if errors:
        raise ValidationError(errors)
    force = UseOfForce(facility=custody.facility, custody=custody, occurred_at=at, place=place.strip(),
                       other_staff=(other_staff or "").strip(), reason_kind=reason_kind, reason=reason.strip(),
                       means=means, means_detail=(means_detail or "").strip(), duration_minutes=duration_minutes,
                       injuries=(injuries or "").strip(), recorded_by=actor)
    _check_duration(force, duration_minutes)
    force.full_clean()
    force.save()
    force.staff.set(staff)
    record_audit(AuditAction.CREATE, target=force, actor=actor, inmate_id=custody.inmate_id,
                 facility_id=custody.facility_id,
                 changes={"means": [None, means], "reason_kind": [None, reason_kind],
                          "duration_minutes": [None, duration_minutes],
                          "staff": [None, sorted(u.get_username() for u in staff)]})
    return force


@transaction.atomic
def end_restraint(force, *, duration_minutes: int, actor) -> UseOfForce:
    """Record how long the restraint lasted; beyond the limit, only once reviewed."""
    force = _lock(force)
    require_serves(actor, force.facility_id)
    if not actor.has_perm("detention.change_useofforce"):
        raise PermissionDenied(_("Seuls les agents de sécurité et la direction complètent ce registre."))
    if force.duration_minutes is not None:
        raise ValidationError(_("La durée est déjà inscrite."))
    if duration_minutes is None or duration_minutes < 0:
        raise ValidationError({"duration_minutes": _("Indiquez la durée en minutes.")})
    _check_duration(force, duration_minutes)
    force.duration_minutes = duration_minutes
    force.save(update_fields=["duration_minutes"])
    record_audit(AuditAction.UPDATE, target=force, actor=actor, inmate_id=force.custody.inmate_id,
                 facility_id=force.facility_id, changes={"duration_minutes": [None, duration_minutes]})
    return force


def _date_step(force, *, actor, at, field, by_field, already, before) -> UseOfForce:
    if getattr(force, field):
        raise ValidationError(already)
    at = moment(at, field)
    if at < force.occurred_at:
        raise ValidationError({field: before})
    setattr(force, field, at)
    setattr(force, by_field, actor)
    force.save(update_fields=[field, by_field])
    record_audit(AuditAction.UPDATE, target=force, actor=actor, inmate_id=force.custody.inmate_id,
                 facility_id=force.facility_id, changes={field: [None, at.isoformat()]})
    return force


@transaction.atomic
def record_force_examination(force, *, actor, at=None) -> UseOfForce:
    """Health staff record that they examined the person after the use of force (required)."""
    force = _lock(force)
    require_serves(actor, force.facility_id)
    if not actor.has_perm("detention.examine_useofforce"):
        raise PermissionDenied(_("Seul le personnel de santé enregistre l'examen médical."))
    return _date_step(force, actor=actor, at=at, field="examined_at", by_field="examined_by",
                      already=_("L'examen médical est déjà enregistré."),
                      before=_("L'examen suit l'usage de la force."))


@transaction.atomic
def record_force_report(force, *, actor, at=None) -> UseOfForce:
    """The report to the director (Rule 82(1)): when it was made; late when not the same day."""
    force = _lock(force)
    require_serves(actor, force.facility_id)
    if not actor.has_perm("detention.change_useofforce"):
        raise PermissionDenied(_("Seuls les agents de sécurité et la direction complètent ce registre."))
    return _date_step(force, actor=actor, at=at, field="reported_at", by_field="report_recorded_by",
                      already=_("Le rapport au directeur est déjà enregistré."),
                      before=_("Le rapport suit l'usage de la force."))


@transaction.atomic
def record_restraint_review(force, *, outcome: str, actor, at=None) -> UseOfForce:
    """The direction reviews a restraint that lasts (by whom, when, outcome)."""
    force = _lock(force)
    require_serves(actor, force.facility_id)
    if not actor.has_perm("detention.review_useofforce"):
        raise PermissionDenied(_("Seule la direction contrôle une contrainte prolongée."))
    if force.reviewed_at:
        raise ValidationError(_("Le contrôle est déjà enregistré."))
    if not (outcome or "").strip():
        raise ValidationError({"review_outcome": _("Indiquez l'issue du contrôle.")})
    at = moment(at, "reviewed_at")
    if at < force.occurred_at:
        raise ValidationError({"reviewed_at": _("Le contrôle suit le début de la contrainte.")})
    force.reviewed_at, force.reviewed_by, force.review_outcome = at, actor, outcome.strip()
    force.save(update_fields=["reviewed_at", "reviewed_by", "review_outcome"])
    record_audit(AuditAction.UPDATE, target=force, actor=actor, inmate_id=force.custody.inmate_id,
                 facility_id=force.facility_id, changes={"reviewed_at": [None, at.isoformat()]})
    return force


# --- flags (pure functions of one row and a moment) ---------------------------------------------

def examination_overdue(force, now=None) -> bool:
    now = now or timezone.now()
    return force.examined_at is None and now - force.occurred_at > datetime.timedelta(hours=EXAMINATION_HOURS)


def report_late(force, now=None) -> bool:
    """Not reported the day it happened (reported another day, or not yet and that day is over)."""
    day = timezone.localtime(force.occurred_at).date()
    if force.reported_at:
        return timezone.localtime(force.reported_at).date() != day
    return timezone.localtime(now or timezone.now()).date() > day


def review_missing(force, now=None, limit=None) -> bool:
    """A restraint beyond the limit (recorded, or still lasting) without a review."""
    if force.reviewed_at:
        return False
    limit = restraint_limit() if limit is None else limit
    if force.duration_minutes is not None:
        return force.duration_minutes > limit
    return (now or timezone.now()) - force.occurred_at > datetime.timedelta(minutes=limit)
