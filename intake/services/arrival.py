"""Registering an arrival from its warrant (the person, the custody, the case and the
warrant), and the national search for people who may be this arrival.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import AuditAction
from accounts.services import record_audit
from casework import services as case_services
from casework.models import LegalClass, OrderKind
from core.access import serves
from inmates import services as inmate_services
from inmates.models import AliasKind, ArrestingForce, Inmate, PriorCustodyKind, Sex
from inmates.names import fold
from intake.models import (
    IdentityDecision,
    Intake,
)

from .validation import _missing

# --- Arrival ---------------------------------------------------------------------------

WARRANT_REQUIRED = {
    "last_name": gettext_lazy("le nom"),
    "first_name": gettext_lazy("le(s) prénom(s)"),
    "sex": gettext_lazy("le sexe"),
    "region_of_origin": gettext_lazy("la région d'origine"),
    "warrant_number": gettext_lazy("le numéro du titre de détention"),
    "warrant_kind": gettext_lazy("le type de titre (mandat de dépôt, ordonnance…)"),
    "issued_by": gettext_lazy("l'autorité qui a délivré le titre"),
    "issued_on": gettext_lazy("la date du titre"),
    "court": gettext_lazy("la juridiction"),
    "arresting_force": gettext_lazy("la force ayant procédé à l'arrestation"),
    "arrested_at": gettext_lazy("la date et l'heure de l'arrestation"),
    "arrest_place": gettext_lazy("le lieu de l'arrestation"),
}


def check_warrant(warrant: dict) -> dict:
    """What a warrant lacks for admission (Mandela Rule 7), as {field: [messages]}."""
    errors = {}
    for field, label in WARRANT_REQUIRED.items():
        value = warrant.get(field)
        if value in (None, "") or (isinstance(value, str) and not value.strip()):
            _missing(errors, field, _("Manque au titre de détention : %(what)s.") % {"what": label})
    if not warrant.get("date_of_birth") and not warrant.get("birth_year"):
        _missing(errors, "birth_year",
                 _("Manque au titre de détention : la date de naissance ou l'année estimée."))
    if warrant.get("sex") and warrant["sex"] not in Sex.values:
        _missing(errors, "sex", _("Sexe inconnu."))
    if warrant.get("warrant_kind") and warrant["warrant_kind"] not in OrderKind.values:
        _missing(errors, "warrant_kind", _("Type de titre inconnu."))
    if warrant.get("arresting_force") and warrant["arresting_force"] not in ArrestingForce.values:
        _missing(errors, "arresting_force", _("Force inconnue."))
    issued_on = warrant.get("issued_on")
    if isinstance(issued_on, datetime.date) and issued_on > timezone.localdate():
        _missing(errors, "issued_on", _("La date du titre est dans le futur."))
    charges = [c for c in warrant.get("charges") or [] if any(c.values())]
    if not charges:
        _missing(errors, "charges",
                 _("Manque au titre de détention : au moins une infraction (ou la condamnation)."))
    for i, charge in enumerate(charges, start=1):
        if not (charge.get("offence") or "").strip():
            _missing(errors, "charges", _("Infraction %(i)d : indiquez l'infraction.") % {"i": i})
        if charge.get("legal_class") not in LegalClass.values:
            _missing(errors, "charges", _("Infraction %(i)d : indiquez la qualification "
                                          "(contravention, délit, crime).") % {"i": i})
    for i, prior in enumerate(warrant.get("prior_custodies") or [], start=1):
        if not (prior.get("place") or "").strip() or not prior.get("started_at"):
            _missing(errors, "prior_custodies",
                     _("Garde antérieure %(i)d : indiquez le lieu et la date de début.") % {"i": i})
        if prior.get("kind") not in PriorCustodyKind.values:
            _missing(errors, "prior_custodies",
                     _("Garde antérieure %(i)d : indiquez le type de lieu.") % {"i": i})
    decision = warrant.get("identity_decision")
    if decision not in IdentityDecision.values:
        _missing(errors, "identity_decision", _("Choisissez « nouvelle personne » ou « même personne "
                                       "(ré-écrou) » après avoir consulté les correspondances."))
    elif decision == IdentityDecision.READMISSION and not warrant.get("inmate"):
        _missing(errors, "identity_decision", _("Indiquez la personne déjà connue qui revient."))
    return errors


@transaction.atomic
def register_arrival(warrant: dict, *, facility, actor) -> Intake:
    """Admit a person on a valid warrant: no valid warrant, no admission (Mandela Rule 7).

    Creates (or, for a re-admission, reuses) the person, opens the custody with its arrest
    chain, the case with its charges and the warrant as a detention order, and the intake.
    When the warrant lacks anything, raises a ValidationError listing it; nothing is created.
    """
    if not actor.has_perm("intake.add_intake"):
        raise PermissionDenied(_("Seul le greffe ou la direction enregistre une arrivée."))
    if not serves(actor, facility.pk):
        raise PermissionDenied(_("Vous n'êtes pas affecté(e) à cet établissement."))
    errors = check_warrant(warrant)
    if errors:
        raise ValidationError(errors)
    admitted_at = warrant.get("admitted_at") or timezone.now()
    if warrant["identity_decision"] == IdentityDecision.READMISSION:
        inmate = warrant["inmate"]
        if not isinstance(inmate, Inmate):
            inmate = Inmate.objects.filter(pk=inmate).first()
            if inmate is None:
                raise ValidationError({"identity_decision": _("Cette personne n'existe pas.")})
        inmate = Inmate.objects.select_for_update().get(pk=inmate.pk)
        warrant_name = f"{warrant['first_name']} {warrant['last_name']}".strip()
        if not set(fold(warrant_name).split()) <= set(inmate.search_text.split()):
            # The same person under the warrant's spelling: kept, so they are found by it.
            inmate_services.add_alias(inmate, name=warrant_name, kind=AliasKind.SPELLING, actor=actor)
    else:
        inmate = inmate_services.create_inmate(
            actor=actor,
            last_name=warrant["last_name"].strip(), first_name=warrant["first_name"].strip(),
            sex=warrant["sex"], date_of_birth=warrant.get("date_of_birth"),
            birth_year=warrant.get("birth_year") or (
                warrant["date_of_birth"].year if warrant.get("date_of_birth") else None),
            region_of_origin=warrant["region_of_origin"],
            father_name=warrant.get("father_name") or "", mother_name=warrant.get("mother_name") or "",
        )
    charges = [c for c in warrant["charges"] if any(c.values())]
    custody = inmate_services.admit_to_custody(
        inmate, facility=facility, admitted_at=admitted_at, actor=actor,
        prior_custodies=[{k: v for k, v in p.items() if v not in (None, "")}
                         for p in warrant.get("prior_custodies") or []],
        arresting_force=warrant["arresting_force"],
        arresting_unit=warrant.get("arresting_unit") or "",
        arrested_at=warrant["arrested_at"], arrest_place=warrant["arrest_place"],
        arrest_region=warrant.get("arrest_region"),
        grounds="; ".join(c["offence"].strip() for c in charges),
        committing_authority=warrant["issued_by"],
    )
    case, order = open_case_on_warrant(custody, warrant, charges, actor=actor)
    return open_intake_record(custody, case=case, order=order, actor=actor,
                              identity_decision=warrant["identity_decision"],
                              candidates_shown=warrant.get("candidates_shown") or [])


def open_case_on_warrant(custody, warrant: dict, charges, *, actor):
    """The case with its charges and the warrant as its detention order (checked warrant)."""
    case = case_services.open_case(
        custody, actor=actor, court=warrant["court"],
        case_number=(warrant.get("case_number") or warrant["warrant_number"]).strip(),
        investigating_judge=warrant.get("investigating_judge") or "",
        opened_on=warrant["issued_on"],
        charges=[{
            "offence": c["offence"].strip(), "legal_class": c["legal_class"],
            "terrorism_related": bool(c.get("terrorism_related")),
            "max_penalty_months": c.get("max_penalty_months"),
        } for c in charges],
    )
    order = case_services.record_detention_order(
        case, actor=actor, kind=warrant["warrant_kind"], reference=warrant["warrant_number"].strip(),
        issued_on=warrant["issued_on"], issued_by=warrant["issued_by"],
        valid_until=warrant.get("valid_until"),
    )
    return case, order


def open_intake_record(custody, *, case, order, actor, identity_decision, candidates_shown=()) -> Intake:
    """The intake of a stay opened on a title: its five steps follow."""
    now = timezone.now()
    intake = Intake(
        facility=custody.facility, inmate=custody.inmate, custody=custody, case=case, warrant=order,
        identity_decision=identity_decision, candidates_shown=list(candidates_shown),
        opened_at=now, opened_by=actor, last_activity_at=now,
    )
    intake.full_clean()
    intake.save()
    record_audit(AuditAction.CREATE, actor=actor, target=intake, inmate_id=custody.inmate_id,
                 facility_id=custody.facility_id,
                 changes={"identity_decision": [None, intake.identity_decision],
                          "warrant": [None, str(order)],
                          "candidates_shown": [None, str(intake.candidates_shown)]})
    return intake



def duplicate_candidates(*, last_name, first_name="", birth_year=None, region=None, actor,
                         limit=10) -> list[dict]:
    """People already known nationally who may be this arrival (for the clerk's decision).

    Searched across every prison, since a returning person may come from anywhere; only
    what the decision needs is returned, and the search is audited.
    """
    from inmates.matching import find_candidates
    from inmates.models import Custody

    if not actor.has_perm("intake.add_intake"):
        raise PermissionDenied(_("Seul le greffe ou la direction recherche les correspondances."))
    found = find_candidates(last_name=last_name or "", first_name=first_name or "",
                            birth_year=birth_year, region_id=getattr(region, "pk", region), limit=limit)
    ids = [c.inmate.pk for c in found]
    open_ids = set(Custody.objects.current().filter(inmate_id__in=ids).values_list("inmate_id", flat=True))
    regions = {pk: (code, name) for pk, code, name in Inmate.objects.filter(pk__in=ids).values_list(
        "pk", "region_of_origin__code", "region_of_origin__name")}
    results = [{
        "id": c.inmate.pk, "name": f"{c.inmate.first_name} {c.inmate.last_name.upper()}",
        "birth_year": c.inmate.birth_year or (c.inmate.date_of_birth.year if c.inmate.date_of_birth else None),
        "region": regions.get(c.inmate.pk, (None, None))[0],
        "region_name": regions.get(c.inmate.pk, (None, None))[1], "prisoner_number": c.inmate.prisoner_number,
        "score": c.score, "in_custody": c.inmate.pk in open_ids,
    } for c in found]
    record_audit(AuditAction.OTHER, actor=actor, reason=_("Recherche de correspondances à l'écrou"),
                 changes={"query": [None, f"{first_name} {last_name} {birth_year or ''}".strip()],
                          "results": [None, len(results)]})
    return results
