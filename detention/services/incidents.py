"""The register of serious incidents and injuries (Mandela Rules 69–72; LAW.md "Rules 69–72").

Security and the direction record an incident; health staff record an injury after admission
(the incident of kind "serious injury" and its medical details, which only they read). The
judicial authority informed (Rule 71), the next of kin told at once (Rules 69–70), the
independent inquiry: each recorded with when and by whom, audited.

The next of kin of a seriously injured person are told whatever the person chose earlier about
family notices (`FamilyNotification.choice`): that choice is deliberately not read here.

Refused, with nothing written: a date in the future, or before the incident (before the stay
for a person); a person of another prison; an injury without a person; a kin notice without the
relative's name or the means; a second notice; medical details by anyone but medical staff; an
inquiry closed without its outcome.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import need_to_know
from accounts.models import AuditAction
from accounts.services import record_audit
from core.access import require_serves
from core.clock import moment
from detention.models.incidents import (
    KIN_REQUIRED_KINDS,
    IncidentInvolvement,
    IncidentKind,
    InjuryMedicalDetail,
    InvolvementPart,
    SeriousIncident,
)
from inmates.models import Custody, NotificationMethod


def _require_recorder(actor):
    if not actor.has_perm("detention.add_seriousincident"):
        raise PermissionDenied(_("Seules la sécurité et la direction enregistrent un incident grave."))


def _require_medical(actor):
    # Need-to-know: by role only, never the superuser flag (accounts.need_to_know).
    if not need_to_know.can_record_injury_medical(actor):
        raise PermissionDenied(_("Seul le personnel de santé enregistre les constats médicaux d'une blessure."))


def _person_of(facility, custody, *, field, occurred_at=None):
    custody = Custody.objects.select_related("inmate").get(pk=custody.pk)
    if custody.facility_id != facility.pk:
        raise ValidationError({field: _("Cette personne n'est pas détenue dans cet établissement.")})
    if occurred_at and occurred_at < custody.admitted_at:
        raise ValidationError({"occurred_at": _("L'incident ne peut précéder l'écrou de la personne.")})
    if occurred_at and custody.released_at and occurred_at > custody.released_at:
        raise ValidationError({"occurred_at": _("L'incident ne peut suivre la sortie de la personne.")})
    return custody


def _audit(action, incident, *, actor, changes):
    record_audit(action, target=incident, actor=actor, facility_id=incident.facility_id,
                 inmate_id=incident.custody.inmate_id if incident.custody_id else None, changes=changes)


@transaction.atomic
def record_incident(facility, *, kind: str, occurred_at, place: str, circumstances: str, actor, custody=None,
                    involved=()) -> SeriousIncident:
    """Enter a serious incident (security, direction): one person concerned, or none for a
    collective incident, and the people involved (`involved`: custodies or (custody, part) pairs)."""
    require_serves(actor, facility.pk)
    _require_recorder(actor)
    at = moment(occurred_at, "occurred_at")
    if kind in KIN_REQUIRED_KINDS and custody is None:
        raise ValidationError({"custody": _("Une blessure grave ou une tentative de suicide concerne une personne : "
                                            "indiquez-la.")})
    if custody is not None:
        custody = _person_of(facility, custody, field="custody", occurred_at=at)
    pairs = []
    for item in involved or ():
        person, part = item if isinstance(item, tuple | list) else (item, InvolvementPart.INVOLVED)
        pairs.append((_person_of(facility, person, field="involved", occurred_at=at), part))
    if len({p.pk for p, _part in pairs}) != len(pairs) or (custody and custody.pk in {p.pk for p, _part in pairs}):
        raise ValidationError({"involved": _("Une même personne est indiquée deux fois.")})
    incident = SeriousIncident(facility=facility, custody=custody, kind=kind, occurred_at=at,
                               place=(place or "").strip(), circumstances=(circumstances or "").strip(),
                               recorded_by=actor)
    incident.full_clean()
    incident.save()
    for person, part in pairs:
        row = IncidentInvolvement(incident=incident, custody=person, part=part)
        row.full_clean()
        row.save()
    _audit(AuditAction.CREATE, incident, actor=actor, changes={
        "kind": [None, kind], "occurred_at": [None, at.isoformat()], "place": [None, incident.place],
        "involved": [None, len(pairs)]})
    return incident


def _add_detail(incident, *, nature_of_injuries, treatment, examining_doctor, examined_at, actor):
    examined_at = moment(examined_at, "examined_at")
    if examined_at < incident.occurred_at:
        raise ValidationError({"examined_at": _("L'examen ne peut précéder la blessure.")})
    if InjuryMedicalDetail.objects.filter(incident=incident).exists():
        raise ValidationError(_("Le constat médical de cette blessure est déjà enregistré."))
    detail = InjuryMedicalDetail(incident=incident, nature_of_injuries=(nature_of_injuries or "").strip(),
                                 treatment=(treatment or "").strip(),
                                 examining_doctor=(examining_doctor or "").strip(), examined_at=examined_at,
                                 recorded_by=actor)
    detail.full_clean()
    detail.save()
    # The content is medical: the audit keeps the fact, not the words.
    record_audit(AuditAction.CREATE, target=detail, actor=actor, facility_id=incident.facility_id,
                 inmate_id=incident.custody.inmate_id if incident.custody_id else None,
                 changes={"examined_at": [None, examined_at.isoformat()]})
    return detail


@transaction.atomic
def record_injury(custody, *, occurred_at, place: str, circumstances: str, nature_of_injuries: str,
                  examining_doctor: str, actor, treatment: str = "", examined_at=None) -> SeriousIncident:
    """Health staff record an injury after admission: the register's incident (kind "serious
    injury", circumstances readable by the register's readers) and its medical details (theirs)."""
    custody = Custody.objects.select_related("inmate", "facility").get(pk=custody.pk)
    require_serves(actor, custody.facility_id)
    _require_medical(actor)
    at = moment(occurred_at, "occurred_at")
    custody = _person_of(custody.facility, custody, field="custody", occurred_at=at)
    incident = SeriousIncident(facility=custody.facility, custody=custody, kind=IncidentKind.SERIOUS_INJURY,
                               occurred_at=at, place=(place or "").strip(),
                               circumstances=(circumstances or "").strip(), recorded_by=actor)
    incident.full_clean()
    incident.save()
    _audit(AuditAction.CREATE, incident, actor=actor, changes={
        "kind": [None, incident.kind], "occurred_at": [None, at.isoformat()], "place": [None, incident.place]})
    _add_detail(incident, nature_of_injuries=nature_of_injuries, treatment=treatment,
                examining_doctor=examining_doctor, examined_at=examined_at or timezone.now(), actor=actor)
    return incident


def _lock(incident, actor) -> SeriousIncident:
    locked = (SeriousIncident.objects.select_for_update(of=("self",)).select_related("custody__inmate")
              .get(pk=incident.pk))
    require_serves(actor, locked.facility_id)
    return locked


@transaction.atomic
def record_injury_detail(incident, *, nature_of_injuries: str, examining_doctor: str, actor, treatment: str = "",
                         examined_at=None) -> InjuryMedicalDetail:
    """Health staff add the medical details to an injury the register already holds."""
    incident = _lock(incident, actor)
    _require_medical(actor)
    if incident.kind not in KIN_REQUIRED_KINDS:
        raise ValidationError(_("Un constat médical accompagne une blessure grave ou une tentative de suicide."))
    return _add_detail(incident, nature_of_injuries=nature_of_injuries, treatment=treatment,
                       examining_doctor=examining_doctor, examined_at=examined_at or timezone.now(), actor=actor)


def _not_before(incident, at, field):
    if at < incident.occurred_at:
        raise ValidationError({field: _("L'information ne peut précéder l'incident.")})


@transaction.atomic
def record_authority_notice(incident, *, authority: str, actor, reference: str = "", at=None) -> SeriousIncident:
    """The judicial authority, independent of the prison, informed (Rule 71): when, by whom, which, reference."""
    incident = _lock(incident, actor)
    if not actor.has_perm("detention.change_seriousincident"):
        raise PermissionDenied(_("Seules la sécurité et la direction enregistrent l'information de l'autorité."))
    if incident.authority_informed_at:
        raise ValidationError(_("L'information de l'autorité judiciaire est déjà enregistrée."))
    at = moment(at, "at")
    _not_before(incident, at, "at")
    if not (authority or "").strip():
        raise ValidationError({"authority": _("Indiquez l'autorité judiciaire informée.")})
    incident.authority_informed_at, incident.authority_informed_by = at, actor
    incident.authority, incident.authority_reference = authority.strip(), (reference or "").strip()
    incident.full_clean()
    incident.save(update_fields=["authority_informed_at", "authority_informed_by", "authority",
                                 "authority_reference"])
    _audit(AuditAction.UPDATE, incident, actor=actor, changes={
        "authority_informed_at": [None, at.isoformat()], "authority": [None, incident.authority]})
    return incident


@transaction.atomic
def record_kin_notice(incident, *, name: str, method: str, actor, at=None) -> SeriousIncident:
    """The next of kin told at once (Rules 69–70): when, by whom, whom, how — whatever the person's
    earlier choice about family notices, which is not consulted."""
    incident = _lock(incident, actor)
    if not actor.has_perm("detention.change_seriousincident"):
        raise PermissionDenied(_("Seules la sécurité et la direction enregistrent l'information de la famille."))
    if incident.custody_id is None:
        raise ValidationError(_("Cet incident ne concerne pas une personne désignée : la famille de chaque "
                                "personne blessée est prévenue sur l'incident qui la concerne."))
    if incident.kin_told_at:
        raise ValidationError(_("L'information de la famille est déjà enregistrée."))
    at = moment(at, "at")
    _not_before(incident, at, "at")
    errors = {}
    if not (name or "").strip():
        errors["name"] = _("Indiquez le nom du parent prévenu.")
    if method not in NotificationMethod.values:
        errors["method"] = _("Indiquez comment la famille a été prévenue.")
    if errors:
        raise ValidationError(errors)
    incident.kin_told_at, incident.kin_told_by, incident.kin_name, incident.kin_method = at, actor, name.strip(), method
    incident.full_clean()
    incident.save(update_fields=["kin_told_at", "kin_told_by", "kin_name", "kin_method"])
    _audit(AuditAction.UPDATE, incident, actor=actor, changes={"kin_told_at": [None, at.isoformat()],
                                                               "kin_method": [None, method]})
    return incident


@transaction.atomic
def record_inquiry(incident, *, authority: str, reference: str, actor, outcome: str = "",
                   closed_on=None) -> SeriousIncident:
    """The independent inquiry (Rule 71): its authority and reference, then its outcome and closing."""
    incident = _lock(incident, actor)
    if not actor.has_perm("detention.change_seriousincident"):
        raise PermissionDenied(_("Seules la sécurité et la direction enregistrent l'enquête."))
    if incident.inquiry_closed_on:
        raise ValidationError(_("L'enquête est déjà close."))
    errors = {}
    if not (authority or "").strip():
        errors["authority"] = _("Indiquez l'autorité chargée de l'enquête.")
    if not (reference or "").strip():
        errors["reference"] = _("Indiquez la référence de l'enquête (parquet, procès-verbal).")
    if closed_on:
        if closed_on > timezone.localdate():
            errors["closed_on"] = _("La date est dans le futur.")
        elif closed_on < timezone.localtime(incident.occurred_at).date():
            errors["closed_on"] = _("L'enquête ne peut être close avant l'incident.")
        if not (outcome or "").strip():
            errors["outcome"] = _("Une enquête se clôt avec ses conclusions.")
    if errors:
        raise ValidationError(errors)
    before = {"inquiry_reference": incident.inquiry_reference, "inquiry_closed_on": incident.inquiry_closed_on}
    incident.inquiry_authority, incident.inquiry_reference = authority.strip(), reference.strip()
    incident.inquiry_outcome, incident.inquiry_closed_on = (outcome or "").strip(), closed_on
    incident.full_clean()
    incident.save(update_fields=["inquiry_authority", "inquiry_reference", "inquiry_outcome", "inquiry_closed_on"])
    _audit(AuditAction.UPDATE, incident, actor=actor, changes={
        "inquiry_reference": [before["inquiry_reference"] or None, incident.inquiry_reference],
        "inquiry_closed_on": [str(before["inquiry_closed_on"]) if before["inquiry_closed_on"] else None,
                              str(closed_on) if closed_on else None]})
    return incident
