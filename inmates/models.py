"""People held, their identity and family, and each stay in the prison service.

`inmates` knows nothing of cases or intake. The legal status and the terrorism flag on a
custody are written here by casework's services, which keep them current.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from prisons.models import HELD_STATUSES, Facility, Region, Unit

from .names import fold

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
        """People with a custody in one of the user's facilities (all for national roles)."""
        ids = user.visible_facility_ids()
        if ids is None:
            return self
        return self.filter(
            Exists(Custody.objects.filter(inmate=OuterRef("pk"), facility_id__in=ids))
        )

    def search(self, text):
        """Match every word of `text` against names, aliases and the prisoner number."""
        text = (text or "").strip()
        if not text:
            return self
        query = Q(prisoner_number__iexact=text)
        words = fold(text).split()
        if words:
            name_q = Q()
            for word in words:
                name_q &= Q(search_text__contains=word)
            query |= name_q
        return self.filter(query)


class Inmate(models.Model):
    """A person in the care of the prison service (one record per person, across stays)."""

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
    date_of_birth = models.DateField(_("date de naissance"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(
        _("année de naissance (estimée)"), null=True, blank=True,
        help_text=_("À défaut de date exacte."),
    )
    place_of_birth = models.CharField(_("lieu de naissance"), max_length=120, blank=True)
    region_of_origin = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("région d'origine"),
    )
    nationality = models.CharField(_("nationalité"), max_length=60, default="Malienne")
    languages = models.CharField(_("langues parlées"), max_length=200, blank=True,
                                 help_text=_("Ex. bambara, français, tamasheq"))
    photo = models.ImageField(_("photo"), upload_to="photos/%Y/", null=True, blank=True)
    search_text = models.TextField(editable=False, blank=True, db_index=False)
    version = models.PositiveIntegerField(default=1, editable=False)
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
        ]

    def __str__(self):
        number = f" [{self.prisoner_number}]" if self.prisoner_number else ""
        return f"{self.last_name.upper()} {self.first_name}{number}"

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name.upper()}"

    def clean(self):
        if self.date_of_birth and self.date_of_birth > timezone.localdate():
            raise ValidationError({"date_of_birth": _("La date de naissance est dans le futur.")})
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


class AliasKind(models.TextChoices):
    ALIAS = "alias", _("Surnom / nom de guerre")
    SPELLING = "spelling", _("Autre orthographe")
    PREVIOUS = "previous", _("Ancien nom")


class Alias(models.Model):
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

    inmate = models.ForeignKey(Inmate, on_delete=models.CASCADE, related_name="relatives",
                               verbose_name=_("détenu"))
    name = models.CharField(_("nom et prénom"), max_length=160)
    relation = models.CharField(_("lien"), max_length=14, choices=Relation.choices)
    is_next_of_kin = models.BooleanField(_("plus proche parent"), default=False)
    is_emergency_contact = models.BooleanField(_("contact en cas d'urgence"), default=False)
    phone = models.CharField(_("téléphone"), max_length=40, blank=True)
    address = models.CharField(_("adresse / localité"), max_length=200, blank=True)
    date_of_birth = models.DateField(_("date de naissance"), null=True, blank=True)
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
        ids = user.visible_facility_ids()
        return self if ids is None else self.filter(facility_id__in=ids)

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

    inmate = models.ForeignKey(Inmate, on_delete=models.PROTECT, related_name="custodies",
                               verbose_name=_("détenu"))
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="custodies",
                                 verbose_name=_("établissement actuel"))
    status = models.CharField(_("situation"), max_length=10, choices=CustodyStatus.choices,
                              default=CustodyStatus.INTAKE)
    admitted_at = models.DateTimeField(_("date et heure d'écrou"))
    released_at = models.DateTimeField(_("date et heure de sortie"), null=True, blank=True)
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
    arrested_at = models.DateTimeField(_("date et heure de l'arrestation"), null=True, blank=True)
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
        if self.admitted_at and self.admitted_at > timezone.now() + datetime.timedelta(minutes=5):
            raise ValidationError({"admitted_at": _("La date d'écrou est dans le futur.")})
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

    custody = models.ForeignKey(Custody, on_delete=models.CASCADE, related_name="prior_custodies",
                                verbose_name=_("séjour"))
    kind = models.CharField(_("type de lieu"), max_length=16, choices=PriorCustodyKind.choices)
    place = models.CharField(_("lieu"), max_length=160)
    authority = models.CharField(_("autorité responsable"), max_length=160, blank=True)
    started_at = models.DateTimeField(_("du"))
    ended_at = models.DateTimeField(_("au"), null=True, blank=True)
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

    custody = models.ForeignKey(Custody, on_delete=models.PROTECT, related_name="placements",
                                verbose_name=_("séjour"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="placements",
                             verbose_name=_("unité / cellule"))
    started_at = models.DateTimeField(_("depuis le"))
    ended_at = models.DateTimeField(_("jusqu'au"), null=True, blank=True)
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


# --- Structured social profile (DESIGN.md §5) and prisoner-number allocation ---------------


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

    inmate = models.OneToOneField(Inmate, on_delete=models.CASCADE, related_name="social_profile",
                                  verbose_name=_("détenu"))
    ethnic_group = models.CharField(_("groupe ethnique"), max_length=60, blank=True)
    religion = models.CharField(_("religion"), max_length=60, blank=True)
    education = models.CharField(_("niveau d'instruction"), max_length=12, choices=Education.choices,
                                 default=Education.UNKNOWN)
    occupation = models.CharField(_("profession / activité"), max_length=120, blank=True)
    marital_status = models.CharField(_("situation matrimoniale"), max_length=12,
                                      choices=MaritalStatus.choices, default=MaritalStatus.UNKNOWN)
    children_count = models.PositiveSmallIntegerField(_("nombre d'enfants"), null=True, blank=True)
    affiliations = models.JSONField(_("affiliation(s)"), default=list, blank=True,
                                    help_text=_("Plusieurs choix possibles."))
    involvement = models.CharField(_("type d'implication"), max_length=10, choices=Involvement.choices,
                                   blank=True)
    organisational_role = models.CharField(_("rôle dans l'organisation"), max_length=120, blank=True)
    engagement_reasons = models.JSONField(_("raisons de l'engagement"), default=list, blank=True,
                                          help_text=_("Plusieurs choix possibles."))
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                   related_name="+", verbose_name=_("renseigné par"))

    class Meta:
        verbose_name = _("profil social")
        verbose_name_plural = _("profils sociaux")

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
