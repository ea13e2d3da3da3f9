"""Preparing release: a reintegration checklist for a person whose release is foreseeable (the
sentence end computed by casework, or a long pre-trial stay), opened N months before
(settings.FOLLOWUP_REINTEGRATION_MONTHS)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.access import facility_scope
from core.ids import global_id
from inmates.models import Custody


class ChecklistBasis(models.TextChoices):
    SENTENCE_END = "sentence", _("Fin de peine calculée")
    LONG_PRETRIAL = "pretrial", _("Détention provisoire longue")


class ChecklistTopic(models.TextChoices):
    IDENTITY = "identity", _("Pièces d'identité")
    FAMILY = "family", _("Contact avec la famille")
    HOUSING = "housing", _("Lieu de vie à la sortie")
    WORK = "work", _("Travail ou formation")
    FOLLOW_UP = "follow_up", _("Suivi communautaire ou par une ONG")
    HEALTH = "health", _("Continuité des soins")
    PROPERTY = "property", _("Objets et argent à restituer")


class ChecklistQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = facility_scope(user, "custody__facility_id")
        return self if scope is None else self.filter(scope)


class ReintegrationChecklist(models.Model):
    uid = global_id()
    custody = models.OneToOneField(Custody, on_delete=models.PROTECT, related_name="reintegration_checklist",
                                   verbose_name=_("séjour"))
    basis = models.CharField(_("motif"), max_length=8, choices=ChecklistBasis.choices)
    foreseeable_release_on = models.DateField(_("sortie prévisible le"), null=True, blank=True)
    opened_on = models.DateField(_("ouverte le"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("ouverte par"))

    objects = ChecklistQuerySet.as_manager()

    class Meta:
        verbose_name = _("préparation à la sortie")
        verbose_name_plural = _("préparations à la sortie")
        ordering = ["foreseeable_release_on", "id"]

    def __str__(self):
        return f"{self.custody.inmate} — {self.get_basis_display()}"

    def open_items(self):
        return self.items.filter(done_on__isnull=True)


class ChecklistItem(models.Model):
    uid = global_id()
    checklist = models.ForeignKey(ReintegrationChecklist, on_delete=models.CASCADE, related_name="items",
                                  verbose_name=_("préparation"))
    topic = models.CharField(_("point"), max_length=10, choices=ChecklistTopic.choices)
    done_on = models.DateField(_("réglé le"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("réglé par"))
    note = models.TextField(_("ce qui est prévu"), blank=True)

    class Meta:
        verbose_name = _("point de la préparation")
        verbose_name_plural = _("points de la préparation")
        ordering = ["checklist", "id"]
        constraints = [models.UniqueConstraint(fields=["checklist", "topic"], name="one_item_per_topic")]

    def __str__(self):
        return self.get_topic_display()
