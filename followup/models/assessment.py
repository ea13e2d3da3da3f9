"""An assessment of needs: a person's answers to a published version of an instrument, a
justification and the assessor's conclusion — a judgement, with its date and author. Nothing
here turns answers into a classification (detention.Classification is set only by a person,
through detention.services.classify). A review is a new assessment that names the one it reviews:
the history stays."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.access import facility_scope
from core.ids import global_id
from inmates.models import Custody
from prisons.dates import validate_past_date, validate_scheduled_date

from .instrument import InstrumentVersion, Item


class AssessmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = facility_scope(user, "custody__facility_id")
        return self if scope is None else self.filter(scope)

    def latest_per_custody(self):
        newest = (Assessment.objects.filter(custody=models.OuterRef("custody"))
                  .order_by("-assessed_on", "-id").values("id")[:1])
        return self.filter(id=models.Subquery(newest))


class Assessment(models.Model):
    uid = global_id()
    custody = models.ForeignKey(Custody, on_delete=models.PROTECT, related_name="needs_assessments",
                                verbose_name=_("séjour"))
    version = models.ForeignKey(InstrumentVersion, on_delete=models.PROTECT, related_name="assessments",
                                verbose_name=_("instrument (version)"))
    reviews = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="reviewed_by",
                                verbose_name=_("révise l'évaluation"))
    assessed_on = models.DateField(_("évaluée le"), validators=[validate_past_date])
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("évaluateur"))
    justification = models.TextField(_("justification"))
    conclusion = models.TextField(_("conclusion de l'évaluateur"))
    next_review_on = models.DateField(_("prochaine révision le"), validators=[validate_scheduled_date])
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("évaluation des besoins")
        verbose_name_plural = _("évaluations des besoins")
        ordering = ["-assessed_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(next_review_on__gt=models.F("assessed_on")),
                                   name="assessment_review_after_assessment"),
        ]

    def __str__(self):
        return f"{self.custody.inmate} — {self.version} ({self.assessed_on:%d/%m/%Y})"

    def clean(self):
        errors = {}
        if not (self.justification or "").strip():
            errors["justification"] = _("Une évaluation se justifie.")
        if not (self.conclusion or "").strip():
            errors["conclusion"] = _("La conclusion de l'évaluateur est requise : c'est son jugement.")
        if self.assessed_on and self.next_review_on and self.next_review_on <= self.assessed_on:
            errors["next_review_on"] = _("La révision doit suivre l'évaluation.")
        if errors:
            raise ValidationError(errors)


class Answer(models.Model):
    uid = global_id()
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers",
                                   verbose_name=_("évaluation"))
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+", verbose_name=_("élément"))
    value = models.CharField(_("réponse"), max_length=40)
    note = models.TextField(_("observation"), blank=True)

    class Meta:
        verbose_name = _("réponse")
        verbose_name_plural = _("réponses")
        ordering = ["item__domain__order", "item__order", "id"]
        constraints = [models.UniqueConstraint(fields=["assessment", "item"], name="one_answer_per_item")]

    def __str__(self):
        return f"{self.item.code}: {self.value}"

    @property
    def label(self):
        return self.item.scale.label_of(self.value)
