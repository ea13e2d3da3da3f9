"""People held, their identity and family, and each stay in the prison service.

`inmates` knows nothing of cases or intake. The legal status and the terrorism flag on a
custody are written here by casework's services, which keep them current.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.access import facility_scope as _facility_scope
from core.clock import latest_allowed
from core.ids import global_id
from prisons.dates import validate_birth_date, validate_past_date
from prisons.models import HELD_STATUSES, Facility, Region, Unit

from .vocabularies import OTHER, VOCABULARIES, EthnicGroup, Occupation, OrganisationalRole, Religion

MINOR_AGE = 18


class Sex(models.TextChoices):
    MALE = "M", _("Homme")
    FEMALE = "F", _("Femme")


class LegalStatus(models.TextChoices):
    SUSPECT = "suspect", _("Suspect, non inculpé")
    CHARGED = "charged", _("Inculpé, en attente de jugement")
    CONVICTED = "convicted", _("Condamné")
    APPEAL = "appeal", _("Condamné, en appel")


UNTRIED_STATUSES = (LegalStatus.SUSPECT, LegalStatus.CHARGED)


class CustodyStatus(models.TextChoices):
    INTAKE = "intake", _("Écrou en cours")
    HELD = "held", _("Détenu")
    RELEASED = "released", _("Libéré")


assert {CustodyStatus.INTAKE, CustodyStatus.HELD} == set(HELD_STATUSES)


class InmateQuerySet(models.QuerySet):
    def visible_to(self, user):
        """People whose latest stay is (or ended) in one of the user's facilities; all for
        national roles. A prison that once held someone does not keep reading their file
        after they were admitted elsewhere."""
        ids = user.visible_facility_ids()
        if ids is None:
            return self
        later_stay = Custody.objects.filter(inmate=OuterRef("inmate"), admitted_at__gt=OuterRef("admitted_at"))
        # Archived files (retention rule, LAW.md "Personal data") are for national roles only.
        return self.filter(
            Exists(Custody.objects.filter(inmate=OuterRef("pk"), facility_id__in=ids).exclude(Exists(later_stay))),
            archived_at__isnull=True,
        )

    def possible_minors(self, on: datetime.date | None = None):
        """People whose estimated age may be under 18 (the estimate's range reaches 17), not yet
        verified: birth year only, counted as adults, youngest possible age below 18."""
        year = (on or timezone.localdate()).year
        return self.filter(age_verified_at__isnull=True, date_of_birth__isnull=True,
                           birth_year__lte=year - MINOR_AGE).alias(
            youngest_birth_year=models.F("birth_year") + models.F("birth_year_margin"),
        ).filter(youngest_birth_year__gte=year - MINOR_AGE)

    def search(self, text):
        """People found by `text` (names, aliases, phonetic keys, whole or partial prisoner
        number), best match first: see `inmates.search`."""
        from .search import rank_search

        return rank_search(self, text, ordering=Inmate._meta.ordering)


class Inmate(models.Model):
    """A person in the care of the prison service (one record per person, across stays)."""

    uid = global_id()

    prisoner_number = models.CharField(
        _("numéro d'écrou national"), max_length=32, unique=True, null=True, blank=True,
        help_text=_("Attribué lors de l'étape administrative de l'écrou."),
    )
    last_name = models.CharField(_("nom"), max_length=80)
    first_name = models.CharField(_("prénom(s)"), max_length=120)
    father_name = models.CharField(_("prénom du père"), max_length=120, blank=True)
    mother_name = models.CharField(_("nom et prénom de la mère"), max_length=160, blank=True)
    sex = models.CharField(_("sexe"), max_length=1, choices=Sex.choices)
    gender_identity = models.CharField(
        _("genre déclaré"), max_length=60, blank=True,
        help_text=_("Tel que la personne le déclare (Règle Nelson Mandela 7)."),
    )
    date_of_birth = models.DateField(_("date de naissance"), validators=[validate_birth_date], null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(
        _("année de naissance (estimée)"), null=True, blank=True,
        help_text=_("À défaut de date exacte."),
    )
    birth_year_margin = models.PositiveSmallIntegerField(
        _("marge de l'estimation (± années)"), default=0,
        help_text=_("Pour une année estimée : par exemple 2 pour « 20 ans, à 2 ans près »."),
    )
    # Set by inmates.services.verify_age: until then, an estimate that may be under 18 is
    # flagged "possible minor — verify age" (Mandela Rule 11).
    age_verified_at = models.DateTimeField(_("âge vérifié le"), null=True, blank=True, editable=False)
    age_verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                        blank=True, editable=False, related_name="+",
                                        verbose_name=_("âge vérifié par"))
    age_evidence = models.CharField(_("pièce ou examen ayant établi l'âge"), max_length=200, blank=True,
                                    editable=False)
    place_of_birth = models.CharField(_("lieu de naissance"), max_length=120, blank=True)
    region_of_origin = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("région d'origine"),
    )
    nationality = models.CharField(_("nationalité"), max_length=60, default="Malienne")
    # The one-month délit row (art. 125 CPP) applies only to a person domiciled in Mali (LAW.md).
    domiciled_in_mali = models.BooleanField(
        _("domicilié au Mali"), null=True, blank=True,
        help_text=_("Détermine le délai applicable aux délits punis de 2 ans au plus (art. 125). "
                    "Vide : non renseigné."),
    )
    languages = models.CharField(_("langues parlées"), max_length=200, blank=True,
                                 help_text=_("Ex. bambara, français, tamasheq"))
    photo = models.ImageField(_("photo"), upload_to="photos/%Y/", null=True, blank=True)
    search_text = models.TextField(editable=False, blank=True, db_index=False)
    # Phonetic keys of the names (inmates.names.name_keys): search and duplicate detection.
    name_keys = models.TextField(editable=False, blank=True, default="")
    version = models.PositiveIntegerField(default=1, editable=False)
    # Set by the retention rule (inmates.retention) once the person has been released for
    # RECORD_RETENTION_YEARS_AFTER_RELEASE years: read-only afterwards, for national roles only.
    archived_at = models.DateTimeField(_("archivé le"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    objects = InmateQuerySet.as_manager()

    class Meta:
        verbose_name = _("détenu")
        verbose_name_plural = _("détenus")
        ordering = ["last_name", "first_name", "id"]
        indexes = [models.Index(fields=["last_name", "first_name"], name="inmate_name_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(birth_year__isnull=True) | Q(birth_year__gte=1900, birth_year__lte=2100),
                name="inmate_birth_year_plausible",
            ),
            models.CheckConstraint(condition=Q(birth_year_margin__lte=20), name="inmate_birth_year_margin_plausible"),
        ]

    def __str__(self):
        number = f" [{self.prisoner_number}]" if self.prisoner_number else ""
        return f"{self.last_name.upper()} {self.first_name}{number}"

    def get_absolute_url(self):
        return reverse("inmates:inmate_detail", args=[self.pk])

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name.upper()}"

    def clean(self):
        if self.date_of_birth and self.birth_year and self.date_of_birth.year != self.birth_year:
            raise ValidationError({"birth_year": _("L'année ne correspond pas à la date de naissance.")})

    def age_on(self, day: datetime.date | None = None):
        """Age in whole years on `day` (approximate when only the birth year is known)."""
        day = day or timezone.localdate()
        if self.date_of_birth:
            dob = self.date_of_birth
            return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))
        if self.birth_year:
            return day.year - self.birth_year
        return None

    @property
    def age(self):
        return self.age_on()

    @property
    def age_is_estimated(self):
        return self.date_of_birth is None and self.birth_year is not None

    @property
    def is_minor(self):
        age = self.age
        return age is not None and age < MINOR_AGE

    def possible_minor_on(self, day: datetime.date | None = None) -> bool:
        """Counted as an adult, but the age estimate's range reaches 17 and nobody verified it."""
        if self.age_verified_at or self.date_of_birth or not self.birth_year:
            return False
        year = (day or timezone.localdate()).year
        return year - self.birth_year >= MINOR_AGE and year - (self.birth_year + self.birth_year_margin) - 1 < MINOR_AGE

    @property
    def possible_minor(self):
        return self.possible_minor_on()


class AliasKind(models.TextChoices):
    ALIAS = "alias", _("Surnom / nom de guerre")
    SPELLING = "spelling", _("Autre orthographe")
    PREVIOUS = "previous", _("Ancien nom")


class Alias(models.Model):
    uid = global_id()
    inmate = models.ForeignKey(Inmate, on_delete=models.CASCADE, related_name="aliases",
                               verbose_name=_("détenu"))
    name = models.CharField(_("nom"), max_length=160)
    kind = models.CharField(_("type"), max_length=10, choices=AliasKind.choices, default=AliasKind.SPELLING)

    class Meta:
        verbose_name = _("autre nom")
        verbose_name_plural = _("autres noms")
        constraints = [models.UniqueConstraint(fields=["inmate", "name"], name="alias_unique_per_inmate")]

    def __str__(self):
        return self.name


class Relation(models.TextChoices):
    SPOUSE = "spouse", _("Conjoint(e)")
    CHILD = "child", _("Enfant")
    FATHER = "father", _("Père")
    MOTHER = "mother", _("Mère")
    SIBLING = "sibling", _("Frère / sœur")
    UNCLE_AUNT = "uncle_aunt", _("Oncle / tante")
    GUARDIAN = "guardian", _("Tuteur")
    OTHER_FAMILY = "other_family", _("Autre parent")
    OTHER = "other", _("Autre (ami, employeur…)")


class Relative(models.Model):
    """A family member or contact (Mandela Rule 7): next of kin, emergency contact, children."""

    uid = global_id()

    inmate = models.ForeignKey(Inmate, on_delete=models.CASCADE, related_name="relatives",
                               verbose_name=_("détenu"))
    name = models.CharField(_("nom et prénom"), max_length=160)
    relation = models.CharField(_("lien"), max_length=14, choices=Relation.choices)
    is_next_of_kin = models.BooleanField(_("plus proche parent"), default=False)
    is_emergency_contact = models.BooleanField(_("contact en cas d'urgence"), default=False)
    phone = models.CharField(_("téléphone"), max_length=40, blank=True)
    address = models.CharField(_("adresse / localité"), max_length=200, blank=True)
    date_of_birth = models.DateField(_("date de naissance"), validators=[validate_birth_date], null=True, blank=True)
    age_years = models.PositiveSmallIntegerField(_("âge (si date inconnue)"), null=True, blank=True)
    whereabouts = models.CharField(_("où se trouve-t-il/elle"), max_length=200, blank=True)
    caregiver = models.CharField(_("qui en a la charge"), max_length=160, blank=True)
    notes = models.TextField(_("observations"), blank=True)

    class Meta:
        verbose_name = _("parent ou contact")
        verbose_name_plural = _("famille et contacts")
        ordering = ["relation", "name"]

    def __str__(self):
        return f"{self.name} ({self.get_relation_display()})"

    def clean(self):
        if self.relation == Relation.CHILD and not (self.date_of_birth or self.age_years is not None):
            raise ValidationError({"age_years": _("Indiquez l'âge ou la date de naissance de l'enfant.")})


class CustodyQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Stays in the user's facilities, archived people's apart; all for national roles."""
        ids = user.visible_facility_ids()
        return self if ids is None else self.filter(facility_id__in=ids, inmate__archived_at__isnull=True)

    def current(self):
        """Stays not yet ended (in intake or held)."""
        return self.filter(status__in=HELD_STATUSES)

    def held(self):
        return self.filter(status=CustodyStatus.HELD)

    def untried(self):
        return self.filter(legal_status__in=UNTRIED_STATUSES)

    def terrorism_related(self):
        return self.filter(terrorism_related=True)


class ArrestingForce(models.TextChoices):
    POLICE = "police", _("Police nationale")
    GENDARMERIE = "gendarmerie", _("Gendarmerie nationale")
    ARMY = "army", _("Forces armées maliennes")
    GUARD = "guard", _("Garde nationale")
    FOREIGN = "foreign", _("Forces étrangères")
    STATE_SECURITY = "state_security", _("Sécurité d'État")
    OTHER = "other", _("Autre")


class ReleaseReason(models.TextChoices):
    RELEASE_ORDER = "release_order", _("Mainlevée / ordonnance de mise en liberté")
    PROVISIONAL = "provisional", _("Liberté provisoire")
    ACQUITTAL = "acquittal", _("Acquittement / relaxe")
    DISMISSAL = "dismissal", _("Non-lieu")
    SENTENCE_SERVED = "sentence_served", _("Fin de peine")
    PARDON = "pardon", _("Grâce")
    DEATH = "death", _("Décès")
    ESCAPE = "escape", _("Évasion")
    OTHER = "other", _("Autre motif légal")


class Custody(models.Model):
    """One stay in the prison service, from admission to release (transfers stay within it)."""

    uid = global_id()

    inmate = models.ForeignKey(Inmate, on_delete=models.PROTECT, related_name="custodies",
                               verbose_name=_("détenu"))
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="custodies",
                                 verbose_name=_("établissement actuel"))
    status = models.CharField(_("situation"), max_length=10, choices=CustodyStatus.choices,
                              default=CustodyStatus.INTAKE)
    admitted_at = models.DateTimeField(_("date et heure d'écrou"), validators=[validate_past_date])
    released_at = models.DateTimeField(_("date et heure de sortie"), validators=[validate_past_date], null=True, blank=True)
    release_reason = models.CharField(_("motif de sortie"), max_length=16,
                                      choices=ReleaseReason.choices, blank=True)
    # Written by casework's services (never typed in): see casework.services.refresh_legal_status.
    legal_status = models.CharField(_("statut juridique"), max_length=10, choices=LegalStatus.choices,
                                    default=LegalStatus.SUSPECT)
    terrorism_related = models.BooleanField(_("affaire liée au terrorisme"), default=False)
    # The arrest (Mandela Rule 7; ICPPED art. 17(3)): who, when, where, on what grounds.
    arresting_force = models.CharField(_("force ayant procédé à l'arrestation"), max_length=16,
                                       choices=ArrestingForce.choices, blank=True)
    arresting_unit = models.CharField(_("unité / service"), max_length=120, blank=True)
    arrested_at = models.DateTimeField(_("date et heure de l'arrestation"), validators=[validate_past_date], null=True, blank=True)
    arrest_place = models.CharField(_("lieu de l'arrestation"), max_length=160, blank=True)
    arrest_region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="+", verbose_name=_("région de l'arrestation"))
    grounds = models.TextField(_("motifs de l'incarcération"), blank=True)
    committing_authority = models.CharField(_("autorité ayant ordonné l'incarcération"),
                                            max_length=160, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CustodyQuerySet.as_manager()

    class Meta:
        verbose_name = _("séjour en détention")
        verbose_name_plural = _("séjours en détention")
        ordering = ["-admitted_at"]
        indexes = [models.Index(fields=["facility", "status"], name="custody_facility_status_idx")]
        constraints = [
            # A person is never in two places at once.
            models.UniqueConstraint(fields=["inmate"], condition=~Q(status="released"),
                                    name="one_open_custody_per_inmate"),
            models.CheckConstraint(
                condition=(Q(status="released", released_at__isnull=False)
                           | (~Q(status="released") & Q(released_at__isnull=True))),
                name="custody_released_at_iff_released",
            ),
            models.CheckConstraint(condition=Q(released_at__isnull=True) | Q(released_at__gte=models.F("admitted_at")),
                                   name="custody_released_after_admitted"),
            models.CheckConstraint(condition=Q(arrested_at__isnull=True) | Q(arrested_at__lte=models.F("admitted_at")),
                                   name="custody_arrest_before_admission"),
        ]

    def __str__(self):
        return f"{self.inmate} — {self.facility.code} ({self.admitted_at:%d/%m/%Y})"

    def clean(self):
        if self.arrested_at and self.admitted_at and self.arrested_at > self.admitted_at:
            raise ValidationError({"arrested_at": _("L'arrestation ne peut pas suivre l'écrou.")})

    @property
    def is_current(self):
        return self.status in HELD_STATUSES

    @property
    def is_untried(self):
        return self.legal_status in UNTRIED_STATUSES

    @property
    def days_held(self):
        end = self.released_at or timezone.now()
        return (end - self.admitted_at).days

    def first_custody_at(self):
        """The first moment of any custody in this matter: arrest, earlier custody, admission."""
        starts = [self.admitted_at]
        if self.arrested_at:
            starts.append(self.arrested_at)
        starts += [p.started_at for p in self.prior_custodies.all()]
        return min(starts)


class PriorCustodyKind(models.TextChoices):
    POLICE = "police", _("Commissariat de police")
    GENDARMERIE = "gendarmerie", _("Gendarmerie (ex. Camp I)")
    STATE_SECURITY = "state_security", _("Sécurité d'État")
    MILITARY = "military", _("Camp militaire")
    FOREIGN = "foreign", _("Forces étrangères")
    PRISON = "prison", _("Autre établissement pénitentiaire")
    OTHER = "other", _("Autre lieu")


class PriorCustody(models.Model):
    """An earlier place of custody before arrival (it counts as custody; LAW.md §3)."""

    uid = global_id()

    custody = models.ForeignKey(Custody, on_delete=models.CASCADE, related_name="prior_custodies",
                                verbose_name=_("séjour"))
    kind = models.CharField(_("type de lieu"), max_length=16, choices=PriorCustodyKind.choices)
    place = models.CharField(_("lieu"), max_length=160)
    authority = models.CharField(_("autorité responsable"), max_length=160, blank=True)
    started_at = models.DateTimeField(_("du"), validators=[validate_past_date])
    ended_at = models.DateTimeField(_("au"), validators=[validate_past_date], null=True, blank=True)
    notes = models.TextField(_("observations"), blank=True)

    class Meta:
        verbose_name = _("garde antérieure")
        verbose_name_plural = _("gardes antérieures (chaîne de détention)")
        ordering = ["started_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                                   name="prior_custody_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.place} ({self.started_at:%d/%m/%Y})"

    @property
    def duration_hours(self):
        if not self.ended_at:
            return None
        return round((self.ended_at - self.started_at).total_seconds() / 3600, 1)


class PlacementQuerySet(models.QuerySet):
    def visible_to(self, user):
        ids = user.visible_facility_ids()
        return self if ids is None else self.filter(unit__facility_id__in=ids)

    def current(self):
        return self.filter(ended_at__isnull=True)


class Placement(models.Model):
    """A custody in a unit (cell), from a moment to another."""

    uid = global_id()

    custody = models.ForeignKey(Custody, on_delete=models.PROTECT, related_name="placements",
                                verbose_name=_("séjour"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="placements",
                             verbose_name=_("unité / cellule"))
    started_at = models.DateTimeField(_("depuis le"), validators=[validate_past_date])
    ended_at = models.DateTimeField(_("jusqu'au"), validators=[validate_past_date], null=True, blank=True)
    reason = models.CharField(_("motif"), max_length=255, blank=True)
    warning_override = models.TextField(
        _("motif malgré l'avertissement"), blank=True,
        help_text=_("Obligatoire si l'unité est pleine ou si le placement mélange des catégories."),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                   related_name="+", verbose_name=_("enregistré par"))

    objects = PlacementQuerySet.as_manager()

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(fields=["custody"], condition=Q(ended_at__isnull=True),
                                    name="one_open_placement_per_custody"),
            models.CheckConstraint(condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                                   name="placement_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.unit} ({self.started_at:%d/%m/%Y})"

    def clean(self):
        if self.unit_id and self.custody_id and self.unit.facility_id != self.custody.facility_id:
            raise ValidationError({"unit": _("Cette unité n'appartient pas à l'établissement du détenu.")})


class Education(models.TextChoices):
    NONE = "none", _("Aucune scolarité")
    KORANIC = "koranic", _("École coranique")
    PRIMARY = "primary", _("Primaire")
    SECONDARY = "secondary", _("Secondaire")
    HIGHER = "higher", _("Supérieur")
    VOCATIONAL = "vocational", _("Formation professionnelle")
    UNKNOWN = "unknown", _("Inconnu")


class MaritalStatus(models.TextChoices):
    SINGLE = "single", _("Célibataire")
    MARRIED = "married", _("Marié(e)")
    POLYGAMOUS = "polygamous", _("Marié (union polygame)")
    DIVORCED = "divorced", _("Divorcé(e)")
    WIDOWED = "widowed", _("Veuf / veuve")
    UNKNOWN = "unknown", _("Inconnu")


class Affiliation(models.TextChoices):
    MNLA = "mnla", _("MNLA ou autre mouvement sécessionniste")
    ANSAR_DINE = "ansar_dine", _("Ansar Dine")
    AQIM = "aqim", _("AQMI")
    JNIM = "jnim", _("JNIM")
    MUJAO = "mujao", _("MUJAO")
    ISLAMIC_STATE = "islamic_state", _("Affilié à l'État islamique")
    OTHER = "other", _("Autre groupe")
    UNKNOWN = "unknown", _("Inconnue")


class Involvement(models.TextChoices):
    VOLUNTARY = "voluntary", _("A rejoint volontairement")
    FORCED = "forced", _("A rejoint sous la contrainte")
    DENIES = "denies", _("Nie toute implication")
    UNCLEAR = "unclear", _("Indéterminé")


class EngagementReason(models.TextChoices):
    IDENTITY = "identity", _("Identité (nordiste / Azawad, appartenance ethnique ou régionale)")
    STATE_FAILURE = "state_failure", _("Défaillance des services de l'État")
    REPRESENTATION = "representation", _("Absence de représentation politique ou de gouvernance")
    JUSTICE = "justice", _("Absence de justice")
    SURVIVAL = "survival", _("Survie (rejoindre ou être tué)")
    ECONOMIC = "economic", _("Opportunité économique")
    LIBYA = "libya", _("Libye")
    ALGERIA = "algeria", _("Algérie")
    FOREIGN_MILITARY = "foreign_military", _("Présence militaire étrangère")
    ETHNIC_TENSION = "ethnic_tension", _("Tensions ethniques et discrimination")
    IDEOLOGY = "ideology", _("Idéologie ou religion")


class SocialProfile(models.Model):
    """The structured profile collected at the intake interview (DESIGN.md §5).

    Used for aggregate statistics only; the affiliation and engagement fields are filled
    for terrorism-related cases.
    """

    uid = global_id()

    inmate = models.OneToOneField(Inmate, on_delete=models.CASCADE, related_name="social_profile",
                                  verbose_name=_("détenu"))
    # The four answers that were free text: a code from a controlled list (inmates.vocabularies),
    # "other" with the answer itself in `<field>_other`.
    ethnic_group = models.CharField(_("groupe ethnique"), max_length=60, blank=True, choices=EthnicGroup.choices)
    ethnic_group_other = models.CharField(_("groupe ethnique (autre)"), max_length=120, blank=True)
    religion = models.CharField(_("religion"), max_length=60, blank=True, choices=Religion.choices)
    religion_other = models.CharField(_("religion (autre)"), max_length=120, blank=True)
    education = models.CharField(_("niveau d'instruction"), max_length=12, choices=Education.choices,
                                 default=Education.UNKNOWN)
    occupation = models.CharField(_("profession / activité"), max_length=120, blank=True,
                                  choices=Occupation.choices)
    occupation_other = models.CharField(_("profession / activité (autre)"), max_length=120, blank=True)
    marital_status = models.CharField(_("situation matrimoniale"), max_length=12,
                                      choices=MaritalStatus.choices, default=MaritalStatus.UNKNOWN)
    children_count = models.PositiveSmallIntegerField(_("nombre d'enfants"), null=True, blank=True)
    affiliations = models.JSONField(_("affiliation(s)"), default=list, blank=True,
                                    help_text=_("Plusieurs choix possibles."))
    involvement = models.CharField(_("type d'implication"), max_length=10, choices=Involvement.choices,
                                   blank=True)
    organisational_role = models.CharField(_("rôle dans l'organisation"), max_length=120, blank=True,
                                           choices=OrganisationalRole.choices)
    organisational_role_other = models.CharField(_("rôle dans l'organisation (autre)"), max_length=120,
                                                 blank=True)
    engagement_reasons = models.JSONField(_("raisons de l'engagement"), default=list, blank=True,
                                          help_text=_("Plusieurs choix possibles."))
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                   related_name="+", verbose_name=_("renseigné par"))

    class Meta:
        verbose_name = _("profil social")
        verbose_name_plural = _("profils sociaux")
        constraints = [
            constraint
            for field, vocabulary in VOCABULARIES.items()
            for constraint in (
                models.CheckConstraint(condition=Q(**{f"{field}__in": ["", *vocabulary.values]}),
                                       name=f"socialprofile_{field}_in_list"),
                # "other" always says what; any other code carries no free text.
                models.CheckConstraint(
                    condition=(Q(**{field: OTHER}) & ~Q(**{f"{field}_other": ""}))
                    | (~Q(**{field: OTHER}) & Q(**{f"{field}_other": ""})),
                    name=f"socialprofile_{field}_other_with_text"),
            )
        ]

    def __str__(self):
        return str(self.inmate)

    def clean(self):
        errors = {}
        bad = set(self.affiliations or []) - set(Affiliation.values)
        if bad:
            errors["affiliations"] = _("Affiliation inconnue : %(v)s") % {"v": ", ".join(sorted(bad))}
        bad = set(self.engagement_reasons or []) - set(EngagementReason.values)
        if bad:
            errors["engagement_reasons"] = _("Raison inconnue : %(v)s") % {"v": ", ".join(sorted(bad))}
        for field in VOCABULARIES:
            other = f"{field}_other"
            setattr(self, other, " ".join((getattr(self, other) or "").split()))
            if getattr(self, field) == OTHER and not getattr(self, other):
                errors[other] = _("« Autre » : précisez la réponse.")
            elif getattr(self, field) != OTHER and getattr(self, other):
                errors[other] = _("Ne précisez la réponse que lorsque « Autre » est choisi.")
        if errors:
            raise ValidationError(errors)

    def get_affiliations_display(self):
        return [str(Affiliation(v).label) for v in self.affiliations or []]

    def get_engagement_reasons_display(self):
        return [str(EngagementReason(v).label) for v in self.engagement_reasons or []]


class PrisonerNumberCounter(models.Model):
    """The last sequence issued per facility and year; locked row by row when allocating."""

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("établissement"))
    year = models.PositiveSmallIntegerField(_("année"))
    last_value = models.PositiveIntegerField(_("dernier numéro attribué"), default=0)

    class Meta:
        verbose_name = _("compteur de numéros d'écrou")
        verbose_name_plural = _("compteurs de numéros d'écrou")
        constraints = [
            models.UniqueConstraint(fields=["facility", "year"], name="one_counter_per_facility_year"),
        ]

    def __str__(self):
        return f"{self.facility_id}-{self.year}: {self.last_value}"


class TransferStatus(models.TextChoices):
    REQUESTED = "requested", _("Demandé")
    APPROVED = "approved", _("Approuvé")
    DEPARTED = "departed", _("Parti (en route)")
    ARRIVED = "arrived", _("Arrivé")
    CANCELLED = "cancelled", _("Annulé")


OPEN_TRANSFER_STATUSES = (TransferStatus.REQUESTED, TransferStatus.APPROVED, TransferStatus.DEPARTED)


class TransferQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Both prisons see a transfer: the receiving one sees the arrival coming."""
        scope = _facility_scope(user, "from_facility_id", "to_facility_id")
        return self if scope is None else self.filter(scope)

    def open(self):
        return self.filter(status__in=OPEN_TRANSFER_STATUSES)

    def outgoing(self, facility):
        return self.filter(from_facility=facility)

    def incoming(self, facility):
        return self.filter(to_facility=facility)


class Transfer(models.Model):
    """A move of a custody from one prison to another, in four recorded steps.

    The custody's facility changes only on arrival; between departure and arrival the
    person is in the escort's charge (no unit), never in two prisons and never in none.
    """

    uid = global_id()

    custody = models.ForeignKey(Custody, on_delete=models.PROTECT, related_name="transfers",
                                verbose_name=_("séjour"))
    from_facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+",
                                      verbose_name=_("établissement de départ"))
    to_facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("établissement d'accueil"))
    status = models.CharField(_("état"), max_length=10, choices=TransferStatus.choices,
                              default=TransferStatus.REQUESTED)
    reason = models.TextField(_("motif du transfert"))
    escort = models.CharField(_("escorte"), max_length=200, blank=True,
                              help_text=_("Unité, chef d'escorte, véhicule."))
    property_seal_number = models.CharField(_("scellé des effets"), max_length=40, blank=True)
    property_notes = models.TextField(_("effets remis à l'escorte"), blank=True,
                                      help_text=_("Les effets personnels suivent la personne."))
    property_received_notes = models.TextField(_("effets reçus à l'arrivée"), blank=True)
    requested_at = models.DateTimeField(_("demandé le"), validators=[validate_past_date])
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("demandé par"))
    approved_at = models.DateTimeField(_("approuvé le"), validators=[validate_past_date], null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    null=True, blank=True, verbose_name=_("approuvé par"))
    departed_at = models.DateTimeField(_("parti le"), validators=[validate_past_date], null=True, blank=True)
    departed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    null=True, blank=True, verbose_name=_("départ enregistré par"))
    arrived_at = models.DateTimeField(_("arrivé le"), validators=[validate_past_date], null=True, blank=True)
    arrived_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   null=True, blank=True, verbose_name=_("arrivée enregistrée par"))
    arrival_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", null=True, blank=True,
                                     verbose_name=_("unité d'arrivée"))
    cancelled_at = models.DateTimeField(_("annulé le"), validators=[validate_past_date], null=True, blank=True)
    cancelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     null=True, blank=True, verbose_name=_("annulé par"))
    cancel_reason = models.TextField(_("motif de l'annulation"), blank=True)

    objects = TransferQuerySet.as_manager()

    class Meta:
        verbose_name = _("transfert")
        verbose_name_plural = _("transferts")
        ordering = ["-requested_at", "-id"]
        permissions = [("approve_transfer", _("Approuver un transfert"))]
        indexes = [models.Index(fields=["to_facility", "status"], name="transfer_to_status_idx"),
                   models.Index(fields=["from_facility", "status"], name="transfer_from_status_idx")]
        constraints = [
            models.UniqueConstraint(fields=["custody"], condition=Q(status__in=OPEN_TRANSFER_STATUSES),
                                    name="one_open_transfer_per_custody"),
            models.CheckConstraint(condition=~Q(from_facility=models.F("to_facility")),
                                   name="transfer_between_two_facilities"),
            models.CheckConstraint(
                condition=Q(status="arrived", arrived_at__isnull=False) | ~Q(status="arrived"),
                name="transfer_arrived_has_time"),
            models.CheckConstraint(
                condition=Q(status="departed", departed_at__isnull=False) | ~Q(status="departed"),
                name="transfer_departed_has_time"),
        ]

    def __str__(self):
        return _("Transfert %(id)s : %(src)s → %(dst)s") % {
            "id": self.pk or "", "src": self.from_facility.code, "dst": self.to_facility.code}

    @property
    def is_open(self):
        return self.status in OPEN_TRANSFER_STATUSES

    @property
    def in_transit(self):
        return self.status == TransferStatus.DEPARTED


class ReceiptAcknowledgement(models.TextChoices):
    SIGNATURE = "signature", _("Signature")
    THUMBPRINT = "thumbprint", _("Empreinte du pouce")
    REFUSED = "refused", _("Refus de signer (en présence d'un témoin)")


# Reasons for which an order (and its authority and reference) must be on file.
RELEASE_REASONS_WITHOUT_ORDER = (ReleaseReason.DEATH, ReleaseReason.ESCAPE)


class ReleaseQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = _facility_scope(user, "custody__facility_id")
        return self if scope is None else self.filter(scope)


class Release(models.Model):
    """The end of a stay: on what order, when it was received, when the person left, and
    the property returned against a signed receipt (Rule 67) with a file extract (Rule 9)."""

    uid = global_id()

    custody = models.OneToOneField(Custody, on_delete=models.PROTECT, related_name="release",
                                   verbose_name=_("séjour"))
    reason = models.CharField(_("motif de la sortie"), max_length=16, choices=ReleaseReason.choices)
    # The custody's legal status on the day the person left (the receipt prints it; the custody's
    # own status may still change later, when a judgment is recorded after the release).
    legal_status_at_release = models.CharField(_("statut juridique à la sortie"), max_length=10,
                                               choices=LegalStatus.choices, blank=True, editable=False)
    authority = models.CharField(_("autorité ayant ordonné la sortie"), max_length=160, blank=True)
    order_reference = models.CharField(_("référence de la décision"), max_length=80, blank=True)
    order_received_at = models.DateTimeField(_("décision reçue le"), validators=[validate_past_date])
    left_at = models.DateTimeField(_("sortie effective le"), validators=[validate_past_date])
    delay_hours = models.DecimalField(_("délai (heures)"), max_digits=8, decimal_places=1, editable=False,
                                      help_text=_("Entre la réception de la décision et la sortie."))
    property_returned = models.BooleanField(_("effets restitués"), default=False)
    receipt = models.CharField(_("reçu des effets"), max_length=10, choices=ReceiptAcknowledgement.choices,
                               blank=True)
    witness_name = models.CharField(_("témoin"), max_length=160, blank=True)
    property_notes = models.TextField(_("effets restitués / observations"), blank=True)
    file_extract_given = models.BooleanField(_("extrait du dossier remis"), default=False,
                                             help_text=_("Règle Nelson Mandela 9."))
    notes = models.TextField(_("observations"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("enregistré par"))
    recorded_at = models.DateTimeField(_("enregistré le"), auto_now_add=True)

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("sortie")
        verbose_name_plural = _("sorties")
        ordering = ["-left_at"]
        constraints = [
            models.CheckConstraint(condition=Q(left_at__gte=models.F("order_received_at")),
                                   name="release_leaves_after_order"),
            models.CheckConstraint(condition=Q(property_returned=False) | ~Q(receipt=""),
                                   name="release_property_against_receipt"),
            models.CheckConstraint(condition=~Q(receipt="refused") | ~Q(witness_name=""),
                                   name="release_refusal_needs_witness"),
        ]

    def __str__(self):
        return _("Sortie de %(who)s") % {"who": self.custody.inmate}

    def clean(self):
        errors = {}
        if self.reason and self.reason not in RELEASE_REASONS_WITHOUT_ORDER:
            if not self.authority.strip():
                errors["authority"] = _("Indiquez l'autorité qui a ordonné la sortie.")
            if not self.order_reference.strip():
                errors["order_reference"] = _("Indiquez la référence de la décision.")
        if self.left_at and self.order_received_at and self.left_at < self.order_received_at:
            errors["left_at"] = _("La sortie ne peut précéder la réception de la décision.")
        if self.property_returned and not self.receipt:
            errors["receipt"] = _("Les effets se restituent contre un reçu signé (Règle 67).")
        if self.receipt == ReceiptAcknowledgement.REFUSED and not self.witness_name.strip():
            errors["witness_name"] = _("Un refus de signer se constate devant un témoin.")
        if errors:
            raise ValidationError(errors)


class NotificationMethod(models.TextChoices):
    PHONE = "phone", _("Téléphone")
    IN_PERSON = "in_person", _("En personne")
    LETTER = "letter", _("Courrier")
    ICRC = "icrc", _("Par le CICR (messages Croix-Rouge)")
    OTHER = "other", _("Autre")


class DeathQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = _facility_scope(user, "custody__facility_id")
        return self if scope is None else self.filter(scope)

    def notifications_missing(self):
        return self.filter(Q(kin_told_at__isnull=True) | Q(authority_informed_at__isnull=True))


class DeathInCustody(models.Model):
    """A death in custody (Mandela Rules 69–72): the circumstances, the next of kin told at once
    (Rule 69) and a judicial authority independent of the prison informed (Rule 71). The stay
    ends with it (release reason "death"); a missing notification is a critical item on the file."""

    uid = global_id()

    custody = models.OneToOneField(Custody, on_delete=models.PROTECT, related_name="death",
                                   verbose_name=_("séjour"))
    died_at = models.DateTimeField(_("date et heure du décès"))
    place = models.CharField(_("lieu du décès"), max_length=160)
    circumstances = models.TextField(_("circonstances"))
    kin_told_at = models.DateTimeField(_("famille prévenue le"), null=True, blank=True)
    kin_told_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    null=True, blank=True, verbose_name=_("famille prévenue par"))
    kin_name = models.CharField(_("parent prévenu"), max_length=160, blank=True)
    kin_method = models.CharField(_("moyen"), max_length=10, choices=NotificationMethod.choices, blank=True)
    authority_informed_at = models.DateTimeField(_("autorité judiciaire informée le"), null=True, blank=True)
    authority_informed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                              related_name="+", null=True, blank=True,
                                              verbose_name=_("autorité informée par"))
    authority = models.CharField(_("autorité judiciaire informée"), max_length=160, blank=True)
    authority_method = models.CharField(_("moyen"), max_length=10, choices=NotificationMethod.choices,
                                        blank=True)
    authority_reference = models.CharField(_("référence (soit-transmis, procès-verbal…)"), max_length=80,
                                           blank=True)
    # Rule 71: the independent inquiry, followed to its outcome.
    inquiry_authority = models.CharField(_("autorité chargée de l'enquête"), max_length=160, blank=True)
    inquiry_reference = models.CharField(_("référence de l'enquête"), max_length=80, blank=True)
    inquiry_opened_on = models.DateField(_("enquête ouverte le"), null=True, blank=True)
    inquiry_outcome = models.TextField(_("conclusions de l'enquête"), blank=True)
    inquiry_closed_on = models.DateField(_("enquête close le"), null=True, blank=True)
    # Rule 72: the body treated with respect and returned to the next of kin.
    body_handling = models.TextField(_("prise en charge de la dépouille (examen, conservation)"), blank=True)
    body_returned_to = models.CharField(_("dépouille remise à"), max_length=160, blank=True)
    body_returned_at = models.DateTimeField(_("dépouille remise le"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("enregistré par"))
    recorded_at = models.DateTimeField(_("enregistré le"), auto_now_add=True)

    objects = DeathQuerySet.as_manager()

    class Meta:
        verbose_name = _("décès en détention")
        verbose_name_plural = _("décès en détention")
        ordering = ["-died_at"]
        constraints = [
            models.CheckConstraint(condition=Q(kin_told_at__isnull=True) | (Q(kin_told_by__isnull=False)
                                   & ~Q(kin_method="") & ~Q(kin_name="")), name="death_kin_told_by_whom_how"),
            models.CheckConstraint(condition=Q(authority_informed_at__isnull=True)
                                   | (Q(authority_informed_by__isnull=False) & ~Q(authority="")
                                      & ~Q(authority_method="")), name="death_authority_informed_by_whom_how"),
            models.CheckConstraint(condition=Q(inquiry_closed_on__isnull=True)
                                   | (~Q(inquiry_outcome="") & Q(inquiry_opened_on__lte=models.F("inquiry_closed_on"))),
                                   name="death_inquiry_closed_with_outcome_after_opening"),
            models.CheckConstraint(condition=Q(body_returned_at__isnull=True) | ~Q(body_returned_to=""),
                                   name="death_body_returned_to_whom"),
        ]

    def __str__(self):
        return _("Décès de %(who)s") % {"who": self.custody.inmate}

    @property
    def missing_notifications(self) -> list[str]:
        missing = []
        if self.kin_told_at is None:
            missing.append(_("Famille non prévenue (Règle 69)"))
        if self.authority_informed_at is None:
            missing.append(_("Autorité judiciaire non informée (Règle 71)"))
        return missing

    def clean(self):
        errors = {}
        now = latest_allowed()
        if not (self.circumstances or "").strip():
            errors["circumstances"] = _("Décrivez les circonstances du décès.")
        if not (self.place or "").strip():
            errors["place"] = _("Indiquez le lieu du décès.")
        if self.died_at and self.died_at > now:
            errors["died_at"] = _("La date est dans le futur.")
        if self.died_at and self.custody_id and self.died_at < self.custody.admitted_at:
            errors["died_at"] = _("Le décès ne peut précéder l'écrou.")
        for at, field in ((self.kin_told_at, "kin_told_at"), (self.authority_informed_at, "authority_informed_at")):
            if at and at > now:
                errors[field] = _("La date est dans le futur.")
            elif at and self.died_at and at < self.died_at:
                errors[field] = _("L'information ne peut précéder le décès.")
        if self.kin_told_at and not (self.kin_name or "").strip():
            errors["kin_name"] = _("Indiquez le parent prévenu.")
        if self.kin_told_at and not self.kin_method:
            errors["kin_method"] = _("Indiquez comment la famille a été prévenue.")
        if self.authority_informed_at and not (self.authority or "").strip():
            errors["authority"] = _("Indiquez l'autorité judiciaire informée.")
        if self.authority_informed_at and not self.authority_method:
            errors["authority_method"] = _("Indiquez comment l'autorité a été informée.")
        today = timezone.localdate()
        died_on = timezone.localtime(self.died_at).date() if self.died_at else None
        for on, field in ((self.inquiry_opened_on, "inquiry_opened_on"), (self.inquiry_closed_on, "inquiry_closed_on")):
            if on and on > today:
                errors[field] = _("La date est dans le futur.")
            elif on and died_on and on < died_on:
                errors[field] = _("L'enquête ne peut précéder le décès.")
        if (self.inquiry_opened_on or self.inquiry_outcome.strip()) and not self.inquiry_reference.strip():
            errors["inquiry_reference"] = _("Indiquez la référence de l'enquête (parquet, procès-verbal).")
        if self.inquiry_reference.strip() and not self.inquiry_authority.strip():
            errors["inquiry_authority"] = _("Indiquez l'autorité chargée de l'enquête.")
        if self.inquiry_closed_on and not self.inquiry_outcome.strip():
            errors["inquiry_outcome"] = _("Indiquez les conclusions de l'enquête close.")
        if self.inquiry_closed_on and not self.inquiry_opened_on:
            errors["inquiry_opened_on"] = _("Indiquez quand l'enquête a été ouverte.")
        elif (self.inquiry_closed_on and self.inquiry_opened_on and self.inquiry_closed_on < self.inquiry_opened_on
              and "inquiry_closed_on" not in errors):
            errors["inquiry_closed_on"] = _("L'enquête ne peut être close avant d'avoir été ouverte.")
        if self.body_returned_at and self.body_returned_at > now:
            errors["body_returned_at"] = _("La date est dans le futur.")
        elif self.body_returned_at and self.died_at and self.body_returned_at < self.died_at:
            errors["body_returned_at"] = _("La remise ne peut précéder le décès.")
        if self.body_returned_at and not self.body_returned_to.strip():
            errors["body_returned_to"] = _("Indiquez à qui la dépouille a été remise.")
        if self.body_returned_to.strip() and not self.body_returned_at:
            errors["body_returned_at"] = _("Indiquez quand la dépouille a été remise.")
        if errors:
            raise ValidationError(errors)

    @property
    def missing_follow_up(self) -> list[str]:
        """What the register still lacks after the notifications (Rules 71–72)."""
        missing = []
        if not self.inquiry_reference:
            missing.append(_("Enquête indépendante non inscrite (Règle 71)"))
        elif not self.inquiry_closed_on:
            missing.append(_("Enquête en cours : conclusions attendues"))
        if not self.body_returned_at:
            missing.append(_("Remise de la dépouille non inscrite (Règle 72)"))
        return missing
