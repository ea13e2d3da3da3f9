"""Hearings of a case."""


from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.ids import global_id
from prisons.dates import validate_scheduled_date

from .cases import Case


class HearingKind(models.TextChoices):
    FIRST_APPEARANCE = "first_appearance", _("Première comparution")
    EXAMINATION = "examination", _("Interrogatoire / audition")
    TRIAL = "trial", _("Audience de jugement")
    APPEAL = "appeal", _("Audience d'appel")
    DETENTION_REVIEW = "detention_review", _("Débat sur la détention")
    OTHER = "other", _("Autre")


class HearingOutcome(models.TextChoices):
    SCHEDULED = "scheduled", _("Prévue")
    HELD = "held", _("Tenue")
    ADJOURNED = "adjourned", _("Renvoyée")
    JUDGMENT = "judgment", _("Mise en délibéré / jugement")
    NOT_PRODUCED = "not_produced", _("Détenu non extrait")


class Hearing(models.Model):
    uid = global_id()
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="hearings",
                             verbose_name=_("affaire"))
    date = models.DateField(_("date"), validators=[validate_scheduled_date])
    kind = models.CharField(_("type"), max_length=18, choices=HearingKind.choices)
    outcome = models.CharField(_("issue"), max_length=14, choices=HearingOutcome.choices,
                               default=HearingOutcome.SCHEDULED)
    adjourned_to = models.DateField(_("renvoyée au"), validators=[validate_scheduled_date], null=True, blank=True)
    notes = models.TextField(_("observations"), blank=True)

    class Meta:
        verbose_name = _("audience")
        verbose_name_plural = _("audiences")
        ordering = ["date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(adjourned_to__isnull=True) | Q(adjourned_to__gt=models.F("date")),
                                   name="hearing_adjourned_to_later"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.date:%d/%m/%Y}"

    def clean(self):
        if self.outcome == HearingOutcome.ADJOURNED and not self.adjourned_to:
            raise ValidationError({"adjourned_to": _("Indiquez la date de renvoi.")})
