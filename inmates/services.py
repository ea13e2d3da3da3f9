"""Every change to a person, a custody or a placement goes through these functions.

Each runs in one transaction, validates with full_clean(), and writes its audit entry in
that same transaction.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditAction
from accounts.services import diff_fields, record_audit

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


class ConflictError(Exception):
    """The record changed since the user loaded it (optimistic locking)."""


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
    unknown = set(changes) - set(INMATE_EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("Champs non modifiables : %(f)s") % {"f": ", ".join(sorted(unknown))})
    require_not_archived(inmate)
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
    set_name_fields(locked)
    locked.full_clean()
    locked.version += 1
    locked.save()
    _audit(AuditAction.UPDATE, locked, actor=actor, inmate_id=locked.pk,
           facility_id=_current_facility_id(locked), changes=diff, reason=reason)
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
    earliest_prior = locked.prior_custodies.order_by("started_at").first()
    if earliest_prior and locked.admitted_at < (earliest_prior.ended_at or earliest_prior.started_at):
        raise ValidationError({"admitted_at": _("L'écrou ne peut précéder les gardes antérieures "
                                                "enregistrées (chaîne de détention).")})
    locked.save()
    _audit(AuditAction.UPDATE, locked, actor=actor, inmate_id=locked.inmate_id,
           facility_id=locked.facility_id, changes=diff, reason=reason)
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
    custody = Custody.objects.select_for_update().select_related("inmate").get(pk=custody.pk)
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
    if at < custody.admitted_at or at > timezone.now() + datetime.timedelta(minutes=5):
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
        inmate = Inmate.objects.visible_to(actor).get(pk=inmate_id)
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


# --- Custody life: transfers, releases, classification, cell leaders, visits, complaints,
# activities and family notifications. Access (which prison may act) is checked here as
# well as in the views: a prison acts only on its own side of a transfer.

import datetime as _dt  # noqa: E402
from decimal import Decimal  # noqa: E402

from django.conf import settings as _settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.exceptions import PermissionDenied  # noqa: E402
from django.core.mail import send_mail  # noqa: E402
from django.db.models import Q  # noqa: E402
from django.urls import reverse  # noqa: E402

from accounts.roles import Role  # noqa: E402

from .models import (  # noqa: E402
    ALLEGATION_ANSWER_DAYS,
    COMPLAINT_ANSWER_DAYS,
    OPEN_TRANSFER_STATUSES,
    Activity,
    CellLeader,
    Classification,
    Complaint,
    ComplaintStatus,
    Enrolment,
    FacilityVisitingRule,
    FamilyNotification,
    Release,
    Visit,
    Visitor,
    VisitorKind,
    Weekday,
)

_CLOCK_SKEW = _dt.timedelta(minutes=5)


def _moment(at, field="at"):
    """`at` or now; a moment in the future is refused."""
    now = timezone.now()
    at = at or now
    if at > now + _CLOCK_SKEW:
        raise ValidationError({field: _("La date et l'heure sont dans le futur.")})
    return at


def _require_serves(actor, facility_id, message=None):
    ids = actor.visible_facility_ids()
    if ids is not None and facility_id not in ids:
        raise PermissionDenied(message or _("Vous n'êtes pas affecté(e) à cet établissement."))


def _lock_custody(custody) -> Custody:
    return Custody.objects.select_for_update().select_related("inmate", "facility").get(pk=custody.pk)


def _require_current(custody):
    if not custody.is_current:
        raise ValidationError(_("Ce séjour est terminé (personne sortie)."))


def in_transit(custody) -> Transfer | None:
    """The transfer the person is on the road with (departed, not arrived), if any."""
    return Transfer.objects.filter(custody=custody, status=TransferStatus.DEPARTED).first()


def _require_not_in_transit(custody):
    if in_transit(custody):
        raise ValidationError(_("La personne est en cours de transfert : enregistrez d'abord son arrivée."))


def _end_leaderships(custody, *, at, reason, unit=None):
    qs = CellLeader.objects.current().filter(custody=custody)
    if unit is not None:
        qs = qs.exclude(unit=unit)
    qs.update(ended_at=at, end_reason=reason)


def _end_enrolments(custody, *, on, reason):
    Enrolment.objects.current().filter(custody=custody).update(ended_on=on, end_reason=reason)


def _end_placement(custody, *, at):
    current = custody.placements.filter(ended_at__isnull=True).first()
    if current:
        if at < current.started_at:
            raise ValidationError({"at": _("Ce moment précède le placement en cours (%(d)s).")
                                   % {"d": timezone.localtime(current.started_at).strftime("%d/%m/%Y %H:%M")}})
        current.ended_at = at
        current.save(update_fields=["ended_at"])
    return current


def _transfer_audit(transfer, *, actor, facility_id, changes, reason=""):
    _audit(AuditAction.UPDATE, transfer, actor=actor, inmate_id=transfer.custody.inmate_id,
           facility_id=facility_id, changes=changes, reason=reason)


def _accepts(facility, inmate) -> str | None:
    if inmate.sex == "F" and not facility.holds_women:
        return _("Cet établissement n'accueille pas de femmes.")
    if inmate.sex == "M" and not facility.holds_men:
        return _("Cet établissement n'accueille pas d'hommes.")
    if inmate.is_minor and not facility.holds_minors:
        return _("Cet établissement n'accueille pas de mineurs (Règle 11).")
    if not inmate.is_minor and not facility.holds_adults:
        return _("Cet établissement n'accueille que des mineurs.")
    return None


@transaction.atomic
def request_transfer(custody, *, to_facility, reason: str, actor, escort: str = "",
                     property_seal_number: str = "", property_notes: str = "", at=None) -> Transfer:
    """Ask to move a held person to another prison. At most one open transfer per custody."""
    custody = _lock_custody(custody)
    _require_serves(actor, custody.facility_id)
    if custody.status != CustodyStatus.HELD:
        raise ValidationError(_("Seule une personne détenue (écrou terminé) peut être transférée."))
    if to_facility.pk == custody.facility_id:
        raise ValidationError({"to_facility": _("La personne est déjà dans cet établissement.")})
    if to_facility.status != "operational":
        raise ValidationError({"to_facility": _("Cet établissement n'est pas en service.")})
    refusal = _accepts(to_facility, custody.inmate)
    if refusal:
        raise ValidationError({"to_facility": refusal})
    if Transfer.objects.filter(custody=custody, status__in=OPEN_TRANSFER_STATUSES).exists():
        raise ValidationError(_("Un transfert est déjà en cours pour cette personne."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Indiquez le motif du transfert.")})
    transfer = Transfer(custody=custody, from_facility=custody.facility, to_facility=to_facility,
                        reason=reason.strip(), escort=escort, property_seal_number=property_seal_number,
                        property_notes=property_notes, requested_at=_moment(at), requested_by=actor)
    transfer.full_clean()
    transfer.save()
    _audit(AuditAction.CREATE, transfer, actor=actor, inmate_id=custody.inmate_id,
           facility_id=custody.facility_id,
           changes={"status": [None, TransferStatus.REQUESTED], "to_facility": [None, str(to_facility)]},
           reason=transfer.reason)
    return transfer


def _lock_transfer(transfer) -> Transfer:
    return (Transfer.objects.select_for_update()
            .select_related("custody__inmate", "from_facility", "to_facility").get(pk=transfer.pk))


def _require_status(transfer, *statuses, message):
    if transfer.status not in statuses:
        raise ValidationError(message)


@transaction.atomic
def approve_transfer(transfer, *, actor, at=None) -> Transfer:
    """The sending prison's director approves a requested transfer."""
    transfer = _lock_transfer(transfer)
    if not actor.has_perm("inmates.approve_transfer"):
        raise PermissionDenied(_("Seule la direction de l'établissement approuve un transfert."))
    _require_serves(actor, transfer.from_facility_id)
    _require_status(transfer, TransferStatus.REQUESTED,
                    message=_("Seul un transfert demandé peut être approuvé."))
    at = _moment(at)
    if at < transfer.requested_at:
        raise ValidationError({"at": _("L'approbation ne peut précéder la demande.")})
    transfer.status, transfer.approved_at, transfer.approved_by = TransferStatus.APPROVED, at, actor
    transfer.save(update_fields=["status", "approved_at", "approved_by"])
    _transfer_audit(transfer, actor=actor, facility_id=transfer.from_facility_id,
                    changes={"status": [TransferStatus.REQUESTED, TransferStatus.APPROVED]})
    return transfer


@transaction.atomic
def depart_transfer(transfer, *, actor, at=None, escort: str | None = None,
                    property_seal_number: str | None = None, property_notes: str | None = None) -> Transfer:
    """The person leaves with the escort: the cell is freed; they stay on the sending prison's
    roll (custody.facility unchanged) until the receiving prison records the arrival."""
    transfer = _lock_transfer(transfer)
    _require_serves(actor, transfer.from_facility_id)
    _require_status(transfer, TransferStatus.APPROVED,
                    message=_("Le transfert doit être approuvé par la direction avant le départ."))
    for name, value in (("escort", escort), ("property_seal_number", property_seal_number),
                        ("property_notes", property_notes)):
        if value is not None:
            setattr(transfer, name, value)
    if not transfer.escort.strip():
        raise ValidationError({"escort": _("Indiquez l'escorte (unité, chef d'escorte, véhicule).")})
    at = _moment(at)
    if at < transfer.approved_at:
        raise ValidationError({"at": _("Le départ ne peut précéder l'approbation.")})
    custody = _lock_custody(transfer.custody)
    _require_current(custody)
    left = _end_placement(custody, at=at)
    _end_leaderships(custody, at=at, reason=_("Transfert"))
    _end_enrolments(custody, on=timezone.localtime(at).date(), reason=_("Transfert"))
    transfer.status, transfer.departed_at, transfer.departed_by = TransferStatus.DEPARTED, at, actor
    transfer.full_clean()
    transfer.save()
    _transfer_audit(transfer, actor=actor, facility_id=transfer.from_facility_id,
                    changes={"status": [TransferStatus.APPROVED, TransferStatus.DEPARTED],
                             "unit": [str(left.unit) if left else None, None],
                             "escort": [None, transfer.escort]})
    return transfer


@transaction.atomic
def arrive_transfer(transfer, *, unit, actor, at=None, override_reason: str = "",
                    property_received_notes: str = "") -> Transfer:
    """The receiving prison records the arrival: the custody now belongs to it and the person
    is placed in one of its units (placement warnings as for any placement)."""
    transfer = _lock_transfer(transfer)
    _require_serves(actor, transfer.to_facility_id,
                    _("Seul l'établissement d'accueil enregistre l'arrivée."))
    _require_status(transfer, TransferStatus.DEPARTED,
                    message=_("Seul un transfert parti (en route) peut être reçu."))
    if unit.facility_id != transfer.to_facility_id:
        raise ValidationError({"unit": _("Cette unité n'appartient pas à l'établissement d'accueil.")})
    at = _moment(at)
    if at < transfer.departed_at:
        raise ValidationError({"at": _("L'arrivée ne peut précéder le départ.")})
    custody = _lock_custody(transfer.custody)
    _require_current(custody)
    custody.facility = transfer.to_facility
    custody.save(update_fields=["facility"])
    place_in_unit(custody, unit=unit, actor=actor, at=at, override_reason=override_reason,
                  reason=_("Arrivée par transfert de %(src)s") % {"src": transfer.from_facility.name})
    transfer.status, transfer.arrived_at, transfer.arrived_by = TransferStatus.ARRIVED, at, actor
    transfer.arrival_unit = unit
    transfer.property_received_notes = property_received_notes
    transfer.save(update_fields=["status", "arrived_at", "arrived_by", "arrival_unit",
                                 "property_received_notes"])
    _transfer_audit(transfer, actor=actor, facility_id=transfer.to_facility_id,
                    changes={"status": [TransferStatus.DEPARTED, TransferStatus.ARRIVED],
                             "facility": [str(transfer.from_facility), str(transfer.to_facility)]})
    return transfer


@transaction.atomic
def cancel_transfer(transfer, *, reason: str, actor, at=None) -> Transfer:
    """Cancel a transfer before departure (after departure, only the arrival can end it)."""
    transfer = _lock_transfer(transfer)
    ids = actor.visible_facility_ids()
    if ids is not None and transfer.from_facility_id not in ids and transfer.to_facility_id not in ids:
        raise PermissionDenied(_("Vous n'êtes pas affecté(e) à cet établissement."))
    if transfer.status == TransferStatus.DEPARTED:
        raise ValidationError(_("La personne est déjà partie : enregistrez son arrivée."))
    _require_status(transfer, TransferStatus.REQUESTED, TransferStatus.APPROVED,
                    message=_("Ce transfert est déjà terminé."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Indiquez le motif de l'annulation.")})
    previous = transfer.status
    transfer.status, transfer.cancelled_at, transfer.cancelled_by = TransferStatus.CANCELLED, _moment(at), actor
    transfer.cancel_reason = reason.strip()
    transfer.save(update_fields=["status", "cancelled_at", "cancelled_by", "cancel_reason"])
    _transfer_audit(transfer, actor=actor, facility_id=transfer.from_facility_id,
                    changes={"status": [previous, TransferStatus.CANCELLED]}, reason=transfer.cancel_reason)
    return transfer


# Hooks run on commit after a release (casework registers the closing of its release alerts).
_on_released = []


def on_released(callback):
    """Register `callback(custody_id)`, run on commit after any release."""
    if callback not in _on_released:
        _on_released.append(callback)
    return callback


@transaction.atomic
def release(custody, *, reason: str, order_received_at, actor, left_at=None, authority: str = "",
            order_reference: str = "", property_returned: bool = False, receipt: str = "",
            witness_name: str = "", property_notes: str = "", file_extract_given: bool = False,
            notes: str = "") -> Release:
    """End a stay on a lawful order: the placement ends, the custody is released (which also
    ends its deadline alerts, swept from the custody status), property returns against a receipt."""
    custody = _lock_custody(custody)
    _require_serves(actor, custody.facility_id)
    _require_current(custody)
    _require_not_in_transit(custody)
    left_at = _moment(left_at, "left_at")
    if left_at < custody.admitted_at:
        raise ValidationError({"left_at": _("La sortie ne peut précéder l'écrou.")})
    record = Release(
        custody=custody, reason=reason, authority=authority.strip(), order_reference=order_reference.strip(),
        order_received_at=order_received_at, left_at=left_at, property_returned=property_returned,
        receipt=receipt, witness_name=witness_name.strip(), property_notes=property_notes,
        file_extract_given=file_extract_given, notes=notes, recorded_by=actor,
    )
    if order_received_at:
        hours = (left_at - order_received_at).total_seconds() / 3600
        record.delay_hours = Decimal(str(round(hours, 1)))
    record.full_clean()
    for pending in Transfer.objects.filter(custody=custody, status__in=(TransferStatus.REQUESTED,
                                                                         TransferStatus.APPROVED)):
        pending.status, pending.cancelled_at, pending.cancelled_by = TransferStatus.CANCELLED, left_at, actor
        pending.cancel_reason = _("Sortie de la personne")
        pending.save(update_fields=["status", "cancelled_at", "cancelled_by", "cancel_reason"])
    try:
        placement = _end_placement(custody, at=left_at)
    except ValidationError:
        raise ValidationError({"left_at": _("La sortie ne peut précéder le placement en cours.")}) from None
    _end_leaderships(custody, at=left_at, reason=_("Sortie"))
    _end_enrolments(custody, on=timezone.localtime(left_at).date(), reason=_("Sortie"))
    record.save()
    previous = custody.status
    custody.status, custody.released_at, custody.release_reason = CustodyStatus.RELEASED, left_at, reason
    custody.save(update_fields=["status", "released_at", "release_reason"])
    _audit(AuditAction.CREATE, record, actor=actor, inmate_id=custody.inmate_id, facility_id=custody.facility_id,
           changes={"status": [previous, CustodyStatus.RELEASED], "released_at": [None, str(left_at)],
                    "release_reason": [None, reason], "unit": [str(placement.unit) if placement else None, None],
                    "delay_hours": [None, str(record.delay_hours)]},
           reason=f"{record.authority} {record.order_reference}".strip())
    for callback in _on_released:
        transaction.on_commit(lambda cb=callback, pk=custody.pk: cb(pk))
    return record


@transaction.atomic
def classify(custody, *, risk: str, reasons: str, next_review_on, actor, assessed_on=None) -> Classification:
    """Record an individual risk assessment (high / medium / low) with its reasons and review date."""
    custody = _lock_custody(custody)
    _require_serves(actor, custody.facility_id)
    _require_current(custody)
    record = Classification(custody=custody, risk=risk, reasons=(reasons or "").strip(),
                            next_review_on=next_review_on, assessed_on=assessed_on or timezone.localdate(),
                            assessed_by=actor)
    record.full_clean()
    record.save()
    _audit(AuditAction.CREATE, record, actor=actor, inmate_id=custody.inmate_id, facility_id=custody.facility_id,
           changes={"risk": [None, risk], "next_review_on": [None, str(next_review_on)]}, reason=record.reasons)
    return record


@transaction.atomic
def appoint_cell_leader(unit, *, custody, actor, agreement_noted: bool, agreement_notes: str = "",
                        at=None) -> CellLeader:
    """Make an occupant the unit's leader (chosen by the occupants, staff agreeing); the
    previous leader's term ends. One current leader per unit."""
    from prisons.models import Unit

    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    _require_serves(actor, unit.facility_id)
    custody = _lock_custody(custody)
    _require_current(custody)
    if not custody.placements.filter(unit=unit, ended_at__isnull=True).exists():
        raise ValidationError({"custody": _("Le chef de cellule doit être placé dans cette unité.")})
    at = _moment(at)
    current = CellLeader.objects.current().filter(unit=unit).select_related("custody__inmate").first()
    if current and current.custody_id == custody.pk:
        raise ValidationError({"custody": _("Cette personne est déjà chef de cette cellule.")})
    leader = CellLeader(unit=unit, custody=custody, started_at=at, appointed_by=actor,
                        agreement_noted=agreement_noted, agreement_notes=agreement_notes)
    leader.full_clean(exclude=["unit"])  # the unit's current leader is ended just below
    if current:
        if at < current.started_at:
            raise ValidationError({"at": _("La désignation ne peut précéder celle du chef actuel.")})
        current.ended_at, current.end_reason = at, _("Remplacé")
        current.save(update_fields=["ended_at", "end_reason"])
    leader.save()
    _audit(AuditAction.CREATE, leader, actor=actor, inmate_id=custody.inmate_id, facility_id=unit.facility_id,
           changes={"unit": [None, str(unit)],
                    "previous_leader": [str(current.custody.inmate) if current else None, None]},
           reason=agreement_notes)
    return leader


@transaction.atomic
def move_to_unit(custody, *, unit, reason: str, actor, override_reason: str = "", at=None) -> Placement:
    """A cell move inside the prison, with its reason recorded (and a reason to override any
    warning: full unit, mixed categories). A cell leader who leaves the cell stops leading it."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Indiquez le motif du déplacement.")})
    locked = _lock_custody(custody)
    _require_serves(actor, locked.facility_id)
    _require_not_in_transit(locked)
    at = _moment(at)
    warnings = placement_warnings(locked, unit) if unit.facility_id == locked.facility_id else []
    if warnings and not (override_reason or "").strip():
        raise ValidationError(
            {"override_reason": [*warnings, _("Indiquez le motif pour confirmer ce placement.")]},
            code="placement_warning",
        )
    placement = place_in_unit(locked, unit=unit, actor=actor, at=at, reason=reason.strip(),
                              override_reason=override_reason)
    if warnings and not placement.warning_override:
        placement.warning_override = override_reason
        placement.save(update_fields=["warning_override"])
    _end_leaderships(locked, at=at, reason=_("Changement de cellule"), unit=unit)
    return placement


def visiting_refusal(facility, kind: str, moment) -> str | None:
    """Why a visit of `kind` at `moment` is refused (outside visiting days), or None.
    Lawyers are received every day (Rules 61 and 119)."""
    if kind == VisitorKind.LAWYER:
        return None
    days = FacilityVisitingRule.days_for(facility)
    if timezone.localtime(moment).weekday() in days:
        return None
    names = ", ".join(str(Weekday(d).label) for d in days) or _("aucun jour")
    return _("Visite refusée : les visites ont lieu le %(days)s dans cet établissement. "
             "Seuls les avocats sont reçus tous les jours.") % {"days": names}


VISITOR_FIELDS = ("last_name", "first_name", "id_document_kind", "id_document_number", "phone", "organisation")


@transaction.atomic
def record_visit(custody, *, visitor: dict, kind: str, arrived_at=None, relation: str = "",
                 items_brought: str = "", notes: str = "", left_at=None, actor) -> Visit:
    """Enter a visit in the register. Outside the prison's visiting days, only lawyers."""
    custody = _lock_custody(custody)
    _require_serves(actor, custody.facility_id)
    _require_current(custody)
    _require_not_in_transit(custody)
    arrived_at = _moment(arrived_at, "arrived_at")
    refusal = visiting_refusal(custody.facility, kind, arrived_at)
    if refusal:
        raise ValidationError({"arrived_at": refusal}, code="not_a_visiting_day")
    data = {k: (visitor.get(k) or "").strip() for k in VISITOR_FIELDS}
    person = Visitor.objects.filter(id_document_kind=data["id_document_kind"],
                                    id_document_number__iexact=data["id_document_number"]).first()
    if person is None:
        person = Visitor(**data)
        person.full_clean()
        person.save()
    visit = Visit(facility=custody.facility, custody=custody, visitor=person, kind=kind, relation=relation,
                  arrived_at=arrived_at, left_at=left_at, items_brought=items_brought, notes=notes,
                  recorded_by=actor)
    visit.full_clean()
    visit.save()
    _audit(AuditAction.CREATE, visit, actor=actor, inmate_id=custody.inmate_id, facility_id=custody.facility_id,
           changes={"visitor": [None, str(person)], "kind": [None, kind], "arrived_at": [None, str(arrived_at)]})
    return visit


@transaction.atomic
def end_visit(visit, *, actor, left_at=None) -> Visit:
    """Record the time the visitor left."""
    visit = Visit.objects.select_for_update().select_related("custody").get(pk=visit.pk)
    _require_serves(actor, visit.facility_id)
    if visit.left_at:
        raise ValidationError(_("La sortie de ce visiteur est déjà enregistrée."))
    left_at = _moment(left_at, "left_at")
    if left_at < visit.arrived_at:
        raise ValidationError({"left_at": _("La sortie ne peut précéder l'entrée.")})
    visit.left_at = left_at
    visit.save(update_fields=["left_at"])
    _audit(AuditAction.UPDATE, visit, actor=actor, inmate_id=visit.custody.inmate_id,
           facility_id=visit.facility_id, changes={"left_at": [None, str(left_at)]})
    return visit


@transaction.atomic
def set_visiting_days(facility, *, days, actor, notes: str = "") -> FacilityVisitingRule:
    """Set the days on which a prison receives (non-lawyer) visitors."""
    _require_serves(actor, facility.pk)
    rule = FacilityVisitingRule.objects.select_for_update().filter(facility=facility).first()
    old = sorted(rule.visiting_days) if rule else list(FacilityVisitingRule.days_for(facility))
    rule = rule or FacilityVisitingRule(facility=facility)
    rule.visiting_days = sorted({int(d) for d in days})
    rule.notes, rule.updated_by = notes, actor
    if not rule.visiting_days:
        raise ValidationError({"visiting_days": _("Choisissez au moins un jour de visite.")})
    rule.full_clean()
    rule.save()
    _audit(AuditAction.UPDATE, rule, actor=actor, inmate_id=None, facility_id=facility.pk,
           changes={"visiting_days": [old, rule.visiting_days]})
    return rule


def _allegation_recipients(facility):
    User = get_user_model()
    return list(
        User.objects.filter(is_active=True).exclude(email="")
        .filter(Q(groups__name=Role.DIRECTOR.value, facilities=facility) | Q(groups__name=Role.DNAPES.value))
        .values_list("email", flat=True).distinct()
    )


def notify_allegation(complaint_id: int) -> int:
    """E-mail the prison's direction and DNAPES that an allegation was registered. The message
    names no one and holds no details: they are read in the register, by those entitled."""
    complaint = Complaint.objects.select_related("facility").get(pk=complaint_id)
    recipients = _allegation_recipients(complaint.facility)
    if not recipients:
        return 0
    subject = _("[DNAPES] Allégation de torture ou de mauvais traitements — %(f)s") % {
        "f": complaint.facility.name}
    body = _(
        "Une allégation de torture ou de mauvais traitements a été enregistrée le %(day)s "
        "à %(facility)s (plainte n° %(id)s).\n\n"
        "Elle doit être transmise sans délai à une autorité compétente (Règle Nelson Mandela 57).\n"
        "Consultez-la dans le registre des plaintes : %(path)s\n"
    ) % {"day": timezone.localtime(complaint.received_at).strftime("%d/%m/%Y %H:%M"),
         "facility": complaint.facility.name, "id": complaint.pk,
         "path": reverse("life:complaint_detail", args=[complaint.pk])}
    return send_mail(subject, body, _settings.DEFAULT_FROM_EMAIL, recipients)


def _replayed_complaint(custody, *, actor, request_key: str):
    """The complaint `actor` already registered with `request_key` (marked `is_replay`), if any."""
    if not request_key:
        return None
    first = Complaint.objects.filter(recorded_by=actor, request_key=request_key).first()
    if first is None:
        return None
    if first.custody_id != custody.pk:
        raise ValidationError({"request_key": _(
            "Cette clé de requête a déjà servi pour une autre plainte : choisissez-en une nouvelle.")})
    first.is_replay = True
    return first


@transaction.atomic
def register_complaint(custody, *, complainant_kind: str, channel: str, subject: str, details: str, actor,
                       complainant_name: str = "", is_confidential: bool = False, is_allegation: bool = False,
                       addressed_to=None, received_at=None, due_on=None, request_key: str = "") -> Complaint:
    """Enter a request or complaint in the register (Rule 56). An allegation of torture or
    ill-treatment is escalated at once: the director and DNAPES are e-mailed on commit (Rule 57).
    With a `request_key`, a retry by the same author returns the first complaint (`is_replay`)
    and writes nothing."""
    custody = _lock_custody(custody)
    _require_serves(actor, custody.facility_id)
    replayed = _replayed_complaint(custody, actor=actor, request_key=request_key)
    if replayed is not None:
        return replayed
    received_at = _moment(received_at, "received_at")
    if due_on is None:
        days = ALLEGATION_ANSWER_DAYS if is_allegation else COMPLAINT_ANSWER_DAYS
        due_on = timezone.localtime(received_at).date() + _dt.timedelta(days=days)
    if addressed_to is not None:
        ids = addressed_to.visible_facility_ids()
        if not addressed_to.is_active or (ids is not None and custody.facility_id not in ids):
            raise ValidationError({"addressed_to": _("Ce destinataire ne sert pas dans cet établissement.")})
    complaint = Complaint(
        facility=custody.facility, custody=custody, complainant_kind=complainant_kind,
        complainant_name=complainant_name.strip(), channel=channel, subject=subject.strip(), details=details,
        is_confidential=is_confidential, is_allegation=is_allegation, addressed_to=addressed_to,
        received_at=received_at, due_on=due_on, recorded_by=actor, request_key=request_key,
        escalated_at=timezone.now() if is_allegation else None,
    )
    complaint.full_clean()
    try:
        with transaction.atomic():
            complaint.save()
    except IntegrityError:
        # The same key, at the same moment, for another detainee (whose row this one did not lock).
        replayed = _replayed_complaint(custody, actor=actor, request_key=request_key)
        if replayed is None:
            raise
        return replayed
    # The audit trail keeps the facts, not the content: a confidential complaint stays so.
    _audit(AuditAction.CREATE, complaint, actor=actor, inmate_id=custody.inmate_id, facility_id=custody.facility_id,
           changes={"is_allegation": [None, is_allegation], "is_confidential": [None, is_confidential],
                    "due_on": [None, str(due_on)]})
    if is_allegation:
        transaction.on_commit(lambda: notify_allegation(complaint.pk))
    return complaint


def _lock_complaint(complaint, actor) -> Complaint:
    locked = Complaint.objects.select_for_update().select_related("custody").get(pk=complaint.pk)
    _require_serves(actor, locked.facility_id)
    if not (actor.has_perm("inmates.change_complaint") or locked.addressed_to_id == actor.pk):
        raise PermissionDenied(_("Seuls la direction et le destinataire traitent cette plainte."))
    return locked


@transaction.atomic
def answer_complaint(complaint, *, answer: str, actor, at=None) -> Complaint:
    """Record the answer given to the complainant."""
    complaint = _lock_complaint(complaint, actor)
    if complaint.status != ComplaintStatus.OPEN:
        raise ValidationError(_("Cette plainte a déjà reçu une réponse."))
    if not (answer or "").strip():
        raise ValidationError({"answer": _("Rédigez la réponse.")})
    at = _moment(at)
    complaint.status, complaint.answer, complaint.answered_at, complaint.answered_by = (
        ComplaintStatus.ANSWERED, answer.strip(), at, actor)
    complaint.save(update_fields=["status", "answer", "answered_at", "answered_by"])
    _audit(AuditAction.UPDATE, complaint, actor=actor, inmate_id=complaint.custody.inmate_id,
           facility_id=complaint.facility_id, changes={"status": [ComplaintStatus.OPEN, ComplaintStatus.ANSWERED]})
    return complaint


@transaction.atomic
def refer_complaint(complaint, *, authority: str, reference: str = "", actor, at=None) -> Complaint:
    """Record the referral of a complaint to a competent authority (prosecutor, judge, inspection)."""
    complaint = _lock_complaint(complaint, actor)
    if complaint.status == ComplaintStatus.CLOSED:
        raise ValidationError(_("Cette plainte est close."))
    if complaint.referred_at:
        raise ValidationError(_("La transmission de cette plainte est déjà enregistrée."))
    if not (authority or "").strip():
        raise ValidationError({"authority": _("Indiquez l'autorité saisie.")})
    complaint.referral_authority, complaint.referral_reference = authority.strip(), reference.strip()
    complaint.referred_at, complaint.referred_by = _moment(at), actor
    complaint.save(update_fields=["referral_authority", "referral_reference", "referred_at", "referred_by"])
    _audit(AuditAction.UPDATE, complaint, actor=actor, inmate_id=complaint.custody.inmate_id,
           facility_id=complaint.facility_id, changes={"referral_authority": [None, complaint.referral_authority]})
    return complaint


@transaction.atomic
def close_complaint(complaint, *, actor, at=None) -> Complaint:
    """Close an answered complaint. An allegation of torture or ill-treatment cannot be closed
    until its referral to a competent authority is recorded (Rule 57(3))."""
    complaint = _lock_complaint(complaint, actor)
    if complaint.status == ComplaintStatus.CLOSED:
        raise ValidationError(_("Cette plainte est déjà close."))
    if complaint.status != ComplaintStatus.ANSWERED:
        raise ValidationError(_("Une plainte se clôt après avoir reçu une réponse."))
    if complaint.is_allegation and not complaint.referred_at:
        raise ValidationError(_("Une allégation de torture ou de mauvais traitements ne peut être close "
                                "sans transmission enregistrée à une autorité compétente (Règle 57)."))
    complaint.status, complaint.closed_at, complaint.closed_by = ComplaintStatus.CLOSED, _moment(at), actor
    complaint.save(update_fields=["status", "closed_at", "closed_by"])
    _audit(AuditAction.UPDATE, complaint, actor=actor, inmate_id=complaint.custody.inmate_id,
           facility_id=complaint.facility_id, changes={"status": [ComplaintStatus.ANSWERED, ComplaintStatus.CLOSED]})
    return complaint


@transaction.atomic
def create_activity(facility, *, name: str, kind: str, open_to_regimes, actor, open_to_untried: bool = True,
                    open_to_convicted: bool = True, open_to_terrorism_related: bool = False,
                    capacity=None) -> Activity:
    """Add an activity and say who may attend it (regimes, untried / convicted, terrorism-related)."""
    _require_serves(actor, facility.pk)
    activity = Activity(facility=facility, name=(name or "").strip(), kind=kind,
                        open_to_regimes=list(open_to_regimes or []), open_to_untried=open_to_untried,
                        open_to_convicted=open_to_convicted, open_to_terrorism_related=open_to_terrorism_related,
                        capacity=capacity, created_by=actor)
    activity.full_clean()
    activity.save()
    _audit(AuditAction.CREATE, activity, actor=actor, inmate_id=None, facility_id=facility.pk,
           changes={"name": [None, activity.name], "open_to_regimes": [None, activity.open_to_regimes],
                    "open_to_terrorism_related": [None, open_to_terrorism_related]})
    return activity


@transaction.atomic
def enrol(activity, *, custody, actor, started_on=None) -> Enrolment:
    """Enrol a person in an activity of their prison, if their regime and category may attend."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    _require_serves(actor, activity.facility_id)
    custody = _lock_custody(custody)
    _require_current(custody)
    if custody.facility_id != activity.facility_id:
        raise ValidationError({"custody": _("Cette personne n'est pas détenue dans l'établissement de l'activité.")})
    if not activity.is_active:
        raise ValidationError(_("Cette activité n'est pas en service."))
    placement = custody.placements.filter(ended_at__isnull=True).select_related("unit").first()
    refusal = activity.refusal_for(custody, placement.unit if placement else None)
    if refusal:
        raise ValidationError({"custody": refusal})
    current = activity.enrolments.current()
    if current.filter(custody=custody).exists():
        raise ValidationError({"custody": _("Cette personne est déjà inscrite à cette activité.")})
    if activity.capacity is not None and current.count() >= activity.capacity:
        raise ValidationError(_("Cette activité est complète (%(n)d places).") % {"n": activity.capacity})
    enrolment = Enrolment(activity=activity, custody=custody, started_on=started_on or timezone.localdate(),
                          enrolled_by=actor)
    enrolment.full_clean()
    enrolment.save()
    _audit(AuditAction.CREATE, enrolment, actor=actor, inmate_id=custody.inmate_id,
           facility_id=activity.facility_id, changes={"activity": [None, activity.name]})
    return enrolment


@transaction.atomic
def end_enrolment(enrolment, *, actor, reason: str = "", ended_on=None) -> Enrolment:
    """End a person's participation in an activity."""
    enrolment = Enrolment.objects.select_for_update().select_related("activity", "custody").get(pk=enrolment.pk)
    _require_serves(actor, enrolment.activity.facility_id)
    if enrolment.ended_on:
        raise ValidationError(_("Cette inscription est déjà terminée."))
    enrolment.ended_on, enrolment.end_reason = ended_on or timezone.localdate(), reason
    enrolment.full_clean()
    enrolment.save(update_fields=["ended_on", "end_reason"])
    _audit(AuditAction.UPDATE, enrolment, actor=actor, inmate_id=enrolment.custody.inmate_id,
           facility_id=enrolment.activity.facility_id, changes={"ended_on": [None, str(enrolment.ended_on)]},
           reason=reason)
    return enrolment


@transaction.atomic
def record_family_notification(custody, *, event: str, choice: str, actor, relative=None,
                               contact_name: str = "", contact_phone: str = "", told_at=None, method: str = "",
                               notes: str = "", transfer=None) -> FamilyNotification:
    """Record whom the person wants told of an event and, when done, who told them and when
    (Rules 68–70). A refusal is respected, except for a death (next of kin told at once)."""
    custody = Custody.objects.select_related("inmate").get(pk=custody.pk)
    ids = actor.visible_facility_ids()
    facility_ids = {custody.facility_id} | ({transfer.from_facility_id, transfer.to_facility_id} if transfer else set())
    if ids is not None and not facility_ids & set(ids):
        raise PermissionDenied(_("Vous n'êtes pas affecté(e) à cet établissement."))
    if transfer is not None and transfer.custody_id != custody.pk:
        raise ValidationError({"transfer": _("Ce transfert concerne une autre personne.")})
    if relative is not None and not contact_name:
        contact_name, contact_phone = relative.name, contact_phone or relative.phone
    notification = FamilyNotification(
        custody=custody, event=event, choice=choice, relative=relative, contact_name=contact_name.strip(),
        contact_phone=contact_phone.strip(), told_at=_moment(told_at, "told_at") if told_at else None,
        told_by=actor if told_at else None, method=method, notes=notes, transfer=transfer, recorded_by=actor,
    )
    notification.full_clean()
    notification.save()
    _audit(AuditAction.CREATE, notification, actor=actor, inmate_id=custody.inmate_id,
           facility_id=custody.facility_id,
           changes={"event": [None, event], "choice": [None, choice],
                    "told_at": [None, str(told_at) if told_at else None]})
    return notification


@transaction.atomic
def mark_family_told(notification, *, told_at=None, method: str, actor, notes: str = "") -> FamilyNotification:
    """Record that the chosen contact has now been told: when, how, by whom."""
    notification = FamilyNotification.objects.select_for_update().select_related("custody").get(pk=notification.pk)
    _require_serves(actor, notification.custody.facility_id)
    if notification.told_at:
        raise ValidationError(_("Ce contact a déjà été prévenu."))
    notification.told_at, notification.told_by = _moment(told_at, "told_at"), actor
    notification.method = method
    if notes:
        notification.notes = f"{notification.notes}\n{notes}".strip()
    notification.full_clean()
    notification.save(update_fields=["told_at", "told_by", "method", "notes"])
    _audit(AuditAction.UPDATE, notification, actor=actor, inmate_id=notification.custody.inmate_id,
           facility_id=notification.custody.facility_id, changes={"told_at": [None, str(notification.told_at)]})
    return notification
