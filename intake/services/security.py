"""Step 1, security: the rules explained (Rules 54–55), the charges communicated (Rule 111),
the search (which enters the searches register) and the unit of placement."""


from django.utils.translation import gettext as _

from core.clock import is_future
from inmates import services as inmate_services
from intake.models import (
    Acknowledgement,
    BriefingLanguage,
    RulesMode,
    SecurityCheck,
)

from .validation import _missing, _raise, _require, _text


def _briefing(errors, data):
    """Rules 54–55 and 111: a language of the list (or another, named), oral for a person who
    cannot read, the person's acknowledgement, the charges communicated, when and by whom."""
    language = data.get("rules_language")
    if language not in BriefingLanguage.values:
        _missing(errors, "rules_language", _("Choisissez la langue dans laquelle ils ont été expliqués."))
    elif language == BriefingLanguage.OTHER and not _text(data, "rules_language_other"):
        _missing(errors, "rules_language_other", _("Précisez l'autre langue."))
    if data.get("rules_mode") not in RulesMode.values:
        _missing(errors, "rules_mode", _("Indiquez s'ils ont été expliqués oralement ou par écrit."))
    if data.get("can_read") not in (True, False):
        _missing(errors, "can_read", _("Indiquez si la personne sait lire."))
    elif data["can_read"] is False and data.get("rules_mode") == RulesMode.WRITTEN:
        _missing(errors, "rules_mode", _("La personne ne sait pas lire : les explications doivent "
                                         "être données oralement (Règle 55)."))
    acknowledgement = data.get("acknowledgement")
    if acknowledgement not in Acknowledgement.values:
        _missing(errors, "acknowledgement", _("Indiquez comment la personne en a accusé réception "
                                              "(signature, empreinte ou refus)."))
    elif acknowledgement == Acknowledgement.REFUSED and not _text(data, "acknowledgement_witness"):
        _missing(errors, "acknowledgement_witness", _("Un refus de signer est constaté devant un "
                                                      "témoin : indiquez son nom."))
    when = data.get("charges_communicated_at")
    if not data.get("charges_communicated"):
        _missing(errors, "charges_communicated", _("Les charges et les motifs de la détention doivent "
                                                   "être communiqués à la personne (Règle 111)."))
    if not when:
        _missing(errors, "charges_communicated_at", _("Indiquez quand ils ont été communiqués."))
    elif is_future(when):
        _missing(errors, "charges_communicated_at", _("Cette date est dans le futur."))
    _require(errors, data, "charges_communicated_by", _("Indiquez qui les a communiqués."))


def _security(intake, data, actor):
    errors = {}
    if not data.get("rules_explained"):
        _missing(errors, "rules_explained", _("Le règlement, les droits et la procédure de plainte "
                                              "doivent être expliqués (Règles 54–55)."))
    _briefing(errors, data)
    if not data.get("search_done"):
        _missing(errors, "search_done", _("La fouille doit être effectuée."))
    if data.get("prohibited_items_found"):
        _require(errors, data, "items_found", _("Décrivez les objets interdits trouvés."))
    unit = data.get("unit")
    if unit is None:
        _missing(errors, "unit", _("Choisissez l'unité ou la cellule d'affectation."))
    elif unit.facility_id != intake.facility_id:
        _missing(errors, "unit", _("Cette unité n'appartient pas à l'établissement."))
    _raise(errors)
    # A person held pending regularisation (intake.presentations) may already be in that unit.
    placement = intake.custody.placements.filter(ended_at__isnull=True, unit=unit).first()
    if placement is None:
        placement = inmate_services.place_in_unit(
            intake.custody, unit=unit, actor=actor, reason=_("Affectation à l'écrou"),
            override_reason=(data.get("override_reason") or "").strip(),
        )
    check = SecurityCheck(
        intake=intake, rules_explained=True, rules_language=data["rules_language"],
        rules_language_other=_text(data, "rules_language_other"), rules_mode=data["rules_mode"],
        interpreter_name=_text(data, "interpreter_name"), can_read=data["can_read"],
        acknowledgement=data["acknowledgement"], acknowledgement_witness=_text(data, "acknowledgement_witness"),
        charges_communicated_at=data["charges_communicated_at"],
        charges_communicated_by=_text(data, "charges_communicated_by"), search_done=True,
        prohibited_items_found=bool(data.get("prohibited_items_found")),
        items_found=(data.get("items_found") or "").strip(), placement=placement,
        notes=(data.get("notes") or "").strip(),
    )
    check.full_clean()
    check.save()
    _admission_search(intake, check, data, actor)
    return {"unit": [None, str(unit)], "prohibited_items_found": [None, check.prohibited_items_found]}


def _admission_search(intake, check, data, actor):
    """The admission search enters the searches register (Rules 50–52) with what was found, by the
    officer who completed the step; their sex, when given, must be the person's (refused otherwise)."""
    from detention.models.searches import ItemOutcome, SearchKind
    from detention.services.searches import record_search

    items = [{"description": check.items_found[:240], "outcome": ItemOutcome.PENDING}] if check.items_found else []
    record_search(intake.facility, kind=SearchKind.PAT_DOWN, custody=intake.custody, actor=actor,
                  reason=_("Fouille d'admission (écrou)"), searcher_sex=(data.get("searcher_sex") or ""),
                  witnesses=_text(data, "search_witnesses"), items=items, at_admission=True)
