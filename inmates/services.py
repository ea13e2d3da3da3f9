"""Every change to a person, a custody or a placement goes through these functions.

Each runs in one transaction, validates with full_clean(), and writes its audit entry in
that same transaction.
"""


from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditAction
from accounts.services import diff_fields, record_audit
from core.clock import (
    is_future,
    moment,  # noqa: F401
)
from core.corrections import apply_changes
from core.errors import ConflictError

from .models import (
    UNTRIED_STATUSES,
    Alias,
    Custody,
    CustodyStatus,
    Inmate,
    Placement,
    PriorCustody,
    Relative,
    Transfer,
    TransferStatus,
)
from .names import name_fields
from .retention import lift_archive, require_not_archived, require_stay_not_archived
from .vocabularies import OTHER as OTHER_ANSWER
from .vocabularies import VOCABULARIES

# Fields of Inmate that a correction may change (photo goes through its own upload view).
INMATE_EDITABLE_FIELDS = (
    "last_name", "first_name", "father_name", "mother_name", "sex", "gender_identity",
    "date_of_birth", "birth_year", "birth_year_margin", "place_of_birth", "region_of_origin", "nationality",
    "domiciled_in_mali", "languages",
)
CUSTODY_EDITABLE_FIELDS = (
    "arresting_force", "arresting_unit", "arrested_at", "arrest_place", "arrest_region",
    "grounds", "committing_authority", "admitted_at",
)


def _audit(action, obj, *, actor, inmate_id, facility_id=None, changes=None, reason=""):
    return record_audit(action, actor=actor, target=obj, changes=changes, reason=reason,
                        inmate_id=inmate_id, facility_id=facility_id)


def _current_facility_id(inmate: Inmate):
    return (
        inmate.custodies.order_by("-admitted_at").values_list("facility_id", flat=True).first()
    )


def set_name_fields(inmate: Inmate, aliases=None) -> None:
    """The folded text and phonetic keys the person is found by: the one path for every write
    of a name (inmates.names)."""
    if aliases is None:
        aliases = list(inmate.aliases.order_by("pk").values_list("name", flat=True))
    for name, value in name_fields(inmate.last_name, inmate.first_name, *aliases).items():
        setattr(inmate, name, value)




@transaction.atomic
def create_inmate(*, actor, aliases=(), **fields) -> Inmate:
    """Create a person record (validated) with its aliases; audited."""
    inmate = Inmate(**fields)
    set_name_fields(inmate, aliases)
    inmate.full_clean()
    inmate.save()
    for name in aliases:
        alias = Alias(inmate=inmate, name=name)
        alias.full_clean()
        alias.save()
    _audit(AuditAction.CREATE, inmate, actor=actor, inmate_id=inmate.pk,
           changes={k: [None, str(v)] for k, v in fields.items() if v not in (None, "")})
    return inmate


@transaction.atomic
def update_inmate(inmate: Inmate, *, actor, reason: str, expected_version: int | None = None,
                  **changes) -> Inmate:
    """Correct identity fields. Keeps old values and the reason in the audit trail.

    With `expected_version`, refuses (ConflictError) when someone saved the record since.
    """
    if set(changes) <= set(INMATE_EDITABLE_FIELDS):
        require_not_archived(inmate)

    def same_version(locked):
        if expected_version is not None and locked.version != expected_version:
            raise ConflictError(
                _("Ce dossier a été modifié par une autre personne pendant votre saisie. "
                  "Rechargez la page pour voir ses changements, puis recommencez.")
            )

    def next_version(locked):
        locked.version += 1

    locked, _diff = apply_changes(inmate, changes, actor=actor, allowed=INMATE_EDITABLE_FIELDS, reason=reason,
                                  on_locked=same_version, before_clean=set_name_fields, before_save=next_version,
                                  inmate_id=lambda row: row.pk, facility_id=_current_facility_id)
    return locked


@transaction.atomic
def verify_age(inmate: Inmate, *, actor, evidence: str, date_of_birth=None, birth_year=None) -> Inmate:
    """Record who established the person's age, on what evidence (birth certificate, identity
    card, medical examination), and the date or year it established: the "possible minor —
    verify age" flag ends. Audited with the old and new values."""
    if not (evidence or "").strip():
        raise ValidationError({"evidence": _("Indiquez la pièce ou l'examen qui établit l'âge.")})
    locked = Inmate.objects.select_for_update().get(pk=inmate.pk)
    if locked.age_verified_at:
        raise ValidationError(_("L'âge de cette personne a déjà été vérifié le %(d)s.")
                              % {"d": f"{timezone.localtime(locked.age_verified_at):%d/%m/%Y}"})
    if date_of_birth and birth_year and date_of_birth.year != birth_year:
        raise ValidationError({"birth_year": _("L'année ne correspond pas à la date de naissance.")})
    if not date_of_birth and not birth_year and not locked.birth_year:
        raise ValidationError({"birth_year": _("Indiquez la date ou l'année de naissance établie.")})
    changes = {"date_of_birth": date_of_birth or locked.date_of_birth,
               "birth_year": birth_year or (date_of_birth.year if date_of_birth else locked.birth_year),
               "birth_year_margin": 0}
    diff = diff_fields(locked, changes)
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.age_verified_at, locked.age_verified_by, locked.age_evidence = timezone.now(), actor, evidence.strip()
    locked.full_clean()
    locked.version += 1
    locked.save()
    _audit(AuditAction.UPDATE, locked, actor=actor, inmate_id=locked.pk, facility_id=_current_facility_id(locked),
           changes={**diff, "age_evidence": [None, locked.age_evidence]}, reason=_("Vérification de l'âge"))
    return locked


@transaction.atomic
def add_alias(inmate: Inmate, *, name: str, actor, kind: str = "spelling") -> Alias:
    """Record another name or spelling under which the person is known."""
    require_not_archived(inmate)
    alias = Alias(inmate=inmate, name=name.strip(), kind=kind)
    alias.full_clean()
    alias.save()
    set_name_fields(inmate)
    Inmate.objects.filter(pk=inmate.pk).update(search_text=inmate.search_text, name_keys=inmate.name_keys)
    _audit(AuditAction.CREATE, alias, actor=actor, inmate_id=inmate.pk,
           facility_id=_current_facility_id(inmate), changes={"alias": [None, alias.name]})
    return alias


@transaction.atomic
def add_relative(inmate: Inmate, *, actor, **fields) -> Relative:
    """Record a family member or contact (next of kin, emergency contact, child)."""
    require_not_archived(inmate)
    relative = Relative(inmate=inmate, **fields)
    relative.full_clean()
    relative.save()
    _audit(AuditAction.CREATE, relative, actor=actor, inmate_id=inmate.pk,
           facility_id=_current_facility_id(inmate),
           changes={k: [None, str(v)] for k, v in fields.items() if v not in (None, "", False)})
    return relative


def _check_facility_accepts(facility):
    """An admission only into an operating prison. (Mixing of sexes, ages and legal
    statuses is a placement matter: placement_warnings asks for a recorded reason.)"""
    from prisons.models import FacilityStatus

    if facility.status != FacilityStatus.OPERATIONAL:
        raise ValidationError({"facility": _("%(f)s n'est pas en service (%(s)s) : aucune admission possible.")
                               % {"f": facility, "s": facility.get_status_display()}})


def admission_refusal(facility, inmate) -> str | None:
    """Why `facility` cannot hold `inmate` (Mandela Rule 11), or None. A prison that does not
    hold women or minors may still admit them into an active unit set apart for them."""
    from prisons.models import UnitCategory

    quarters = set(facility.units.filter(is_active=True).exclude(category="").values_list("category", flat=True))
    if inmate.sex == "F" and not facility.holds_women and UnitCategory.WOMEN not in quarters:
        return _("%(f)s n'accueille pas de femmes et n'a pas de quartier des femmes : admission refusée "
                 "(Règle Nelson Mandela 11).") % {"f": facility}
    if inmate.sex == "M" and not facility.holds_men:
        return _("%(f)s n'accueille pas d'hommes : admission refusée (Règle Nelson Mandela 11).") % {"f": facility}
    if inmate.is_minor and not facility.holds_minors and UnitCategory.MINORS not in quarters:
        return _("%(f)s n'accueille pas de mineurs et n'a pas de quartier des mineurs : admission refusée "
                 "(Règle Nelson Mandela 11).") % {"f": facility}
    if inmate.age is not None and not inmate.is_minor and not facility.holds_adults:
        return _("%(f)s n'accueille que des mineurs : admission refusée.") % {"f": facility}
    return None


@transaction.atomic
def admit_to_custody(inmate: Inmate, *, facility, admitted_at, actor, prior_custodies=(),
                     **arrest) -> Custody:
    """Open a stay in `facility` (status: intake). Refused while another stay is open, or when
    the prison does not hold the person's category (sex, minors) and has no unit for it."""
    if Custody.objects.select_for_update().filter(inmate=inmate).current().exists():
        raise ValidationError(_("Cette personne est déjà écrouée : un séjour est en cours."))
    _check_facility_accepts(facility)
    refusal = admission_refusal(facility, inmate)
    if refusal:
        raise ValidationError({"facility": refusal})
    lift_archive(inmate, actor=actor, reason=_("Nouvelle incarcération : le dossier archivé reprend cours."))
    custody = Custody(inmate=inmate, facility=facility, admitted_at=admitted_at,
                      status=CustodyStatus.INTAKE, **arrest)
    custody.full_clean()
    custody.save()
    _audit(AuditAction.CREATE, custody, actor=actor, inmate_id=inmate.pk, facility_id=facility.pk,
           changes={"facility": [None, str(facility)], "admitted_at": [None, str(admitted_at)]})
    for prior in prior_custodies:
        record_prior_custody(custody, actor=actor, **prior)
    return custody


@transaction.atomic
def update_custody(custody: Custody, *, actor, reason: str, **changes) -> Custody:
    """Correct the arrest record or admission time of a stay; audited with the reason."""
    require_stay_not_archived(custody.pk)

    def after_prior_custodies(locked):
        earliest_prior = locked.prior_custodies.order_by("started_at").first()
        if earliest_prior and locked.admitted_at < (earliest_prior.ended_at or earliest_prior.started_at):
            raise ValidationError({"admitted_at": _("L'écrou ne peut précéder les gardes antérieures "
                                                    "enregistrées (chaîne de détention).")})

    locked, _diff = apply_changes(custody, changes, actor=actor, allowed=CUSTODY_EDITABLE_FIELDS, reason=reason,
                                  before_save=after_prior_custodies, inmate_id=lambda row: row.inmate_id,
                                  facility_id=lambda row: row.facility_id)
    return locked


# Orders that do not by themselves authorise detention (casework.models.OrderKind values):
# read through the reverse relation, since inmates imports nothing from casework.
NOT_A_TITLE_KINDS = ("renewal", "custody_ext")


def check_title_on_file(custody: Custody):
    """No admission without a valid commitment order (Mandela Rule 7), the rule the arrival
    workflow applies (intake.services.check_warrant): an open case with a current charge and
    a detention order on file. Raises a ValidationError in French otherwise."""
    cases = custody.cases.filter(closed_on__isnull=True)
    if not cases.exists():
        raise ValidationError(_("Aucune affaire au dossier : une admission exige un titre de détention "
                                "(Règle Nelson Mandela 7). Ouvrez l'affaire et enregistrez le titre."))
    titled = any(case.detention_orders.exclude(kind__in=NOT_A_TITLE_KINDS).exists()
                 and case.charges.filter(status="current").exists() for case in cases)
    if not titled:
        raise ValidationError(_("Aucun titre de détention au dossier (ou aucune infraction retenue) : "
                                "une admission exige un titre valable (Règle Nelson Mandela 7)."))


@transaction.atomic
def complete_admission(custody: Custody, *, actor) -> Custody:
    """Mark a stay as held (the intake is finished): the person now counts in the roll.
    Refused without a detention order on file, whatever the door."""
    locked = Custody.objects.select_for_update().get(pk=custody.pk)
    if locked.status != CustodyStatus.INTAKE:
        raise ValidationError(_("Ce séjour n'est pas en cours d'écrou."))
    check_title_on_file(locked)
    locked.status = CustodyStatus.HELD
    locked.save(update_fields=["status"])
    _audit(AuditAction.UPDATE, locked, actor=actor, inmate_id=locked.inmate_id,
           facility_id=locked.facility_id, changes={"status": [CustodyStatus.INTAKE, CustodyStatus.HELD]})
    return locked


@transaction.atomic
def record_prior_custody(custody: Custody, *, actor, **fields) -> PriorCustody:
    """Add an earlier place of custody to the arrest chain (it counts as custody)."""
    require_stay_not_archived(custody.pk)
    prior = PriorCustody(custody=custody, **fields)
    prior.full_clean()
    if prior.started_at > custody.admitted_at:
        raise ValidationError({"started_at": _("Cette garde commence après l'écrou : une garde antérieure "
                                               "doit commencer avant l'arrivée à l'établissement.")})
    if prior.ended_at and prior.ended_at > custody.admitted_at:
        raise ValidationError({"ended_at": _("Cette garde se termine après l'écrou : vérifiez les dates.")})
    prior.save()
    _audit(AuditAction.CREATE, prior, actor=actor, inmate_id=custody.inmate_id,
           facility_id=custody.facility_id,
           changes={"place": [None, prior.place], "started_at": [None, str(prior.started_at)]})
    return prior


def sex_separation_error(custody: Custody, unit) -> str | None:
    """Men and women are never held together (Mandela Rule 11): no reason can override it."""
    other_sex = (Custody.objects.filter(placements__unit=unit, placements__ended_at__isnull=True)
                 .exclude(pk=custody.pk).exclude(inmate__sex=custody.inmate.sex))
    if other_sex.exists():
        return _("L'unité accueille des personnes de l'autre sexe : hommes et femmes sont toujours "
                 "séparés (Règle Nelson Mandela 11). Aucun motif ne permet ce placement.")
    return None


def placement_warnings(custody: Custody, unit) -> list[str]:
    """Why placing `custody` in `unit` needs a recorded reason: full unit, mixed categories.

    Separation of categories is Mandela Rule 11: men / women, untried / convicted,
    minors / adults.
    """
    warnings = []
    occupants = list(
        Custody.objects.filter(placements__unit=unit, placements__ended_at__isnull=True)
        .exclude(pk=custody.pk)
        .select_related("inmate")
    )
    if len(occupants) >= unit.capacity:
        warnings.append(_("L'unité est pleine (%(n)d occupants pour %(c)d places).")
                        % {"n": len(occupants), "c": unit.capacity})
    person = custody.inmate
    untried = custody.legal_status in UNTRIED_STATUSES
    if any((o.legal_status in UNTRIED_STATUSES) != untried for o in occupants):
        warnings.append(_("L'unité mélange prévenus et condamnés (Règle 11)."))
    minor = person.is_minor
    if any(o.inmate.is_minor != minor for o in occupants):
        warnings.append(_("L'unité mélange mineurs et majeurs (Règle 11)."))
    # DESIGN.md §5: Koulikoro mixes terrorism-related detainees with everyone; say so.
    if any(o.terrorism_related != custody.terrorism_related for o in occupants):
        warnings.append(_("L'unité mêle affaires de terrorisme et population générale."))
    return warnings


@transaction.atomic
def place_in_unit(custody: Custody, *, unit, actor, at=None, reason: str = "",
                  override_reason: str = "") -> Placement:
    """Place (or move) a person into a unit, ending the current placement.

    A unit holding people of the other sex is refused outright (Rule 11); a full unit or
    another mix of categories is refused unless `override_reason` is given.
    """
    custody = Custody.objects.select_for_update(of=("self",)).select_related("inmate").get(pk=custody.pk)
    if not custody.is_current:
        raise ValidationError(_("Ce séjour est terminé : aucun placement possible."))
    if unit.facility_id != custody.facility_id:
        raise ValidationError({"unit": _("Cette unité n'appartient pas à l'établissement du détenu.")})
    if not unit.is_active:
        raise ValidationError({"unit": _("Cette unité n'est pas en service.")})
    if Transfer.objects.filter(custody=custody, status=TransferStatus.DEPARTED,
                               from_facility_id=custody.facility_id).exists():
        raise ValidationError(_("La personne est en cours de transfert : enregistrez d'abord son arrivée."))
    at = at or timezone.now()
    if at < custody.admitted_at or is_future(at):
        raise ValidationError({"at": _("La date du placement doit se situer entre l'écrou et maintenant.")})
    current = custody.placements.filter(ended_at__isnull=True).first()
    if current and current.unit_id == unit.pk:
        raise ValidationError({"unit": _("La personne est déjà dans cette unité.")})
    mixing = sex_separation_error(custody, unit)
    if mixing:
        raise ValidationError({"unit": mixing}, code="sex_separation")
    warnings = placement_warnings(custody, unit)
    if warnings and not override_reason.strip():
        raise ValidationError(
            {"override_reason": [*warnings, _("Indiquez le motif pour confirmer ce placement.")]},
            code="placement_warning",
        )
    if current:
        if at < current.started_at:
            raise ValidationError({"at": _("Le nouveau placement ne peut précéder le précédent.")})
        current.ended_at = at
        current.save(update_fields=["ended_at"])
    placement = Placement(custody=custody, unit=unit, started_at=at, reason=reason,
                          warning_override=override_reason if warnings else "", created_by=actor)
    placement.full_clean()
    placement.save()
    _audit(AuditAction.CREATE, placement, actor=actor, inmate_id=custody.inmate_id,
           facility_id=custody.facility_id,
           changes={"unit": [str(current.unit) if current else None, str(unit)]},
           reason=override_reason or reason)
    return placement


def open_inmate_file(inmate_id, *, actor) -> Inmate:
    """Return a prisoner file the actor may see, and record the reading. 404 otherwise."""
    try:
        inmate = Inmate.objects.visible_to(actor).select_related("region_of_origin").get(pk=inmate_id)
    except (Inmate.DoesNotExist, ValueError, TypeError):
        raise Http404(_("Aucun détenu ne correspond.")) from None
    record_audit(AuditAction.VIEW, actor=actor, target=inmate, inmate_id=inmate.pk,
                 facility_id=_current_facility_id(inmate))
    return inmate


def _next_counter_value(facility, year) -> int:
    """Increment the (facility, year) counter under a row lock and return the new value."""
    from django.db import IntegrityError

    from .models import PrisonerNumberCounter

    try:
        # A savepoint, so that losing the creation race leaves the outer transaction usable.
        with transaction.atomic():
            PrisonerNumberCounter.objects.get_or_create(facility=facility, year=year)
    except IntegrityError:
        pass  # created by a concurrent allocation: fine, we lock it below
    counter = PrisonerNumberCounter.objects.select_for_update().get(facility=facility, year=year)
    counter.last_value += 1
    counter.save(update_fields=["last_value"])
    return counter.last_value


def format_prisoner_number(facility_code: str, year: int, sequence: int) -> str:
    """Readable national number: facility code, year, sequence (e.g. BKO-2026-00042)."""
    return f"{facility_code}-{year}-{sequence:05d}"


@transaction.atomic
def allocate_prisoner_number(inmate: Inmate, *, facility, actor, on=None) -> str:
    """Give the person a national prisoner number, unless they already have one (re-admission).

    The counter row is locked (select_for_update) so that two allocations, even at the same
    instant, never produce the same number; the unique constraint on the number backs it.
    """
    require_not_archived(inmate)
    locked = Inmate.objects.select_for_update().get(pk=inmate.pk)
    if locked.prisoner_number:
        inmate.prisoner_number = locked.prisoner_number
        return locked.prisoner_number
    year = (on or timezone.localdate()).year
    number = format_prisoner_number(facility.code, year, _next_counter_value(facility, year))
    locked.prisoner_number = number
    locked.version += 1
    locked.save(update_fields=["prisoner_number", "version", "updated_at"])
    inmate.prisoner_number, inmate.version = number, locked.version
    _audit(AuditAction.UPDATE, locked, actor=actor, inmate_id=locked.pk, facility_id=facility.pk,
           changes={"prisoner_number": [None, number]})
    return number


@transaction.atomic
def set_inmate_photo(inmate: Inmate, *, photo, actor) -> Inmate:
    """Store the person's identity photo (the previous one stays in storage; audited)."""
    require_not_archived(inmate)
    locked = Inmate.objects.select_for_update().get(pk=inmate.pk)
    old = locked.photo.name if locked.photo else None
    locked.photo = photo
    locked.version += 1
    locked.save(update_fields=["photo", "version", "updated_at"])
    _audit(AuditAction.UPDATE, locked, actor=actor, inmate_id=locked.pk,
           facility_id=_current_facility_id(locked), changes={"photo": [old, locked.photo.name]})
    inmate.photo, inmate.version = locked.photo, locked.version
    return locked


SOCIAL_PROFILE_FIELDS = (
    "ethnic_group", "ethnic_group_other", "religion", "religion_other", "education", "occupation",
    "occupation_other", "marital_status", "children_count", "affiliations", "involvement", "organisational_role",
    "organisational_role_other", "engagement_reasons",
)


@transaction.atomic
def record_social_profile(inmate: Inmate, *, actor, **fields):
    """Create or update the person's structured profile (DESIGN.md §5); audited, old values kept."""
    from .models import SocialProfile

    unknown = set(fields) - set(SOCIAL_PROFILE_FIELDS)
    if unknown:
        raise ValidationError(_("Champs non modifiables : %(f)s") % {"f": ", ".join(sorted(unknown))})
    require_not_archived(inmate)
    for field in VOCABULARIES:  # a code from the list drops an earlier "other" answer's text
        if field in fields and fields[field] != OTHER_ANSWER:
            fields.setdefault(f"{field}_other", "")
    profile = SocialProfile.objects.select_for_update().filter(inmate=inmate).first()
    created = profile is None
    if created:
        profile = SocialProfile(inmate=inmate)
    diff = diff_fields(profile, fields) if not created else {
        k: [None, str(v)] for k, v in fields.items() if v not in (None, "", [])
    }
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.updated_by = actor
    profile.full_clean()
    profile.save()
    _audit(AuditAction.CREATE if created else AuditAction.UPDATE, profile, actor=actor,
           inmate_id=inmate.pk, facility_id=_current_facility_id(inmate), changes=diff)
    return profile


# --- Guards on a custody, shared by the movements and by life inside -----------------


def lock_custody(custody) -> Custody:
    """The custody row, locked for the rest of the transaction."""
    return Custody.objects.select_for_update(of=("self",)).select_related("inmate", "facility").get(pk=custody.pk)


def require_current(custody):
    """Refuse a stay that has ended."""
    if not custody.is_current:
        raise ValidationError(_("Ce séjour est terminé (personne sortie)."))


def in_transit(custody) -> Transfer | None:
    """The transfer the person is on the road with (departed, not arrived), if any."""
    return Transfer.objects.filter(custody=custody, status=TransferStatus.DEPARTED).first()


def require_not_in_transit(custody):
    """Refuse a person on the road between two prisons."""
    if in_transit(custody):
        raise ValidationError(_("La personne est en cours de transfert : enregistrez d'abord son arrivée."))


def end_placement(custody, *, at):
    """End the current placement at `at` (not before it began); return it, or None."""
    current = custody.placements.filter(ended_at__isnull=True).first()
    if current:
        if at < current.started_at:
            raise ValidationError({"at": _("Ce moment précède le placement en cours (%(d)s).")
                                   % {"d": timezone.localtime(current.started_at).strftime("%d/%m/%Y %H:%M")}})
        current.ended_at = at
        current.save(update_fields=["ended_at"])
    return current
