"""Step 3, search and property (vestiaire): the property deposited, sealed, against a receipt."""


from django.utils.translation import gettext as _

from core.numbers import normalize_currency
from intake.models import (
    Acknowledgement,
    PropertyCategory,
    PropertyItem,
    RegistryRecord,
)

from .validation import _missing, _raise, _require


def _registry(intake, data, actor):
    errors = {}
    items = [i for i in data.get("items") or [] if (i.get("description") or "").strip()
             or i.get("category")]
    for n, item in enumerate(items, start=1):
        if item.get("category") not in PropertyCategory.values:
            _missing(errors, "items", _("Objet %(n)d : choisissez la catégorie.") % {"n": n})
        if not (item.get("description") or "").strip():
            _missing(errors, "items", _("Objet %(n)d : décrivez l'objet.") % {"n": n})
        if item.get("category") == PropertyCategory.CASH and item.get("cash_amount") in (None, ""):
            _missing(errors, "items", _("Objet %(n)d : indiquez le montant.") % {"n": n})
        currency = normalize_currency(item.get("currency"))
        if not (len(currency) == 3 and currency.isalpha()):
            _missing(errors, "items", _("Objet %(n)d : devise inconnue (FCFA, EUR, USD…).") % {"n": n})
        imei = (item.get("imei") or "").strip()
        if imei and not (imei.isdigit() and len(imei) == 15):
            _missing(errors, "items", _("Objet %(n)d : l'IMEI compte 15 chiffres.") % {"n": n})
    if items:
        _require(errors, data, "seal_number", _("Indiquez le numéro du scellé."))
        _require(errors, data, "storage_place", _("Indiquez le lieu de rangement."))
    if data.get("acknowledgement") not in Acknowledgement.values:
        _missing(errors, "acknowledgement", _("Indiquez comment la personne a reconnu l'inventaire "
                                              "(signature, empreinte ou refus)."))
    if data.get("acknowledgement") == Acknowledgement.REFUSED:
        _require(errors, data, "witness_name", _("Un refus de signer est constaté par un témoin : "
                                                 "indiquez son nom."))
    _raise(errors)
    registry = RegistryRecord(
        intake=intake, seal_number=(data.get("seal_number") or "").strip(),
        storage_place=(data.get("storage_place") or "").strip(),
        acknowledgement=data["acknowledgement"], witness_name=(data.get("witness_name") or "").strip(),
        notes=(data.get("notes") or "").strip(),
    )
    registry.full_clean()
    registry.save()
    for item in items:
        obj = PropertyItem(
            registry=registry, category=item["category"], description=item["description"].strip(),
            quantity=item.get("quantity") or 1, cash_amount=item.get("cash_amount") or None,
            currency=normalize_currency(item.get("currency")), imei=(item.get("imei") or "").strip(),
        )
        obj.full_clean()
        obj.save()
    return {"items": [None, len(items)], "seal_number": [None, registry.seal_number]}
