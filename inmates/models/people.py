"""People held and each of their stays in the prison service (custody, earlier
custody), and the prisoner-number counter.

The legal status and the terrorism flag on a custody are written here by casework's
services, which keep them current.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.ids import global_id
from prisons.dates import validate_birth_date, validate_past_date
from prisons.models import HELD_STATUSES, Facility, Region

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
        from inmates.search import rank_search

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
        indexes = [
            models.Index(fields=["facility", "status"], name="custody_facility_status_idx"),
            # "No later stay" (Inmate.visible_to): one index probe per stay, not a scan of every
            # stay in the country (issue 17).
            models.Index(fields=["inmate", "admitted_at"], name="custody_inmate_admitted_idx"),
        ]
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
