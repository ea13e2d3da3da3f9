"""Judgments: verdict, sentence and level (first instance, appeal)."""


from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.ids import global_id
from prisons.dates import validate_past_date, validate_scheduled_date

from .cases import Case


class Verdict(models.TextChoices):
    CONVICTED = "convicted", _("Condamnation")
    ACQUITTED = "acquitted", _("Acquittement / relaxe")
    DISMISSED = "dismissed", _("Non-lieu")


class JudgmentLevel(models.TextChoices):
    FIRST = "first", _("Premier ressort")
    APPEAL = "appeal", _("Appel")
    CASSATION = "cassation", _("Cassation")


# A prison sentence in months is at most 100 years; life is its own box (and keeps dates computable).
MAX_SENTENCE_MONTHS = 1200


class Judgment(models.Model):
    uid = global_id()
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="judgments",
                             verbose_name=_("affaire"))
    level = models.CharField(_("degré"), max_length=10, choices=JudgmentLevel.choices,
                             default=JudgmentLevel.FIRST)
    decided_on = models.DateField(_("rendu le"), validators=[validate_past_date])
    verdict = models.CharField(_("décision"), max_length=10, choices=Verdict.choices)
    sentence_months = models.PositiveIntegerField(
        _("peine d'emprisonnement (mois)"), null=True, blank=True,
        validators=[MaxValueValidator(MAX_SENTENCE_MONTHS, _("Au plus %(limit_value)s mois (100 ans) : pour une "
                                                             "perpétuité, cochez « réclusion à perpétuité »."))])
    life_sentence = models.BooleanField(_("perpétuité"), default=False)
    death_sentence = models.BooleanField(_("peine de mort"), default=False)
    suspended = models.BooleanField(_("avec sursis"), default=False)
    fine_xof = models.PositiveBigIntegerField(_("amende (FCFA)"), null=True, blank=True)
    sentence_starts_on = models.DateField(_("début d'exécution de la peine"), validators=[validate_scheduled_date], null=True, blank=True)
    appeal_filed_on = models.DateField(_("appel interjeté le"), validators=[validate_past_date], null=True, blank=True)
    appeal_by = models.CharField(_("appel formé par"), max_length=80, blank=True)
    notes = models.TextField(_("observations"), blank=True)

    class Meta:
        verbose_name = _("jugement")
        verbose_name_plural = _("jugements")
        ordering = ["decided_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(appeal_filed_on__isnull=True) | Q(appeal_filed_on__gte=models.F("decided_on")),
                                   name="appeal_after_judgment"),
            models.CheckConstraint(condition=Q(sentence_months__isnull=True)
                                   | Q(sentence_months__lte=MAX_SENTENCE_MONTHS), name="judgment_sentence_at_most_100_years"),
            models.CheckConstraint(condition=Q(verdict="convicted") | (Q(sentence_months__isnull=True)
                                   & Q(life_sentence=False) & Q(death_sentence=False)),
                                   name="sentence_only_on_conviction"),
        ]

    def __str__(self):
        return f"{self.get_verdict_display()} — {self.decided_on:%d/%m/%Y}"

    def clean(self):
        # A judgment that closes its case before the case opened would break the case's own
        # constraint (closed on or after opened): refused here, in French, before any write.
        if self.case_id and self.decided_on and self.case.opened_on and self.decided_on < self.case.opened_on:
            raise ValidationError({"decided_on": _(
                "Le jugement ne peut pas être antérieur à l'ouverture de l'affaire (le %(opened)s).")
                % {"opened": self.case.opened_on.strftime("%d/%m/%Y")}})
        if self.verdict == Verdict.CONVICTED and not (
            self.sentence_months or self.life_sentence or self.death_sentence or self.fine_xof
        ):
            raise ValidationError({"sentence_months": _("Indiquez la peine prononcée.")})
