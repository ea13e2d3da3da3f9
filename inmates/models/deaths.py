"""Deaths in custody (Mandela Rules 69–72)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.access import facility_scope as _facility_scope
from core.clock import latest_allowed
from core.ids import global_id

from .family import NotificationMethod
from .people import Custody


class DeathQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = _facility_scope(user, "custody__facility_id")
        return self if scope is None else self.filter(scope)

    def notifications_missing(self):
        return self.filter(Q(kin_told_at__isnull=True) | Q(authority_informed_at__isnull=True))


class DeathInCustody(models.Model):
    """A death in custody (Mandela Rules 69–72): the circumstances, the next of kin told at once
    (Rule 69) and a judicial authority independent of the prison informed (Rule 71). The stay
    ends with it (release reason "death"); a missing notification is a critical item on the file."""

    uid = global_id()

    custody = models.OneToOneField(Custody, on_delete=models.PROTECT, related_name="death",
                                   verbose_name=_("séjour"))
    died_at = models.DateTimeField(_("date et heure du décès"))
    place = models.CharField(_("lieu du décès"), max_length=160)
    circumstances = models.TextField(_("circonstances"))
    kin_told_at = models.DateTimeField(_("famille prévenue le"), null=True, blank=True)
    kin_told_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    null=True, blank=True, verbose_name=_("famille prévenue par"))
    kin_name = models.CharField(_("parent prévenu"), max_length=160, blank=True)
    kin_method = models.CharField(_("moyen"), max_length=10, choices=NotificationMethod.choices, blank=True)
    authority_informed_at = models.DateTimeField(_("autorité judiciaire informée le"), null=True, blank=True)
    authority_informed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                              related_name="+", null=True, blank=True,
                                              verbose_name=_("autorité informée par"))
    authority = models.CharField(_("autorité judiciaire informée"), max_length=160, blank=True)
    authority_method = models.CharField(_("moyen"), max_length=10, choices=NotificationMethod.choices,
                                        blank=True)
    authority_reference = models.CharField(_("référence (soit-transmis, procès-verbal…)"), max_length=80,
                                           blank=True)
    # Rule 71: the independent inquiry, followed to its outcome.
    inquiry_authority = models.CharField(_("autorité chargée de l'enquête"), max_length=160, blank=True)
    inquiry_reference = models.CharField(_("référence de l'enquête"), max_length=80, blank=True)
    inquiry_opened_on = models.DateField(_("enquête ouverte le"), null=True, blank=True)
    inquiry_outcome = models.TextField(_("conclusions de l'enquête"), blank=True)
    inquiry_closed_on = models.DateField(_("enquête close le"), null=True, blank=True)
    # Rule 72: the body treated with respect and returned to the next of kin.
    body_handling = models.TextField(_("prise en charge de la dépouille (examen, conservation)"), blank=True)
    body_returned_to = models.CharField(_("dépouille remise à"), max_length=160, blank=True)
    body_returned_at = models.DateTimeField(_("dépouille remise le"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("enregistré par"))
    recorded_at = models.DateTimeField(_("enregistré le"), auto_now_add=True)

    objects = DeathQuerySet.as_manager()

    class Meta:
        verbose_name = _("décès en détention")
        verbose_name_plural = _("décès en détention")
        ordering = ["-died_at"]
        constraints = [
            models.CheckConstraint(condition=Q(kin_told_at__isnull=True) | (Q(kin_told_by__isnull=False)
                                   & ~Q(kin_method="") & ~Q(kin_name="")), name="death_kin_told_by_whom_how"),
            models.CheckConstraint(condition=Q(authority_informed_at__isnull=True)
                                   | (Q(authority_informed_by__isnull=False) & ~Q(authority="")
                                      & ~Q(authority_method="")), name="death_authority_informed_by_whom_how"),
            models.CheckConstraint(condition=Q(inquiry_closed_on__isnull=True)
                                   | (~Q(inquiry_outcome="") & Q(inquiry_opened_on__lte=models.F("inquiry_closed_on"))),
                                   name="death_inquiry_closed_with_outcome_after_opening"),
            models.CheckConstraint(condition=Q(body_returned_at__isnull=True) | ~Q(body_returned_to=""),
                                   name="death_body_returned_to_whom"),
        ]

    def __str__(self):
        return _("Décès de %(who)s") % {"who": self.custody.inmate}

    @property
    def missing_notifications(self) -> list[str]:
        missing = []
        if self.kin_told_at is None:
            missing.append(_("Famille non prévenue (Règle 69)"))
        if self.authority_informed_at is None:
            missing.append(_("Autorité judiciaire non informée (Règle 71)"))
        return missing

    def clean(self):
        errors = {}
        now = latest_allowed()
        if not (self.circumstances or "").strip():
            errors["circumstances"] = _("Décrivez les circonstances du décès.")
        if not (self.place or "").strip():
            errors["place"] = _("Indiquez le lieu du décès.")
        if self.died_at and self.died_at > now:
            errors["died_at"] = _("La date est dans le futur.")
        if self.died_at and self.custody_id and self.died_at < self.custody.admitted_at:
            errors["died_at"] = _("Le décès ne peut précéder l'écrou.")
        for at, field in ((self.kin_told_at, "kin_told_at"), (self.authority_informed_at, "authority_informed_at")):
            if at and at > now:
                errors[field] = _("La date est dans le futur.")
            elif at and self.died_at and at < self.died_at:
                errors[field] = _("L'information ne peut précéder le décès.")
        if self.kin_told_at and not (self.kin_name or "").strip():
            errors["kin_name"] = _("Indiquez le parent prévenu.")
        if self.kin_told_at and not self.kin_method:
            errors["kin_method"] = _("Indiquez comment la famille a été prévenue.")
        if self.authority_informed_at and not (self.authority or "").strip():
            errors["authority"] = _("Indiquez l'autorité judiciaire informée.")
        if self.authority_informed_at and not self.authority_method:
            errors["authority_method"] = _("Indiquez comment l'autorité a été informée.")
        today = timezone.localdate()
        died_on = timezone.localtime(self.died_at).date() if self.died_at else None
        for on, field in ((self.inquiry_opened_on, "inquiry_opened_on"), (self.inquiry_closed_on, "inquiry_closed_on")):
            if on and on > today:
                errors[field] = _("La date est dans le futur.")
            elif on and died_on and on < died_on:
                errors[field] = _("L'enquête ne peut précéder le décès.")
        if (self.inquiry_opened_on or self.inquiry_outcome.strip()) and not self.inquiry_reference.strip():
            errors["inquiry_reference"] = _("Indiquez la référence de l'enquête (parquet, procès-verbal).")
        if self.inquiry_reference.strip() and not self.inquiry_authority.strip():
            errors["inquiry_authority"] = _("Indiquez l'autorité chargée de l'enquête.")
        if self.inquiry_closed_on and not self.inquiry_outcome.strip():
            errors["inquiry_outcome"] = _("Indiquez les conclusions de l'enquête close.")
        if self.inquiry_closed_on and not self.inquiry_opened_on:
            errors["inquiry_opened_on"] = _("Indiquez quand l'enquête a été ouverte.")
        elif (self.inquiry_closed_on and self.inquiry_opened_on and self.inquiry_closed_on < self.inquiry_opened_on
              and "inquiry_closed_on" not in errors):
            errors["inquiry_closed_on"] = _("L'enquête ne peut être close avant d'avoir été ouverte.")
        if self.body_returned_at and self.body_returned_at > now:
            errors["body_returned_at"] = _("La date est dans le futur.")
        elif self.body_returned_at and self.died_at and self.body_returned_at < self.died_at:
            errors["body_returned_at"] = _("La remise ne peut précéder le décès.")
        if self.body_returned_at and not self.body_returned_to.strip():
            errors["body_returned_to"] = _("Indiquez à qui la dépouille a été remise.")
        if self.body_returned_to.strip() and not self.body_returned_at:
            errors["body_returned_at"] = _("Indiquez quand la dépouille a été remise.")
        if errors:
            raise ValidationError(errors)

    @property
    def missing_follow_up(self) -> list[str]:
        """What the register still lacks after the notifications (Rules 71–72)."""
        missing = []
        if not self.inquiry_reference:
            missing.append(_("Enquête indépendante non inscrite (Règle 71)"))
        elif not self.inquiry_closed_on:
            missing.append(_("Enquête en cours : conclusions attendues"))
        if not self.body_returned_at:
            missing.append(_("Remise de la dépouille non inscrite (Règle 72)"))
        return missing
