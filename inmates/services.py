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

from .models import (
    Alias,
    Custody,
    CustodyStatus,
    Inmate,
    Placement,
    PriorCustody,
    Relative,
    UNTRIED_STATUSES,
)
from .names import search_text

# Fields of Inmate that a correction may change (photo goes through its own upload view).
INMATE_EDITABLE_FIELDS = (
    "last_name", "first_name", "father_name", "mother_name", "sex", "gender_identity",
    "date_of_birth", "birth_year", "place_of_birth", "region_of_origin", "nationality", "languages",
)
CUSTODY_EDITABLE_FIELDS = (
    "arresting_force", "arresting_unit", "arrested_at", "arrest_place", "arrest_region",
    "grounds", "committing_authority", "admitted_at",
)


class ConflictError(Exception):
    """The record changed since the user loaded it (optimistic locking)."""


def _audit(action, obj, *, actor, inmate_id, facility_id=None, changes=None, reason=""):
    return record_audit(action, actor=actor, target=obj, changes=changes, reason=reason,
                        inmate_id=inmate_id, facility_id=facility_id)


def _current_facility_id(inmate: Inmate):
    return (
        inmate.custodies.order_by("-admitted_at").values_list("facility_id", flat=True).first()
    )


def refresh_search_text(inmate: Inmate) -> None:
    aliases = list(inmate.aliases.values_list("name", flat=True))
    inmate.search_text = search_text(inmate.last_name, inmate.first_name, *aliases)


@transaction.atomic
def create_inmate(*, actor, aliases=(), **fields) -> Inmate:
    """Create a person record (validated) with its aliases; audited."""
    inmate = Inmate(**fields)
    inmate.search_text = search_text(inmate.last_name, inmate.first_name, *aliases)
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
    unknown = set(changes) - set(INMATE_EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("Champs non modifiables : %(f)s") % {"f": ", ".join(sorted(unknown))})
    locked = Inmate.objects.select_for_update().get(pk=inmate.pk)
    if expected_version is not None and locked.version != expected_version:
        raise ConflictError(
            _("Ce dossier a été modifié par une autre personne pendant votre saisie. "
              "Rechargez la page pour voir ses changements, puis recommencez.")
        )
    diff = diff_fields(locked, changes)
    if not diff:
        return locked
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Indiquez le motif de la correction.")})
    for name, value in changes.items():
        setattr(locked, name, value)
    refresh_search_text(locked)
    locked.full_clean()
    locked.version += 1
    locked.save()
    _audit(AuditAction.UPDATE, locked, actor=actor, inmate_id=locked.pk,
           facility_id=_current_facility_id(locked), changes=diff, reason=reason)
    return locked


@transaction.atomic
def add_alias(inmate: Inmate, *, name: str, kind: str, actor) -> Alias:
    """Record another name or spelling under which the person is known."""
    alias = Alias(inmate=inmate, name=name.strip(), kind=kind)
    alias.full_clean()
    alias.save()
    refresh_search_text(inmate)
    Inmate.objects.filter(pk=inmate.pk).update(search_text=inmate.search_text)
    _audit(AuditAction.CREATE, alias, actor=actor, inmate_id=inmate.pk,
           facility_id=_current_facility_id(inmate), changes={"alias": [None, alias.name]})
    return alias


@transaction.atomic
def add_relative(inmate: Inmate, *, actor, **fields) -> Relative:
    """Record a family member or contact (next of kin, emergency contact, child)."""
    relative = Relative(inmate=inmate, **fields)
    relative.full_clean()
    relative.save()
    _audit(AuditAction.CREATE, relative, actor=actor, inmate_id=inmate.pk,
           facility_id=_current_facility_id(inmate),
           changes={k: [None, str(v)] for k, v in fields.items() if v not in (None, "", False)})
    return relative


@transaction.atomic
def admit_to_custody(inmate: Inmate, *, facility, admitted_at, actor, prior_custodies=(),
                     **arrest) -> Custody:
    """Open a stay in `facility` (status: intake). Refused while another stay is open."""
    if Custody.objects.select_for_update().filter(inmate=inmate).current().exists():
        raise ValidationError(_("Cette personne est déjà écrouée : un séjour est en cours."))
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
    unknown = set(changes) - set(CUSTODY_EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("Champs non modifiables : %(f)s") % {"f": ", ".join(sorted(unknown))})
    locked = Custody.objects.select_for_update().get(pk=custody.pk)
    diff = diff_fields(locked, changes)
    if not diff:
        return locked
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Indiquez le motif de la correction.")})
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.full_clean()
    locked.save()
    _audit(AuditAction.UPDATE, locked, actor=actor, inmate_id=locked.inmate_id,
           facility_id=locked.facility_id, changes=diff, reason=reason)
    return locked


@transaction.atomic
def complete_admission(custody: Custody, *, actor) -> Custody:
    """Mark a stay as held (the intake is finished): the person now counts in the roll."""
    locked = Custody.objects.select_for_update().get(pk=custody.pk)
    if locked.status != CustodyStatus.INTAKE:
        raise ValidationError(_("Ce séjour n'est pas en cours d'écrou."))
    locked.status = CustodyStatus.HELD
    locked.save(update_fields=["status"])
    _audit(AuditAction.UPDATE, locked, actor=actor, inmate_id=locked.inmate_id,
           facility_id=locked.facility_id, changes={"status": [CustodyStatus.INTAKE, CustodyStatus.HELD]})
    return locked


@transaction.atomic
def record_prior_custody(custody: Custody, *, actor, **fields) -> PriorCustody:
    """Add an earlier place of custody to the arrest chain (it counts as custody)."""
    prior = PriorCustody(custody=custody, **fields)
    prior.full_clean()
    if prior.started_at > custody.admitted_at:
        raise ValidationError({"started_at": _("Une garde antérieure commence avant l'écrou.")})
    prior.save()
    _audit(AuditAction.CREATE, prior, actor=actor, inmate_id=custody.inmate_id,
           facility_id=custody.facility_id,
           changes={"place": [None, prior.place], "started_at": [None, str(prior.started_at)]})
    return prior


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
    if any(o.inmate.sex != person.sex for o in occupants):
        warnings.append(_("L'unité accueille des personnes de l'autre sexe (Règle 11)."))
    untried = custody.legal_status in UNTRIED_STATUSES
    if any((o.legal_status in UNTRIED_STATUSES) != untried for o in occupants):
        warnings.append(_("L'unité mélange prévenus et condamnés (Règle 11)."))
    minor = person.is_minor
    if any(o.inmate.is_minor != minor for o in occupants):
        warnings.append(_("L'unité mélange mineurs et majeurs (Règle 11)."))
    return warnings


@transaction.atomic
def place_in_unit(custody: Custody, *, unit, actor, at=None, reason: str = "",
                  override_reason: str = "") -> Placement:
    """Place (or move) a person into a unit, ending the current placement.

    A full unit or a mix of categories is refused unless `override_reason` is given.
    """
    custody = Custody.objects.select_for_update().select_related("inmate").get(pk=custody.pk)
    if not custody.is_current:
        raise ValidationError(_("Ce séjour est terminé : aucun placement possible."))
    if unit.facility_id != custody.facility_id:
        raise ValidationError({"unit": _("Cette unité n'appartient pas à l'établissement du détenu.")})
    if not unit.is_active:
        raise ValidationError({"unit": _("Cette unité n'est pas en service.")})
    at = at or timezone.now()
    current = custody.placements.filter(ended_at__isnull=True).first()
    if current and current.unit_id == unit.pk:
        raise ValidationError({"unit": _("La personne est déjà dans cette unité.")})
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
        inmate = Inmate.objects.visible_to(actor).get(pk=inmate_id)
    except (Inmate.DoesNotExist, ValueError, TypeError):
        raise Http404(_("Aucun détenu ne correspond."))
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
    "ethnic_group", "religion", "education", "occupation", "marital_status", "children_count",
    "affiliations", "involvement", "organisational_role", "engagement_reasons",
)


@transaction.atomic
def record_social_profile(inmate: Inmate, *, actor, **fields):
    """Create or update the person's structured profile (DESIGN.md §5); audited, old values kept."""
    from .models import SocialProfile

    unknown = set(fields) - set(SOCIAL_PROFILE_FIELDS)
    if unknown:
        raise ValidationError(_("Champs non modifiables : %(f)s") % {"f": ", ".join(sorted(unknown))})
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
