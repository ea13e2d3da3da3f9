"""Security risk classification (Rule 8) and its reviews."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.access import facility_scope as _facility_scope
from core.ids import global_id
from inmates.models import Custody
from prisons.dates import validate_past_date, validate_scheduled_date
from prisons.models import HELD_STATUSES


class Risk(models.TextChoices):
    HIGH = "high", _("Risque élevé")
    MEDIUM = "medium", _("Risque moyen")
    LOW = "low", _("Risque faible")


class ClassificationQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = _facility_scope(user, "custody__facility_id")
        return self if scope is None else self.filter(scope)

    def in_force(self):
        """The assessment in force for each custody (the most recent one)."""
        newest = (Classification.objects.filter(custody=OuterRef("custody"))
                  .order_by("-assessed_on", "-id").values("id")[:1])
        return self.filter(id=models.Subquery(newest))

    def review_overdue(self, *, on=None):
        """Assessments in force, of people still held, whose review date has passed."""
        day = on or timezone.localdate()
        return self.in_force().filter(custody__status__in=HELD_STATUSES, next_review_on__lt=day)


class Classification(models.Model):
    """A security risk assessment, made by a person about a person (Rule 8). Never automatic:
    the terrorism flag or the legal status never sets it."""

    uid = global_id()

    custody = models.ForeignKey(Custody, on_delete=models.PROTECT, related_name="classifications",
                                verbose_name=_("séjour"))
    risk = models.CharField(_("niveau de risque"), max_length=6, choices=Risk.choices)
    assessed_on = models.DateField(_("évalué le"), validators=[validate_past_date])
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("évaluateur"))
    reasons = models.TextField(_("motifs de l'évaluation individuelle"))
    next_review_on = models.DateField(_("prochaine révision le"), validators=[validate_scheduled_date])
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ClassificationQuerySet.as_manager()

    class Meta:
        db_table = "inmates_classification"
        verbose_name = _("classement de sécurité")
        verbose_name_plural = _("classements de sécurité")
        ordering = ["-assessed_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(next_review_on__gt=models.F("assessed_on")),
                                   name="classification_review_after_assessment"),
        ]

    def __str__(self):
        return f"{self.custody.inmate} — {self.get_risk_display()} ({self.assessed_on:%d/%m/%Y})"

    def clean(self):
        errors = {}
        if not (self.reasons or "").strip():
            errors["reasons"] = _("Une évaluation individuelle se motive.")
        if self.assessed_on and self.next_review_on and self.next_review_on <= self.assessed_on:
            errors["next_review_on"] = _("La révision doit suivre l'évaluation.")
        if errors:
            raise ValidationError(errors)
