"""The searches register (Mandela Rules 50–52): every body search of a person (pat-down, strip,
intrusive) and every cell search, with who searched, who was present, why, and the items found
with what became of them. The admission search at intake is entered here too (intake calls
`record_search(..., at_admission=True)`).

Refused, with nothing written: a body search by staff of the other sex (Rule 52(1), LAW.md);
an intrusive search neither conducted by health staff nor authorised (who, reference); a cell
search without the cell; a body search without the person; an item handed to the judicial
police without the reference of the hand-over.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import AuditAction
from accounts.roles import Role
from accounts.services import record_audit
from core.access import require_serves, serves
from core.clock import moment
from detention.models.searches import BODY_SEARCH_KINDS, ItemOutcome, Search, SearchItem, SearchKind
from inmates.models import Sex


def _clean_items(items) -> list[dict]:
    rows, errors = [], []
    for item in items or ():
        description = (item.get("description") or "").strip()
        outcome = item.get("outcome") or ""
        reference = (item.get("reference") or "").strip()
        if not description:
            continue
        if outcome not in ItemOutcome.values:
            errors.append(_("Indiquez ce qu'est devenu l'objet « %(item)s ».") % {"item": description})
        elif outcome == ItemOutcome.POLICE and not reference:
            errors.append(_("Un objet remis à la police judiciaire porte la référence de la remise "
                            "(procès-verbal, scellé) : « %(item)s ».") % {"item": description})
        rows.append({"description": description, "outcome": outcome, "reference": reference})
    if errors:
        raise ValidationError({"items": errors})
    return rows


@transaction.atomic
def record_search(facility, *, kind: str, reason: str, actor, searched_by=None, searcher_sex: str = "",
                  custody=None, unit=None, witnesses: str = "", items=(), authorised_by: str = "",
                  authorisation_reference: str = "", at=None, at_admission: bool = False) -> Search:
    """Enter one search in the register, with its items; refused as the module says, nothing written."""
    require_serves(actor, facility.pk)
    # The admission search is part of the intake's security step, whose role the intake checked.
    if not at_admission and not actor.has_perm("detention.add_search"):
        raise PermissionDenied(_("Seuls les agents de sécurité et la direction inscrivent une fouille."))
    at = moment(at, "searched_at")
    searched_by = searched_by or actor
    errors = {}
    if kind not in SearchKind.values:
        raise ValidationError({"kind": _("Choisissez la nature de la fouille.")})
    if not serves(searched_by, facility.pk):
        errors["searched_by"] = _("L'agent qui a fouillé doit être affecté à l'établissement.")
    if kind in BODY_SEARCH_KINDS:
        if custody is None:
            raise ValidationError({"custody": _("Une fouille corporelle concerne une personne : indiquez-la.")})
        if custody.facility_id != facility.pk:
            raise ValidationError({"custody": _("Cette personne n'est pas détenue dans cet établissement.")})
        if unit is not None:
            errors["unit"] = _("Une fouille corporelle ne porte pas sur une cellule.")
        if searcher_sex not in Sex.values:
            if not at_admission:
                errors["searcher_sex"] = _("Indiquez le sexe de l'agent qui a fouillé (Règle 52 : "
                                           "fouille par une personne du même sexe).")
        elif searcher_sex != custody.inmate.sex:
            errors["searcher_sex"] = _("Fouille refusée : une fouille corporelle est faite par un agent du même "
                                       "sexe que la personne fouillée (Règles 50–52).")
        if kind == SearchKind.INTRUSIVE and not searched_by.has_role(Role.MEDICAL):
            if not (authorised_by or "").strip() or not (authorisation_reference or "").strip():
                errors["authorised_by"] = _("Une fouille intime est faite par le personnel de santé ou sur une "
                                            "autorisation enregistrée : indiquez qui l'a autorisée et sa "
                                            "référence (Règle 52).")
    else:
        if unit is None:
            raise ValidationError({"unit": _("Une fouille de cellule porte sur une cellule : indiquez-la.")})
        if unit.facility_id != facility.pk:
            raise ValidationError({"unit": _("Cette cellule n'appartient pas à l'établissement.")})
        if custody is not None:
            errors["custody"] = _("Une fouille de cellule ne désigne pas une personne : inscrivez à part la "
                                  "fouille corporelle de chacun.")
    if not (reason or "").strip():
        errors["reason"] = _("Indiquez le motif de la fouille.")
    if errors:
        raise ValidationError(errors)
    rows = _clean_items(items)
    search = Search(facility=facility, kind=kind, custody=custody, unit=unit, searched_at=at,
                    reason=reason.strip(), at_admission=at_admission, searched_by=searched_by,
                    searcher_sex=searcher_sex if searcher_sex in Sex.values else "",
                    witnesses=(witnesses or "").strip(), authorised_by=(authorised_by or "").strip(),
                    authorisation_reference=(authorisation_reference or "").strip(), recorded_by=actor)
    search.full_clean()
    search.save()
    for row in rows:
        item = SearchItem(search=search, **row)
        item.full_clean()
        item.save()
    record_audit(AuditAction.CREATE, target=search, actor=actor,
                 inmate_id=custody.inmate_id if custody else None, facility_id=facility.pk,
                 changes={"kind": [None, kind], "at_admission": [None, at_admission],
                          "unit": [None, str(unit) if unit else None], "items_found": [None, len(rows)]})
    return search
