"""Deadline alerts: what is approaching or overdue for a case or a release."""


from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from inmates.models import Custody

from .cases import Case


class AlertKind(models.TextChoices):
    APPROACHING = "approaching", _("Échéance proche")
    OVERDUE = "overdue", _("Délai dépassé sans prolongation")
    BEYOND_MAXIMUM = "beyond_max", _("Durée maximale dépassée")
    NO_HEARING = "no_hearing", _("Aucune audience depuis longtemps")
    NO_ORDER = "no_order", _("Aucun titre de détention au dossier")
    POLICE_CUSTODY = "police_custody", _("Garde à vue excessive avant l'écrou")
    RELEASE_DUE = "release_due", _("Décision de libération reçue : sortie à exécuter")
    LATE_RELEASE = "late_release", _("Sortie en retard sur la décision de libération")
    SENTENCE_ENDING = "sentence_ending", _("Fin de peine proche")
    SERVED_HELD = "served_held", _("Peine purgée, personne toujours détenue")
    # Opened at once by the director's decision to hold a person brought without a valid
    # title (intake.presentations), on the stay itself; critical until a title is received.
    NO_TITLE = "no_title", _("Retenu sans titre valable : régularisation à obtenir")


# Kinds about the pre-trial stage (swept from CaseDeadline); the others concern release.
PRETRIAL_ALERT_KINDS = ("approaching", "overdue", "beyond_max", "no_hearing", "no_order", "police_custody")
RELEASE_ALERT_KINDS = ("release_due", "late_release", "sentence_ending", "served_held")
# The most serious irregularities (LAW.md, release): a person held past a release order or past
# the sentence, or held without a title; then a detention past its limit. Shown first and in red,
# named first in the digest; the first three are also e-mailed to the direction and DNAPES at once.
RELEASE_IRREGULARITY_KINDS = ("late_release", "served_held", "no_title")
CRITICAL_ALERT_KINDS = (*RELEASE_IRREGULARITY_KINDS, "overdue", "beyond_max", "police_custody")


class AlertCloseReason(models.TextChoices):
    RENEWAL = "renewal", _("Prolongation enregistrée")
    DEADLINE_PASSED = "deadline_passed", _("Échéance passée (alerte « délai dépassé »)")
    JUDGMENT = "judgment", _("Jugement ou fin de la détention provisoire")
    RELEASE = "release", _("Sortie de détention")
    ORDER = "order", _("Titre de détention enregistré")
    HEARING = "hearing", _("Audience enregistrée")
    CHANGED = "changed", _("Dossier corrigé")
    LATE = "late", _("Délai d'exécution dépassé (alerte « sortie en retard »)")
    SENTENCE_SERVED = "sentence_served", _("Fin de peine atteinte (alerte « peine purgée »)")


class DeadlineAlertQuerySet(models.QuerySet):
    def visible_to(self, user):
        ids = user.visible_facility_ids()
        return self if ids is None else self.filter(custody__facility_id__in=ids)

    def open(self):
        return self.filter(closed_at__isnull=True)


class DeadlineAlert(models.Model):
    """A flag on a pre-trial detention. At most one open per (case, kind); closed ones are history.

    A person held with no case at all has nothing to compute a deadline from: the alert
    "no detention order on file" is then on the stay itself (`case` empty), one open per stay.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="alerts", verbose_name=_("affaire"),
                             null=True, blank=True)
    # Always set (the case's stay for a case alert): scoping and lists read it, not the case.
    custody = models.ForeignKey(Custody, on_delete=models.PROTECT, related_name="deadline_alerts",
                                verbose_name=_("séjour"), null=True)
    kind = models.CharField(_("type d'alerte"), max_length=16, choices=AlertKind.choices)
    due_on = models.DateField(_("date en cause"), null=True, blank=True)
    opened_at = models.DateTimeField(_("ouverte le"))
    closed_at = models.DateTimeField(_("close le"), null=True, blank=True)
    close_reason = models.CharField(_("motif de clôture"), max_length=16, choices=AlertCloseReason.choices,
                                    blank=True)

    objects = DeadlineAlertQuerySet.as_manager()

    class Meta:
        verbose_name = _("alerte de détention")
        verbose_name_plural = _("alertes de détention")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["kind", "closed_at"], name="alert_kind_closed_idx")]
        constraints = [
            models.UniqueConstraint(fields=["case", "kind"], condition=Q(closed_at__isnull=True),
                                    name="one_open_alert_per_case_and_kind"),
            models.UniqueConstraint(fields=["custody", "kind"], condition=Q(closed_at__isnull=True, case__isnull=True),
                                    name="one_open_caseless_alert_per_custody_and_kind"),
            models.CheckConstraint(condition=Q(closed_at__isnull=True) | ~Q(close_reason=""),
                                   name="closed_alert_has_reason"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.case or self.custody}"

    @property
    def is_open(self):
        return self.closed_at is None

    @property
    def is_critical(self):
        return self.kind in CRITICAL_ALERT_KINDS
