"""The discipline register (Mandela Rules 36–43): report → charge notified → hearing → decision
by the director → sanction from the prison's list, or none → appeal.

Refused, with nothing written: a sanction not in the prison's list (or withdrawn); a decision
for several people at once (collective punishment); a list entry reducing food or water (or any
other kind Rule 43 prohibits); a second sanction for the same fact; isolation beyond the limit;
a hearing before notification and the preparation delay; a decision before the hearing.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import AuditAction
from accounts.services import record_audit
from core.access import require_serves
from core.clock import moment
from core.corrections import apply_changes
from detention.models.discipline import (
    PROHIBITED_SANCTION_WORDS,
    DisciplinaryCharge,
    DisciplinaryIncident,
    DisciplineLimit,
    DisciplineLimitKey,
    Sanction,
    SanctionKind,
)
from inmates.services import lock_custody, require_current


def _prohibited(text: str) -> bool:
    words = (text or "").lower()
    return any(word in words for word in PROHIBITED_SANCTION_WORDS)


def _check_sanction_row(sanction: Sanction):
    if _prohibited(sanction.name):
        raise ValidationError({"name": _(
            "Sanction interdite en toutes circonstances (Règle 43) : réduction de nourriture ou d'eau, "
            "châtiment corporel, cellule obscure, sanction collective, moyens de contrainte.")})
    if sanction.kind == SanctionKind.ISOLATION:
        limit = DisciplineLimit.value_of(DisciplineLimitKey.ISOLATION_MAX_DAYS)
        if not sanction.max_days or sanction.max_days > limit:
            raise ValidationError({"max_days": _(
                "Un isolement disciplinaire a une durée maximale de %(n)s jours consécutifs au plus (Règle 44).")
                % {"n": limit}})


@transaction.atomic
def add_sanction(facility, *, name: str, kind: str, actor, max_days=None) -> Sanction:
    """Add a sanction to a prison's list (administrators). Rule 43's kinds are refused."""
    if not actor.has_perm("detention.add_sanction"):
        raise PermissionDenied(_("Seuls les administrateurs modifient la liste des sanctions."))
    sanction = Sanction(facility=facility, name=(name or "").strip(), kind=kind, max_days=max_days)
    _check_sanction_row(sanction)
    sanction.full_clean()
    sanction.save()
    record_audit(AuditAction.CREATE, target=sanction, actor=actor, facility_id=facility.pk,
                 changes={"name": [None, sanction.name], "kind": [None, kind], "max_days": [None, max_days]})
    return sanction


def update_sanction(sanction, *, actor, reason: str, **changes) -> Sanction:
    """Correct a sanction of the list (name, kind, maximum, withdrawn), audited with its reason."""
    if not actor.has_perm("detention.change_sanction"):
        raise PermissionDenied(_("Seuls les administrateurs modifient la liste des sanctions."))
    with transaction.atomic():
        locked, _diff = apply_changes(sanction, changes, actor=actor, allowed={"name", "kind", "max_days", "is_active"},
                                      reason=reason, before_save=_check_sanction_row,
                                      facility_id=sanction.facility_id)
    return locked


def update_discipline_limit(limit, *, actor, reason: str, **changes) -> DisciplineLimit:
    """Correct a limit (value, source, confirmation), audited with its reason."""
    if not actor.has_perm("detention.change_disciplinelimit"):
        raise PermissionDenied(_("Seuls les administrateurs modifient les limites."))
    with transaction.atomic():
        locked, _diff = apply_changes(limit, changes, actor=actor,
                                      allowed={"value", "source", "awaiting_confirmation"}, reason=reason)
    return locked


@transaction.atomic
def report_incident(facility, *, custodies, occurred_at, place: str, description: str, actor, offence: str,
                    witnesses: str = "") -> DisciplinaryIncident:
    """An incident report, with one charge per person concerned (each decided on its own)."""
    require_serves(actor, facility.pk)
    if not actor.has_perm("detention.add_disciplinaryincident"):
        raise PermissionDenied(_("Seuls la sécurité, le greffe et la direction établissent un rapport d'incident."))
    custodies = list(custodies or [])
    if not custodies:
        raise ValidationError({"custodies": _("Indiquez la ou les personnes mises en cause.")})
    if len({c.pk for c in custodies}) != len(custodies):
        raise ValidationError({"custodies": _("Une même personne est indiquée deux fois.")})
    if not (offence or "").strip():
        raise ValidationError({"offence": _("Indiquez le manquement reproché.")})
    locked = []
    for custody in custodies:
        custody = lock_custody(custody)
        if custody.facility_id != facility.pk:
            raise ValidationError({"custodies": _("Cette personne n'est pas détenue dans cet établissement.")})
        require_current(custody)
        locked.append(custody)
    incident = DisciplinaryIncident(facility=facility, occurred_at=moment(occurred_at, "occurred_at"),
                                    place=(place or "").strip(), description=(description or "").strip(),
                                    witnesses=(witnesses or "").strip(), reported_by=actor)
    incident.full_clean()
    incident.save()
    record_audit(AuditAction.CREATE, target=incident, actor=actor, facility_id=facility.pk,
                 changes={"people": [None, len(locked)]})
    for custody in locked:
        charge = DisciplinaryCharge(incident=incident, custody=custody, offence=offence.strip(), created_by=actor)
        charge.full_clean()
        charge.save()
        record_audit(AuditAction.CREATE, target=charge, actor=actor, inmate_id=custody.inmate_id,
                     facility_id=facility.pk, changes={"offence": [None, charge.offence]})
    return incident


def _lock_charge(charge, actor) -> DisciplinaryCharge:
    locked = (DisciplinaryCharge.objects.select_for_update(of=("self",))
              .select_related("incident", "custody__inmate").get(pk=charge.pk))
    require_serves(actor, locked.incident.facility_id)
    return locked


def _audit(charge, actor, changes):
    record_audit(AuditAction.UPDATE, target=charge, actor=actor, inmate_id=charge.custody.inmate_id,
                 facility_id=charge.incident.facility_id, changes=changes)


@transaction.atomic
def notify_charge(charge, *, language: str, actor, at=None) -> DisciplinaryCharge:
    """The person is told the charge, in a language they understand (Rule 41(1))."""
    charge = _lock_charge(charge, actor)
    if charge.notified_at:
        raise ValidationError(_("Cette poursuite est déjà notifiée."))
    if not (language or "").strip():
        raise ValidationError({"language": _("Indiquez la langue dans laquelle la poursuite a été notifiée.")})
    charge.notified_at, charge.notified_language, charge.notified_by = moment(at), language.strip(), actor
    charge.save(update_fields=["notified_at", "notified_language", "notified_by"])
    _audit(charge, actor, {"notified_language": [None, charge.notified_language]})
    return charge


@transaction.atomic
def hear_charge(charge, *, statement: str, actor, interpreter: str = "", at=None) -> DisciplinaryCharge:
    """The hearing: the person is heard, with an interpreter if needed (Rule 41(2)–(3)), after the
    notification and the time to prepare (limits table)."""
    charge = _lock_charge(charge, actor)
    if charge.heard_at:
        raise ValidationError(_("L'audience est déjà enregistrée."))
    if not charge.notified_at:
        raise ValidationError(_("L'audience ne peut avoir lieu avant la notification de la poursuite."))
    at = moment(at)
    hours = DisciplineLimit.value_of(DisciplineLimitKey.PREPARATION_HOURS)
    if at < charge.notified_at + datetime.timedelta(hours=hours):
        raise ValidationError(_("La personne dispose d'au moins %(h)s heures après la notification pour préparer "
                                "sa défense (Règle 41) : l'audience est trop tôt.") % {"h": hours})
    if not (statement or "").strip():
        raise ValidationError({"statement": _("Consignez ce que la personne a déclaré (ou son refus de parler).")})
    charge.heard_at, charge.statement, charge.interpreter, charge.heard_by = (
        at, statement.strip(), (interpreter or "").strip(), actor)
    charge.save(update_fields=["heard_at", "statement", "interpreter", "heard_by"])
    _audit(charge, actor, {"heard_at": [None, at.isoformat()], "interpreter": [None, charge.interpreter]})
    return charge


@transaction.atomic
def decide_charge(charge, *, reasons: str, actor, sanction=None, days=None, at=None,
                  custodies=None) -> DisciplinaryCharge:
    """The director's decision, with reasons: a sanction of the prison's list, or none.
    `custodies`, if given, must be this charge's one person: a decision for several is refused."""
    if custodies is not None and len(list(custodies)) != 1:
        raise ValidationError(_("Une décision disciplinaire concerne une seule personne : les sanctions "
                                "collectives sont interdites (Règle 43)."))
    charge = _lock_charge(charge, actor)
    if custodies is not None and list(custodies)[0].pk != charge.custody_id:
        raise ValidationError(_("Une décision disciplinaire concerne une seule personne : les sanctions "
                                "collectives sont interdites (Règle 43)."))
    if not actor.has_perm("detention.decide_disciplinarycharge"):
        raise PermissionDenied(_("Seul(e) le directeur ou la directrice décide d'une sanction."))
    if charge.decided_at:
        raise ValidationError(_("Cette poursuite est déjà décidée."))
    if not charge.heard_at:
        raise ValidationError(_("La décision ne peut précéder l'audience de la personne."))
    if not (reasons or "").strip():
        raise ValidationError({"reasons": _("Une décision disciplinaire se motive.")})
    if sanction is not None:
        if sanction.facility_id != charge.incident.facility_id or not sanction.is_active:
            raise ValidationError({"sanction": _("Cette sanction ne figure pas sur la liste des sanctions en "
                                                 "vigueur de l'établissement.")})
        if _prohibited(sanction.name):
            raise ValidationError({"sanction": _("Sanction interdite en toutes circonstances (Règle 43).")})
        already = (DisciplinaryCharge.objects.filter(custody=charge.custody, incident=charge.incident,
                                                     sanction__isnull=False).exclude(pk=charge.pk).exists())
        if already:
            raise ValidationError(_("Ce fait a déjà été sanctionné pour cette personne (Règle 39)."))
        if sanction.max_days and days and days > sanction.max_days:
            raise ValidationError({"days": _("Durée au-delà du maximum de cette sanction (%(n)s jours).")
                                   % {"n": sanction.max_days}})
        if sanction.kind == SanctionKind.ISOLATION:
            limit = DisciplineLimit.value_of(DisciplineLimitKey.ISOLATION_MAX_DAYS)
            if not days:
                raise ValidationError({"days": _("Indiquez la durée de l'isolement.")})
            if days > limit:
                raise ValidationError({"days": _("L'isolement est limité à %(n)s jours consécutifs (Règle 44).")
                                       % {"n": limit}})
    elif days:
        raise ValidationError({"days": _("Une durée ne se donne qu'avec une sanction.")})
    charge.decided_at, charge.decided_by, charge.reasons = moment(at), actor, reasons.strip()
    charge.sanction, charge.sanction_days = sanction, days
    charge.full_clean()
    charge.save(update_fields=["decided_at", "decided_by", "reasons", "sanction", "sanction_days"])
    _audit(charge, actor, {"sanction": [None, sanction.name if sanction else None], "days": [None, days]})
    return charge


@transaction.atomic
def lodge_appeal(charge, *, actor, at=None) -> DisciplinaryCharge:
    charge = _lock_charge(charge, actor)
    if not charge.decided_at:
        raise ValidationError(_("Un recours vise une décision : cette poursuite n'est pas encore décidée."))
    if charge.appeal_lodged_at:
        raise ValidationError(_("Le recours est déjà enregistré."))
    charge.appeal_lodged_at = moment(at)
    charge.save(update_fields=["appeal_lodged_at"])
    _audit(charge, actor, {"appeal_lodged_at": [None, charge.appeal_lodged_at.isoformat()]})
    return charge


@transaction.atomic
def decide_appeal(charge, *, outcome: str, actor, at=None) -> DisciplinaryCharge:
    charge = _lock_charge(charge, actor)
    if not charge.appeal_lodged_at:
        raise ValidationError(_("Aucun recours n'est enregistré."))
    if charge.appeal_decided_at:
        raise ValidationError(_("L'issue du recours est déjà enregistrée."))
    if not (outcome or "").strip():
        raise ValidationError({"outcome": _("Indiquez l'issue du recours.")})
    charge.appeal_decided_at, charge.appeal_outcome = moment(at), outcome.strip()
    charge.save(update_fields=["appeal_decided_at", "appeal_outcome"])
    _audit(charge, actor, {"appeal_outcome": [None, charge.appeal_outcome]})
    return charge
