"""Activities (workshops, worship, classes…) and who is enrolled in them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.access import facility_scope as _facility_scope
from core.ids import global_id
from inmates.models import Custody
from prisons.dates import validate_scheduled_date
from prisons.models import Facility


class ActivityKind(models.TextChoices):
    TAILORING = "tailoring", _("Atelier de couture")
    MECHANICS = "mechanics", _("Atelier de mécanique")
    FARM = "farm", _("Jardin / parcelle agricole")
    KITCHEN = "kitchen", _("Cuisine")
    LIBRARY = "library", _("Bibliothèque")
    MOSQUE = "mosque", _("Mosquée")
    CHURCH = "church", _("Église")
    SCHOOLING = "schooling", _("Scolarité / alphabétisation")
    TRAINING = "training", _("Formation professionnelle")
    SPORT = "sport", _("Sport")
    OTHER = "other", _("Autre")


class ActivityQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = _facility_scope(user, "facility_id")
        return self if scope is None else self.filter(scope)

    def active(self):
        return self.filter(is_active=True)


class Activity(models.Model):
    """A workshop, place of worship, class… and which regimes and categories may attend.

    Terrorism-related detainees are often barred; recording who may attend makes the gap
    visible (DESIGN.md §5: equal access where possible)."""

    uid = global_id()

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="activities",
                                 verbose_name=_("établissement"))
    name = models.CharField(_("nom"), max_length=120)
    kind = models.CharField(_("type"), max_length=10, choices=ActivityKind.choices)
    open_to_regimes = models.JSONField(_("régimes admis"), default=list, blank=True,
                                       help_text=_("Régimes des unités dont les détenus peuvent participer."))
    open_to_untried = models.BooleanField(_("ouverte aux prévenus"), default=True)
    open_to_convicted = models.BooleanField(_("ouverte aux condamnés"), default=True)
    open_to_terrorism_related = models.BooleanField(_("ouverte aux personnes poursuivies ou condamnées "
                                                      "pour terrorisme"), default=False)
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    is_active = models.BooleanField(_("en service"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("créée par"))

    objects = ActivityQuerySet.as_manager()

    class Meta:
        db_table = "inmates_activity"
        verbose_name = _("activité")
        verbose_name_plural = _("activités")
        ordering = ["facility__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["facility", "name"], name="activity_name_unique_in_facility"),
            models.CheckConstraint(condition=Q(open_to_untried=True) | Q(open_to_convicted=True),
                                   name="activity_open_to_someone"),
        ]

    def __str__(self):
        return f"{self.name} ({self.facility.code})"

    def clean(self):
        from prisons.models import Regime

        regimes = self.open_to_regimes
        if not isinstance(regimes, list) or not regimes or any(r not in Regime.values for r in regimes):
            raise ValidationError({"open_to_regimes": _("Choisissez au moins un régime admis.")})

    def open_to_regimes_display(self):
        from prisons.models import Regime

        return [str(Regime(r).label) for r in self.open_to_regimes or []]

    def refusal_for(self, custody, unit):
        """Why `custody` (placed in `unit`) may not attend, or None."""
        if unit is None:
            return _("La personne n'est placée dans aucune unité.")
        if unit.regime not in (self.open_to_regimes or []):
            return _("Cette activité n'est pas ouverte au régime « %(r)s ».") % {"r": unit.get_regime_display()}
        if custody.terrorism_related and not self.open_to_terrorism_related:
            return _("Cette activité n'est pas ouverte aux personnes poursuivies ou condamnées pour terrorisme.")
        if custody.is_untried and not self.open_to_untried:
            return _("Cette activité n'est pas ouverte aux prévenus.")
        if not custody.is_untried and not self.open_to_convicted:
            return _("Cette activité n'est pas ouverte aux condamnés.")
        return None


class EnrolmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = _facility_scope(user, "activity__facility_id")
        return self if scope is None else self.filter(scope)

    def current(self):
        return self.filter(ended_on__isnull=True)


class Enrolment(models.Model):
    uid = global_id()
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="enrolments",
                                 verbose_name=_("activité"))
    custody = models.ForeignKey(Custody, on_delete=models.PROTECT, related_name="enrolments",
                                verbose_name=_("séjour"))
    started_on = models.DateField(_("depuis le"), validators=[validate_scheduled_date])
    ended_on = models.DateField(_("jusqu'au"), validators=[validate_scheduled_date], null=True, blank=True)
    end_reason = models.CharField(_("motif de fin"), max_length=200, blank=True)
    enrolled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("inscrit par"))

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        db_table = "inmates_enrolment"
        verbose_name = _("inscription à une activité")
        verbose_name_plural = _("inscriptions aux activités")
        ordering = ["-started_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "custody"], condition=Q(ended_on__isnull=True),
                                    name="one_current_enrolment_per_activity"),
            models.CheckConstraint(condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                                   name="enrolment_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.custody.inmate} — {self.activity.name}"
