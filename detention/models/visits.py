"""Visits: the visitors, the visitors' register and each prison's visiting days."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.access import facility_scope as _facility_scope
from core.ids import global_id
from inmates.models import Custody
from prisons.dates import validate_past_date
from prisons.models import Facility


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("lundi")
    TUESDAY = 1, _("mardi")
    WEDNESDAY = 2, _("mercredi")
    THURSDAY = 3, _("jeudi")
    FRIDAY = 4, _("vendredi")
    SATURDAY = 5, _("samedi")
    SUNDAY = 6, _("dimanche")


DEFAULT_VISITING_DAYS = [Weekday.FRIDAY.value]


def default_visiting_days():
    return list(DEFAULT_VISITING_DAYS)


# The migrations name this default `detention.models.default_visiting_days` (where it was
# written before the package); it is re-exported there, and keeps that name for them.
default_visiting_days.__module__ = "detention.models"


class FacilityVisitingRule(models.Model):
    """The days a prison receives visitors (families often on Fridays). Lawyers: any day."""

    uid = global_id()

    facility = models.OneToOneField(Facility, on_delete=models.PROTECT, related_name="visiting_rule",
                                    verbose_name=_("établissement"))
    visiting_days = models.JSONField(_("jours de visite"), default=default_visiting_days,
                                     help_text=_("0 = lundi … 6 = dimanche."))
    notes = models.TextField(_("observations (horaires, conditions)"), blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                   related_name="+", verbose_name=_("modifié par"))
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        db_table = "inmates_facilityvisitingrule"
        verbose_name = _("jours de visite")
        verbose_name_plural = _("jours de visite")

    def __str__(self):
        return f"{self.facility.code}: {self.days_display()}"

    def clean(self):
        days = self.visiting_days
        if not isinstance(days, list) or any(d not in Weekday.values for d in days):
            raise ValidationError({"visiting_days": _("Jours de visite invalides.")})

    def days_display(self):
        return ", ".join(str(Weekday(d).label) for d in sorted(self.visiting_days))

    @staticmethod
    def days_for(facility):
        rule = FacilityVisitingRule.objects.filter(facility=facility).first()
        return sorted(rule.visiting_days) if rule else list(DEFAULT_VISITING_DAYS)


class IdDocumentKind(models.TextChoices):
    NATIONAL_ID = "national_id", _("Carte d'identité nationale")
    NINA = "nina", _("Fiche / carte NINA")
    PASSPORT = "passport", _("Passeport")
    CONSULAR = "consular", _("Carte consulaire")
    PROFESSIONAL = "professional", _("Carte professionnelle (avocat, ONG, ONU, CICR)")
    OTHER = "other", _("Autre pièce")


class Visitor(models.Model):
    """A person who visits, identified by an identity document."""

    uid = global_id()

    last_name = models.CharField(_("nom"), max_length=80)
    first_name = models.CharField(_("prénom(s)"), max_length=120)
    id_document_kind = models.CharField(_("pièce d'identité"), max_length=12, choices=IdDocumentKind.choices)
    id_document_number = models.CharField(_("numéro de la pièce"), max_length=40)
    phone = models.CharField(_("téléphone"), max_length=40, blank=True)
    organisation = models.CharField(_("organisation / barreau"), max_length=120, blank=True)

    class Meta:
        db_table = "inmates_visitor"
        verbose_name = _("visiteur")
        verbose_name_plural = _("visiteurs")
        ordering = ["last_name", "first_name"]
        constraints = [models.UniqueConstraint(fields=["id_document_kind", "id_document_number"],
                                               name="visitor_unique_document")]

    def __str__(self):
        return f"{self.last_name.upper()} {self.first_name}"


class VisitorKind(models.TextChoices):
    FAMILY = "family", _("Famille")
    LAWYER = "lawyer", _("Avocat")
    RELIGIOUS = "religious", _("Responsable religieux")
    ICRC = "icrc", _("CICR")
    NGO = "ngo", _("ONG")
    UN = "un", _("Nations unies")
    OTHER = "other", _("Autre")


class VisitQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = _facility_scope(user, "facility_id")
        return self if scope is None else self.filter(scope)


class Visit(models.Model):
    """One line of the visitors' register."""

    uid = global_id()

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("établissement"))
    custody = models.ForeignKey(Custody, on_delete=models.PROTECT, related_name="visits",
                                verbose_name=_("détenu visité"))
    visitor = models.ForeignKey(Visitor, on_delete=models.PROTECT, related_name="visits",
                                verbose_name=_("visiteur"))
    kind = models.CharField(_("qualité du visiteur"), max_length=10, choices=VisitorKind.choices)
    relation = models.CharField(_("lien avec le détenu"), max_length=80, blank=True)
    arrived_at = models.DateTimeField(_("entrée"), validators=[validate_past_date])
    left_at = models.DateTimeField(_("sortie"), validators=[validate_past_date], null=True, blank=True)
    items_brought = models.TextField(_("objets apportés (nourriture, vêtements…)"), blank=True)
    notes = models.TextField(_("observations"), blank=True)
    # A family visit outside the visiting days, authorised by the direction (recorded, with why).
    exception_authorised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True,
        verbose_name=_("exception autorisée par"))
    exception_reason = models.TextField(_("motif de l'exception aux jours de visite"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("enregistré par"))

    objects = VisitQuerySet.as_manager()

    class Meta:
        db_table = "inmates_visit"
        verbose_name = _("visite")
        verbose_name_plural = _("registre des visites")
        ordering = ["-arrived_at"]
        permissions = [("authorise_visit_exception", _("Autoriser une visite hors des jours de visite"))]
        indexes = [models.Index(fields=["facility", "arrived_at"], name="visit_facility_day_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(left_at__isnull=True) | Q(left_at__gte=models.F("arrived_at")),
                                   name="visit_leaves_after_arrival"),
            models.CheckConstraint(condition=Q(exception_authorised_by__isnull=True) | ~Q(exception_reason=""),
                                   name="visit_exception_has_reason"),
        ]

    def __str__(self):
        return f"{self.visitor} → {self.custody.inmate} ({self.arrived_at:%d/%m/%Y})"
