"""The arrival workflow's write side: register an arrival from its warrant, then complete
the five steps in order, each by its own role (DESIGN.md §3).

Every function runs in one transaction, validates everything before anything is kept,
and writes its audit entry in that same transaction. Person and custody data go through
inmates' services, the case and warrant through casework's.
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import need_to_know
from accounts.models import AuditAction
from accounts.services import record_audit
from casework import services as case_services
from casework.models import LegalClass, OrderKind
from core.access import serves
from core.clock import is_future
from core.errors import ConflictError
from core.numbers import normalize_currency
from inmates import services as inmate_services
from inmates.models import AliasKind, ArrestingForce, Inmate, PriorCustodyKind, Sex
from inmates.names import fold

from .models import (
    STEP_PERMISSIONS,
    Acknowledgement,
    AdministrationRecord,
    BriefingLanguage,
    Finger,
    Fingerprint,
    IdentityDecision,
    Intake,
    IntakeStatus,
    InterviewRecord,
    MedicalExamination,
    Need,
    PropertyCategory,
    PropertyItem,
    RegistryRecord,
    RulesMode,
    SecurityCheck,
    Step,
    StepRecord,
)


class StepOrderError(ConflictError):
    """A step out of order, or already done (the API answers 409)."""


def _missing(errors: dict, field: str, message: str):
    errors.setdefault(field, []).append(message)


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


# --- Steps -----------------------------------------------------------------------------

def open_intake(intake_id, *, actor, audit=True) -> Intake:
    """An intake the actor may see (404 otherwise); reading it is audited as a file read."""
    try:
        intake = (Intake.objects.visible_to(actor)
                  .select_related("facility", "inmate", "custody", "case__court", "warrant")
                  .get(pk=intake_id))
    except (Intake.DoesNotExist, ValueError, TypeError):
        raise Http404(_("Aucun écrou ne correspond.")) from None
    if not actor.has_perm("intake.view_intake"):
        raise PermissionDenied(_("Vous n'avez pas accès aux écrous."))
    if audit:
        record_audit(AuditAction.VIEW, actor=actor, target=intake, inmate_id=intake.inmate_id,
                     facility_id=intake.facility_id)
    return intake


def check_can_complete(intake: Intake, step, *, actor) -> None:
    """Raise Http404 (other facility), PermissionDenied (wrong role) or StepOrderError."""
    if not serves(actor, intake.facility_id):
        raise Http404(_("Aucun écrou ne correspond."))
    step = Step(step)
    if not actor.has_perm(STEP_PERMISSIONS[step]):
        raise PermissionDenied(_("L'étape « %(step)s » n'est pas de votre ressort.")
                               % {"step": step.label})
    done = StepRecord.objects.filter(intake=intake, step=step).select_related("completed_by").first()
    if done:
        raise StepOrderError(
            _("L'étape « %(step)s » a déjà été effectuée le %(at)s par %(who)s.") % {
                "step": step.label, "who": done.completed_by,
                "at": timezone.localtime(done.completed_at).strftime("%d/%m/%Y %H:%M")})
    if intake.is_completed:
        raise StepOrderError(_("Cet écrou est terminé."))
    if intake.next_step != step:
        raise StepOrderError(
            _("Étape hors d'ordre : l'étape « %(next)s » doit d'abord être effectuée.")
            % {"next": intake.next_step.label})


@transaction.atomic
def complete_step(intake: Intake, step, *, data: dict, actor) -> Intake:
    """Complete one step: the next one, by its role, validated; recorded with who and when.

    The intake row is locked, so two people completing the same step at once cannot both
    succeed; out of order or twice raises StepOrderError, the wrong role PermissionDenied,
    bad data a ValidationError — and in each case nothing is written.
    """
    step = Step(step)
    locked = (Intake.objects.select_for_update()
              .select_related("facility", "inmate", "custody").get(pk=intake.pk))
    check_can_complete(locked, step, actor=actor)
    now = timezone.now()
    try:
        with transaction.atomic():
            record = StepRecord.objects.create(intake=locked, step=step, completed_by=actor,
                                               completed_at=now)
    except IntegrityError:
        raise StepOrderError(_("L'étape « %(step)s » vient d'être effectuée par une autre personne.")
                             % {"step": step.label}) from None
    summary = _HANDLERS[step](locked, data or {}, actor)
    locked.last_step = int(step)
    locked.last_activity_at = now
    if step == Step.INTERVIEW:
        inmate_services.complete_admission(locked.custody, actor=actor)
        locked.status = IntakeStatus.COMPLETED
        locked.completed_at = now
    locked.save(update_fields=["last_step", "last_activity_at", "status", "completed_at", "medically_fit"])
    record_audit(AuditAction.CREATE, actor=actor, target=record, inmate_id=locked.inmate_id,
                 facility_id=locked.facility_id,
                 changes={"step": [None, str(step.label)], **summary})
    return locked


def _require(errors, data, field, message):
    value = data.get(field)
    if value in (None, "", [], False) or (isinstance(value, str) and not value.strip()):
        _missing(errors, field, message)


def _raise(errors):
    if errors:
        raise ValidationError(errors)


def _text(data, field):
    return (data.get(field) or "").strip()


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
    from detention.models_searches import ItemOutcome, SearchKind
    from detention.services.searches import record_search

    items = [{"description": check.items_found[:240], "outcome": ItemOutcome.PENDING}] if check.items_found else []
    record_search(intake.facility, kind=SearchKind.PAT_DOWN, custody=intake.custody, actor=actor,
                  reason=_("Fouille d'admission (écrou)"), searcher_sex=(data.get("searcher_sex") or ""),
                  witnesses=_text(data, "search_witnesses"), items=items, at_admission=True)


IMAGE_FORMATS = {"JPEG", "PNG"}


def validate_upload(upload, field, *, documents=False):
    """An image (JPEG/PNG) of at most INTAKE_MAX_IMAGE_MEGAPIXELS — or, for documents, also a
    PDF that really parses and is not encrypted — within INTAKE_MAX_UPLOAD_MB."""
    limit = settings.INTAKE_MAX_UPLOAD_MB * 1024 * 1024
    if upload.size > limit:
        raise ValidationError({field: _("Fichier trop volumineux (%(mb)d Mo au plus).")
                               % {"mb": settings.INTAKE_MAX_UPLOAD_MB}})
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if documents and head == b"%PDF-":
        # A warrant scan must be a PDF a reader can open: parsed with pypdf, at least one page,
        # not encrypted (a clerk, a judge or an inspector must read it without a key).
        from pypdf import PdfReader

        try:
            reader = PdfReader(upload, strict=False)
            if reader.is_encrypted:
                raise ValidationError({field: _("PDF chiffré ou protégé par mot de passe : refusé. "
                                                "Joignez le document sans protection.")})
            pages = len(reader.pages)
        except ValidationError:
            raise
        except Exception:  # noqa: BLE001 — pypdf raises many kinds of errors on malformed input: all mean unreadable
            pages = 0
        finally:
            upload.seek(0)
        if pages < 1:
            raise ValidationError({field: _("PDF illisible ou endommagé : numérisez à nouveau le titre "
                                            "de détention.")})
        return
    from PIL import Image, UnidentifiedImageError

    refused = (_("Format refusé : PDF, JPEG ou PNG attendu.") if documents
               else _("Format refusé : image JPEG ou PNG attendue."))
    max_pixels = settings.INTAKE_MAX_IMAGE_MEGAPIXELS * 1_000_000
    too_large = _("Image trop grande : %(mp)d mégapixels au plus (réduisez la résolution du scanner "
                  "ou de l'appareil photo).") % {"mp": settings.INTAKE_MAX_IMAGE_MEGAPIXELS}
    try:
        # Only the header is read here: the pixels are never decoded, whatever their number.
        with Image.open(upload) as image:
            image_format = image.format
            if image.width * image.height > max_pixels:
                raise ValidationError({field: too_large})
            image.verify()
    except Image.DecompressionBombError:
        raise ValidationError({field: too_large}) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        image_format = None
    finally:
        upload.seek(0)
    if image_format not in IMAGE_FORMATS:
        raise ValidationError({field: refused})


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
    from .kept_uploads import discard

    discard(intake)  # the files chosen on a refused attempt now belong to the step's records
    return {"prisoner_number": [None, number], "relatives": [None, len(relatives)]}


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


def _medical(intake, data, actor):
    errors = {}
    if data.get("fit_for_detention") not in (True, False):
        _missing(errors, "fit_for_detention", _("Indiquez si la personne est apte à la détention."))
    if data.get("visible_injuries"):
        _require(errors, data, "injuries_description", _("Décrivez les blessures (où, quoi)."))
    if data.get("ill_treatment_alleged"):
        if not any((data.get(f) or "").strip() for f in
                   ("allegation_by_whom", "allegation_where", "allegation_when", "allegation_account")):
            _missing(errors, "allegation_account",
                     _("Consignez l'allégation : par qui, où, quand, et le récit de la personne."))
    _require(errors, data, "contagious_screening", _("Indiquez le résultat du dépistage "
                                                     "(tuberculose, etc.)."))
    if data.get("visible_injuries") or data.get("ill_treatment_alleged"):
        # Rules 30 and 34: signs of ill-treatment are reported to a competent authority.
        _require(errors, data, "report_authority", _("Une blessure ou une allégation doit être "
                                                     "signalée : indiquez à quelle autorité."))
        _require(errors, data, "report_date", _("Indiquez la date du signalement."))
    report_date = data.get("report_date")
    if isinstance(report_date, datetime.date) and report_date > timezone.localdate():
        _missing(errors, "report_date", _("La date du signalement est dans le futur."))
    _raise(errors)
    text = {f: (data.get(f) or "").strip() for f in (
        "injuries_description", "allegation_by_whom", "allegation_where", "allegation_when",
        "allegation_account", "contagious_screening", "treatment", "report_authority")}
    exam = MedicalExamination(
        intake=intake, fit_for_detention=data["fit_for_detention"],
        visible_injuries=bool(data.get("visible_injuries")),
        ill_treatment_alleged=bool(data.get("ill_treatment_alleged")),
        report_date=data.get("report_date") or None, **text,
    )
    exam.full_clean()
    exam.save()
    intake.medically_fit = exam.fit_for_detention
    # The audit trail carries no medical detail, only what everyone may know.
    return {"apte": [None, exam.fit_for_detention]}


INTERVIEW_FIELDS = ("background", "family_situation", "languages", "own_account", "motivations",
                    "needs", "needs_notes", "conclusions")
PROFILE_FIELDS = ("ethnic_group", "ethnic_group_other", "religion", "religion_other", "education", "occupation",
                  "occupation_other", "marital_status", "children_count")
TERRORISM_PROFILE_FIELDS = ("affiliations", "involvement", "organisational_role", "organisational_role_other",
                            "engagement_reasons")


def _interview(intake, data, actor):
    errors = {}
    _require(errors, data, "background", _("Résumez le parcours de la personne."))
    _require(errors, data, "family_situation", _("Décrivez la situation familiale."))
    _require(errors, data, "conclusions", _("Rédigez les conclusions de l'enquête sociale."))
    bad = set(data.get("needs") or []) - set(Need.values)
    if bad:
        _missing(errors, "needs", _("Besoin inconnu : %(v)s") % {"v": ", ".join(sorted(bad))})
    terrorism = intake.custody.terrorism_related
    if terrorism:
        if not data.get("affiliations"):
            _missing(errors, "affiliations", _("Affaire liée au terrorisme : indiquez l'affiliation "
                                               "(« inconnue » si elle l'est)."))
        _require(errors, data, "involvement", _("Affaire liée au terrorisme : indiquez le type "
                                                "d'implication."))
    elif any(data.get(f) for f in TERRORISM_PROFILE_FIELDS):
        _missing(errors, "affiliations", _("Ces rubriques ne concernent que les affaires liées au "
                                           "terrorisme."))
    _raise(errors)
    record = InterviewRecord(intake=intake, **{
        f: (data.get(f) if f == "needs" else (data.get(f) or "").strip()) or ([] if f == "needs" else "")
        for f in INTERVIEW_FIELDS})
    record.full_clean()
    record.save()
    profile = {f: data[f] for f in PROFILE_FIELDS if data.get(f) not in (None, "")}
    if terrorism:
        profile.update({f: data.get(f) or ([] if f in ("affiliations", "engagement_reasons") else "")
                        for f in TERRORISM_PROFILE_FIELDS})
    if profile:
        inmate_services.record_social_profile(intake.inmate, actor=actor, **profile)
    return {"needs": [None, ", ".join(record.needs)]}


_HANDLERS = {
    Step.SECURITY: _security,
    Step.ADMINISTRATION: _administration,
    Step.REGISTRY: _registry,
    Step.MEDICAL: _medical,
    Step.INTERVIEW: _interview,
}


# --- Reads that are audited ------------------------------------------------------------

def read_medical_examination(intake: Intake, *, actor) -> MedicalExamination | None:
    """The medical details, for medical staff only (Rule 9 / STYLE "Access in one place")."""
    if not need_to_know.can_read_medical(actor):
        raise PermissionDenied(_("Seul le personnel médical consulte le détail médical."))
    exam = MedicalExamination.objects.filter(intake=intake).first()
    if exam is not None:
        record_audit(AuditAction.VIEW_MEDICAL, actor=actor, target=exam, inmate_id=intake.inmate_id,
                     facility_id=intake.facility_id)
    return exam


def read_interview(intake: Intake, *, actor) -> InterviewRecord | None:
    """The social investigation report, for the social service and the direction; audited."""
    if not need_to_know.can_read_social_report(actor):
        raise PermissionDenied(_("Le rapport d'enquête sociale est réservé au service social et à "
                                 "la direction."))
    record = InterviewRecord.objects.filter(intake=intake).first()
    if record is not None:
        record_audit(AuditAction.VIEW, actor=actor, target=record, inmate_id=intake.inmate_id,
                     facility_id=intake.facility_id)
    return record


FILE_KINDS = ("photo", "warrant", "fingerprint")


def open_intake_file(intake: Intake, kind: str, *, actor, item_id=None):
    """A stored upload of this intake (photo, warrant scan, fingerprint), after an access check;
    the read is audited. Http404 when there is no such file."""
    if kind == "fingerprint":
        fingerprint = Fingerprint.objects.filter(intake=intake, pk=item_id).exclude(image="").first()
        field, target = (fingerprint.image, fingerprint) if fingerprint else (None, None)
    elif kind in ("photo", "warrant"):
        record = AdministrationRecord.objects.filter(intake=intake).first()
        field = (record.photo if kind == "photo" else record.warrant_scan) if record else None
        target = record
    else:
        field = target = None
    if not field:
        raise Http404(_("Aucun fichier."))
    record_audit(AuditAction.VIEW, actor=actor, target=target, inmate_id=intake.inmate_id,
                 facility_id=intake.facility_id, changes={"file": [None, kind]})
    return field


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
