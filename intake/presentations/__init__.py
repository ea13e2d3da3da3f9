"""A person brought without a valid title (Mandela Rule 7; ICPPED art. 17; DESIGN.md: people
"arrive knowing almost nothing"). No admission without a valid commitment order — and nobody
held out of sight either. The presentation is recorded with whatever is known (who brought the
person, when, what is missing); then either

- the refusal: the person is handed back to the escort, recorded with the escort member who
  took them; or
- the director's decision to hold them pending regularisation: a stay opens (the person is in
  the roll and counted), a critical "held without title" alert opens at once and DNAPES and the
  prison's direction are e-mailed; a letter to the prosecutor is printed from the record.

A held presentation ends when a title is received (regularised: the case and the title are
recorded and the five arrival steps follow, as for any arrival) or when the person is released
because none came. Every step is audited; each refuses a second decision.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditAction
from accounts.reads import open_record
from accounts.services import direction_and_dnapes_emails, record_audit
from casework.deadlines.alerts import close_custody_alerts, open_custody_alert
from casework.models import AlertCloseReason, AlertKind
from core.access import require_serves
from core.clock import moment
from inmates import movements
from inmates import services as inmate_services
from inmates.models import ReleaseReason

from .. import services as intake_services
from ..models import IdentityDecision, Presentation, PresentationOutcome

PRESENTATION_FIELDS = ("presented_at", "escort_force", "escort_unit", "escort_names", "last_name", "first_name",
                       "sex", "birth_year", "declared", "missing", "missing_details", "document_shown", "prosecutor")
# The title's fields a regularisation takes (the arrival form's warrant part, intake.services).
TITLE_FIELDS = ("warrant_number", "warrant_kind", "issued_by", "issued_on", "valid_until", "court", "case_number",
                "investigating_judge", "charges", "arresting_force", "arresting_unit", "arrested_at", "arrest_place",
                "arrest_region", "region_of_origin", "birth_year", "date_of_birth", "father_name", "mother_name")


def _audit(action, presentation, *, actor, changes=None, reason=""):
    record_audit(action, actor=actor, target=presentation, changes=changes or {}, reason=reason,
                 inmate_id=presentation.inmate_id, facility_id=presentation.facility_id)




def _text(value):
    return value.strip() if isinstance(value, str) else value


def _lock(presentation, actor) -> Presentation:
    locked = Presentation.objects.select_for_update().get(pk=presentation.pk)
    require_serves(actor, locked.facility_id)
    return locked


def _require_outcome(presentation, *outcomes):
    if presentation.outcome not in outcomes:
        raise ValidationError(_("Cette présentation a déjà reçu une suite : %(o)s.")
                              % {"o": presentation.get_outcome_display()})


def _required(errors, field, value, message):
    if value in (None, "") or (isinstance(value, str) and not value.strip()):
        errors.setdefault(field, []).append(message)


@transaction.atomic
def record_presentation(*, facility, actor, **fields) -> Presentation:
    """Record that a person was brought without a valid title, with whatever is known."""
    if not actor.has_perm("intake.add_presentation"):
        raise PermissionDenied(_("Seuls le greffe, la sécurité et la direction enregistrent une présentation."))
    require_serves(actor, facility.pk)
    unknown = set(fields) - set(PRESENTATION_FIELDS)
    if unknown:
        raise ValidationError(_("Champs inconnus : %(f)s") % {"f": ", ".join(sorted(unknown))})
    nullable = ("presented_at", "birth_year", "prosecutor")
    fields = {name: ("" if value is None and name not in nullable else _text(value)) for name, value in fields.items()}
    fields["presented_at"] = moment(fields.get("presented_at"), "presented_at")
    presentation = Presentation(facility=facility, recorded_by=actor, recorded_at=timezone.now(), **fields)
    presentation.full_clean()
    presentation.save()
    _audit(AuditAction.CREATE, presentation, actor=actor, changes={
        name: [None, str(getattr(presentation, name))] for name in PRESENTATION_FIELDS
        if getattr(presentation, name) not in (None, "")})
    return presentation


@transaction.atomic
def refuse_presentation(presentation, *, actor, handed_to: str, reason: str, at=None) -> Presentation:
    """The person is handed back to the escort: no admission without a valid title."""
    if not actor.has_perm("intake.add_presentation"):
        raise PermissionDenied(_("Seuls le greffe, la sécurité et la direction enregistrent une présentation."))
    locked = _lock(presentation, actor)
    _require_outcome(locked, PresentationOutcome.PENDING)
    errors = {}
    _required(errors, "handed_to", handed_to, _("Indiquez l'agent de l'escorte à qui la personne est remise."))
    _required(errors, "reason", reason, _("Indiquez le motif du refus."))
    if errors:
        raise ValidationError(errors)
    at = moment(at, "at")
    if at < locked.presented_at:
        raise ValidationError({"at": _("La remise ne peut précéder la présentation.")})
    locked.outcome, locked.decided_by, locked.decided_at = PresentationOutcome.REFUSED, actor, at
    locked.handed_to, locked.decision_reason = handed_to.strip(), reason.strip()
    locked.full_clean()
    locked.save()
    _audit(AuditAction.UPDATE, locked, actor=actor, reason=locked.decision_reason, changes={
        "outcome": [PresentationOutcome.PENDING, locked.outcome], "handed_to": [None, locked.handed_to]})
    return locked


@transaction.atomic
def hold_pending_regularisation(presentation, *, actor, reason: str, unit=None, override_reason: str = "",
                                at=None) -> Presentation:
    """The director decides to hold the person while the title is obtained: a stay opens (in the
    roll and counted), with the critical "held without title" alert, at once."""
    if not actor.has_perm("intake.decide_presentation"):
        raise PermissionDenied(_("Seule la direction de l'établissement décide de retenir une personne "
                                 "sans titre valable."))
    locked = _lock(presentation, actor)
    _require_outcome(locked, PresentationOutcome.PENDING)
    errors = {}
    _required(errors, "reason", reason, _("Indiquez le motif de la décision (pourquoi la personne ne peut "
                                          "être remise à l'escorte)."))
    if unit is None:  # where the person is held: in the roll and counted from the first night
        errors.setdefault("unit", []).append(_("Choisissez l'unité ou la cellule où la personne est retenue."))
    elif unit.facility_id != locked.facility_id:
        errors.setdefault("unit", []).append(_("Ce quartier n'appartient pas à l'établissement."))
    if errors:
        raise ValidationError(errors)
    at = moment(at, "at")
    if at < locked.presented_at:
        raise ValidationError({"at": _("La décision ne peut précéder la présentation.")})
    inmate = inmate_services.create_inmate(
        actor=actor, last_name=locked.last_name, first_name=locked.first_name, sex=locked.sex,
        birth_year=locked.birth_year)
    custody = inmate_services.admit_to_custody(
        inmate, facility=locked.facility, admitted_at=locked.presented_at, actor=actor,
        arresting_force=locked.escort_force, arresting_unit=locked.escort_unit,
        grounds=_("Sans titre valable : %(what)s") % {"what": locked.missing_details})
    inmate_services.place_in_unit(custody, unit=unit, actor=actor, at=at,
                                  reason=_("Retenu en attente de régularisation"),
                                  override_reason=(override_reason or "").strip())
    open_custody_alert(custody, AlertKind.NO_TITLE, at=at)
    locked.outcome, locked.decided_by, locked.decided_at = PresentationOutcome.HELD, actor, at
    locked.decision_reason, locked.inmate, locked.custody = reason.strip(), inmate, custody
    locked.full_clean()
    locked.save()
    _audit(AuditAction.UPDATE, locked, actor=actor, reason=locked.decision_reason, changes={
        "outcome": [PresentationOutcome.PENDING, locked.outcome], "custody": [None, str(custody.pk)]})
    from ..tasks import notify_held_without_title

    transaction.on_commit(lambda: notify_held_without_title.delay(locked.pk))
    return locked


@transaction.atomic
def regularise(presentation, *, actor, title: dict) -> Presentation:
    """A valid title was received for a person held without one: the case and the title are
    recorded on the stay (checked as at any arrival), the alert ends, the arrival steps follow."""
    if not actor.has_perm("intake.add_intake"):
        raise PermissionDenied(_("Seul le greffe ou la direction enregistre un titre de détention."))
    locked = _lock(presentation, actor)
    _require_outcome(locked, PresentationOutcome.HELD)
    unknown = set(title) - set(TITLE_FIELDS)
    if unknown:
        raise ValidationError(_("Champs inconnus : %(f)s") % {"f": ", ".join(sorted(unknown))})
    inmate = locked.inmate
    person = {"last_name": inmate.last_name, "first_name": inmate.first_name, "sex": inmate.sex,
              "region_of_origin": inmate.region_of_origin, "birth_year": inmate.birth_year,
              "date_of_birth": inmate.date_of_birth}
    warrant = {**person, **{k: v for k, v in title.items() if v not in (None, "")},
               "identity_decision": IdentityDecision.NEW}
    errors = intake_services.check_warrant(warrant)
    arrested_at = warrant.get("arrested_at")
    if arrested_at and arrested_at > locked.custody.admitted_at:
        errors.setdefault("arrested_at", []).append(_("L'arrestation ne peut suivre la présentation à "
                                                      "l'établissement."))
    if errors:
        raise ValidationError(errors)
    reason = _("Régularisation : titre de détention reçu")
    identity = {k: warrant[k] for k in ("region_of_origin", "birth_year", "date_of_birth", "father_name",
                                        "mother_name") if warrant.get(k) not in (None, "")}
    inmate_services.update_inmate(inmate, actor=actor, reason=reason, **identity)
    charges = [c for c in warrant["charges"] if any(c.values())]
    custody = inmate_services.update_custody(
        locked.custody, actor=actor, reason=reason, arresting_force=warrant["arresting_force"],
        arresting_unit=warrant.get("arresting_unit") or locked.escort_unit, arrested_at=arrested_at,
        arrest_place=warrant["arrest_place"], arrest_region=warrant.get("arrest_region"),
        grounds="; ".join(c["offence"].strip() for c in charges), committing_authority=warrant["issued_by"])
    case, order = intake_services.open_case_on_warrant(custody, warrant, charges, actor=actor)
    intake = intake_services.open_intake_record(custody, case=case, order=order, actor=actor,
                                                identity_decision=IdentityDecision.NEW)
    now = timezone.now()
    close_custody_alerts(custody, AlertKind.NO_TITLE, reason=AlertCloseReason.ORDER, at=now)
    locked.outcome, locked.closed_by, locked.closed_at, locked.intake = (
        PresentationOutcome.REGULARISED, actor, now, intake)
    locked.close_note = _("%(kind)s n° %(ref)s du %(day)s, %(by)s") % {
        "kind": order.get_kind_display(), "ref": order.reference, "day": order.issued_on.strftime("%d/%m/%Y"),
        "by": order.issued_by}
    locked.full_clean()
    locked.save()
    _audit(AuditAction.UPDATE, locked, actor=actor, reason=reason, changes={
        "outcome": [PresentationOutcome.HELD, locked.outcome], "intake": [None, str(intake.pk)]})
    return locked


@transaction.atomic
def release_unregularised(presentation, *, actor, authority: str, reason: str, left_at=None) -> Presentation:
    """No title came: the person leaves, on the prosecutor's instruction or the director's decision."""
    if not actor.has_perm("intake.decide_presentation"):
        raise PermissionDenied(_("Seule la direction de l'établissement décide de la libération d'une personne "
                                 "retenue sans titre."))
    locked = _lock(presentation, actor)
    _require_outcome(locked, PresentationOutcome.HELD)
    errors = {}
    _required(errors, "authority", authority, _("Indiquez qui a décidé la libération (parquet, direction)."))
    _required(errors, "reason", reason, _("Indiquez le motif de la libération."))
    if errors:
        raise ValidationError(errors)
    left_at = moment(left_at, "left_at")
    movements.release(locked.custody, reason=ReleaseReason.OTHER, order_received_at=left_at, left_at=left_at,
                            actor=actor, authority=authority.strip(),
                            order_reference=_("Présentation sans titre n° %(n)s") % {"n": locked.pk},
                            notes=_("Retenu sans titre valable, aucun titre produit : %(r)s") % {"r": reason.strip()})
    close_custody_alerts(locked.custody, AlertKind.NO_TITLE, reason=AlertCloseReason.RELEASE, at=left_at)
    locked.outcome, locked.closed_by, locked.closed_at = PresentationOutcome.RELEASED, actor, left_at
    locked.close_note = f"{authority.strip()} — {reason.strip()}"
    locked.full_clean()
    locked.save()
    _audit(AuditAction.UPDATE, locked, actor=actor, reason=reason.strip(), changes={
        "outcome": [PresentationOutcome.HELD, locked.outcome]})
    return locked


def open_presentation(pk, *, actor, action=AuditAction.VIEW) -> Presentation:
    """One presentation within the actor's prisons (else 404); the read is audited."""
    queryset = Presentation.objects.visible_to(actor).select_related(
        "facility", "prosecutor", "recorded_by", "decided_by", "closed_by", "inmate", "custody", "intake")
    return open_record(queryset, pk, actor=actor, permission="intake.view_presentation", person="inmate_id",
                       facility="facility_id", not_found=_("Aucune présentation ne correspond."), action=action)


@transaction.atomic
def print_letter(presentation, *, actor) -> Presentation:
    """The letter to the prosecutor is printed (an export of the record, audited; first date kept)."""
    locked = _lock(presentation, actor)
    if locked.outcome == PresentationOutcome.PENDING:
        raise ValidationError(_("La lettre au parquet suit la décision : retenir ou remettre à l'escorte."))
    if locked.letter_printed_at is None:
        locked.letter_printed_at = timezone.now()
        locked.save(update_fields=["letter_printed_at"])
    return locked



def notify(presentation_id: int) -> int:
    """E-mail the direction and DNAPES that a person is held without a valid title. The message
    names no one: the record is read in the register, by those entitled (audited)."""
    from django.core.mail import send_mail
    from django.urls import reverse

    presentation = Presentation.objects.select_related("facility").get(pk=presentation_id)
    # The same recipients as an allegation of ill-treatment: the prison's direction and DNAPES.
    to = direction_and_dnapes_emails(presentation.facility)
    if not to:
        return 0
    subject = _("[DNAPES] Personne retenue sans titre valable — %(f)s") % {"f": presentation.facility.name}
    body = _("Une personne présentée sans titre de détention valable est retenue depuis le %(day)s à "
             "%(facility)s, en attente de régularisation (présentation n° %(id)s).\n\n"
             "Le parquet doit être avisé sans délai (Règle Nelson Mandela 7 ; Convention contre les "
             "disparitions forcées, art. 17).\nConsultez le registre : %(path)s\n") % {
        "day": timezone.localtime(presentation.decided_at).strftime("%d/%m/%Y %H:%M"),
        "facility": presentation.facility.name, "id": presentation.pk,
        "path": reverse("intake:presentation_detail", args=[presentation.pk])}
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)
