"""Telling the family of admission, transfer, serious illness or death (Rules 68–70)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.access import facility_scope as _facility_scope
from core.ids import global_id
from inmates.models import Custody, NotificationMethod, Relative, Transfer
from prisons.dates import validate_past_date


class NotificationEvent(models.TextChoices):
    ADMISSION = "admission", _("Incarcération")
    TRANSFER = "transfer", _("Transfert")
    SERIOUS_ILLNESS = "illness", _("Maladie ou blessure grave")
    DEATH = "death", _("Décès")


class NotificationChoice(models.TextChoices):
    WISHES = "wishes", _("La personne demande que l'on prévienne ce contact")
    DECLINES = "declines", _("La personne ne souhaite pas que l'on prévienne sa famille")
    NOT_ASKED = "not_asked", _("Sans objet (décès : le plus proche parent est prévenu d'office)")


class FamilyNotificationQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = _facility_scope(user, "custody__facility_id")
        return self if scope is None else self.filter(scope)


class FamilyNotification(models.Model):
    """Telling the family of admission, transfer, serious illness or death (Rules 68–70),
    following the person's own choice of whom to tell (except death: next of kin at once)."""

    uid = global_id()

    custody = models.ForeignKey(Custody, on_delete=models.PROTECT, related_name="family_notifications",
                                verbose_name=_("séjour"))
    event = models.CharField(_("événement"), max_length=10, choices=NotificationEvent.choices)
    transfer = models.ForeignKey(Transfer, on_delete=models.PROTECT, related_name="family_notifications",
                                 null=True, blank=True, verbose_name=_("transfert"))
    choice = models.CharField(_("choix de la personne"), max_length=10, choices=NotificationChoice.choices)
    relative = models.ForeignKey(Relative, on_delete=models.PROTECT, related_name="+", null=True, blank=True,
                                 verbose_name=_("contact à prévenir"))
    contact_name = models.CharField(_("nom du contact"), max_length=160, blank=True)
    contact_phone = models.CharField(_("téléphone du contact"), max_length=40, blank=True)
    told_at = models.DateTimeField(_("prévenu le"), validators=[validate_past_date], null=True, blank=True)
    told_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                null=True, blank=True, verbose_name=_("prévenu par"))
    method = models.CharField(_("moyen"), max_length=10, choices=NotificationMethod.choices, blank=True)
    notes = models.TextField(_("observations"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("enregistré par"))
    recorded_at = models.DateTimeField(_("enregistré le"), auto_now_add=True)

    objects = FamilyNotificationQuerySet.as_manager()

    class Meta:
        db_table = "inmates_familynotification"
        verbose_name = _("information de la famille")
        verbose_name_plural = _("informations des familles")
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(choice="declines") | Q(told_at__isnull=True),
                                   name="family_not_told_against_choice"),
            models.CheckConstraint(condition=Q(told_at__isnull=True) | Q(told_by__isnull=False),
                                   name="family_told_by_someone"),
        ]

    def __str__(self):
        return f"{self.custody.inmate} — {self.get_event_display()}"

    def clean(self):
        errors = {}
        if self.event == NotificationEvent.DEATH and self.choice == NotificationChoice.DECLINES:
            errors["choice"] = _("En cas de décès, le plus proche parent est prévenu sans délai (Règle 69).")
        if self.choice == NotificationChoice.DECLINES and self.told_at:
            errors["told_at"] = _("La personne a refusé que sa famille soit prévenue.")
        if self.choice != NotificationChoice.DECLINES and not (self.relative_id or self.contact_name.strip()):
            errors["relative"] = _("Indiquez le contact à prévenir.")
        if self.told_at and not self.method:
            errors["method"] = _("Indiquez comment le contact a été prévenu.")
        if self.relative_id and self.custody_id and self.relative.inmate_id != self.custody.inmate_id:
            errors["relative"] = _("Ce contact n'est pas celui de cette personne.")
        if self.event == NotificationEvent.TRANSFER and self.transfer_id is None:
            errors["transfer"] = _("Indiquez le transfert concerné.")
        if errors:
            raise ValidationError(errors)
