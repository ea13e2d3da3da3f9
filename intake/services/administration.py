"""Step 2, administration: photo and warrant scan, identity details, contacts, the prisoner
number and the fingerprints."""


from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from inmates import services as inmate_services
from intake.models import (
    AdministrationRecord,
    Finger,
    Fingerprint,
)

from .validation import _missing, _raise, _require, validate_upload

DEMOGRAPHIC_FIELDS = ("father_name", "mother_name", "place_of_birth", "nationality", "languages",
                      "gender_identity", "domiciled_in_mali")


# "No fingerprint reader at this post", once for all ten fingers (issue 11, item 3).
NO_READER_REASON = _("Pas de lecteur d'empreintes à ce poste")


def _with_reader_reason(data) -> dict:
    """The fingers' entries; with `no_fingerprint_reader`, every finger without an image nor a
    reason of its own is recorded as not taken for that reason."""
    prints = {key: dict(entry or {}) for key, entry in (data.get("fingerprints") or {}).items()}
    if data.get("no_fingerprint_reader"):
        for finger in Finger:
            entry = prints.setdefault(finger.value, {})
            if not entry.get("image") and not (entry.get("missing_reason") or "").strip():
                entry["missing_reason"] = str(NO_READER_REASON)
    data["fingerprints"] = prints
    return prints


def _administration(intake, data, actor):
    errors = {}
    if not data.get("identity_confirmed"):
        _missing(errors, "identity_confirmed",
                 _("Vérifiez l'identité de la personne sur le titre de détention."))
    for field, documents in (("photo", False), ("warrant_scan", True)):
        upload = data.get(field)
        if not upload:
            _missing(errors, field, _("La photo est obligatoire.") if field == "photo"
                     else _("Joignez le titre de détention numérisé."))
            continue
        try:
            validate_upload(upload, field, documents=documents)
        except ValidationError as error:
            for msg in error.message_dict[field]:
                _missing(errors, field, msg)
    prints = _with_reader_reason(data)
    for finger in Finger:
        entry = prints.get(finger.value) or {}
        image, reason = entry.get("image"), (entry.get("missing_reason") or "").strip()
        key = f"fingerprint_{finger.value}"
        if image:
            try:
                validate_upload(image, key)
            except ValidationError as error:
                for msg in error.message_dict[key]:
                    _missing(errors, key, msg)
        elif not reason:
            _missing(errors, key, _("%(finger)s : joignez l'empreinte ou indiquez pourquoi elle "
                                    "n'a pas pu être relevée.") % {"finger": finger.label})
    relatives = [r for r in data.get("relatives") or [] if (r.get("name") or "").strip()]
    if not any(r.get("is_next_of_kin") or r.get("is_emergency_contact") for r in relatives):
        _require(errors, data, "no_contact_reason",
                 _("Indiquez le plus proche parent ou un contact d'urgence (Règle 7), "
                   "ou la raison de leur absence."))
    _raise(errors)

    changes = {k: data[k] for k in DEMOGRAPHIC_FIELDS if data.get(k) not in (None, "")}
    if changes:
        inmate_services.update_inmate(intake.inmate, actor=actor, reason=_("Écrou : étape administrative"),
                                      **changes)
    for i, relative in enumerate(relatives, start=1):
        try:
            inmate_services.add_relative(intake.inmate, actor=actor, **{
                k: v for k, v in relative.items() if v not in (None, "")})
        except ValidationError as error:
            raise ValidationError({"relatives": [
                _("Parent ou contact %(i)d : %(msg)s") % {"i": i, "msg": m} for m in error.messages]}) from None
    number = inmate_services.allocate_prisoner_number(intake.inmate, facility=intake.facility,
                                                      actor=actor)
    record = AdministrationRecord(
        intake=intake, identity_confirmed=True, identity_notes=(data.get("identity_notes") or "").strip(),
        prisoner_number=number, photo=data["photo"], warrant_scan=data["warrant_scan"],
        no_contact_reason=(data.get("no_contact_reason") or "").strip(),
    )
    record.full_clean()
    record.save()
    inmate_services.set_inmate_photo(intake.inmate, photo=record.photo.name, actor=actor)
    for finger in Finger:
        entry = prints.get(finger.value) or {}
        fingerprint = Fingerprint(intake=intake, finger=finger.value)
        if entry.get("image"):
            fingerprint.image = entry["image"]
        else:
            fingerprint.missing_reason = entry["missing_reason"].strip()
        fingerprint.full_clean()
        fingerprint.save()
    from intake.kept_uploads import discard

    discard(intake)  # the files chosen on a refused attempt now belong to the step's records
    return {"prisoner_number": [None, number], "relatives": [None, len(relatives)]}
