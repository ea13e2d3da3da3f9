"""Detention orders (committal, renewals) and release orders."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.clock import is_future
from core.ids import global_id
from prisons.dates import validate_past_date, validate_scheduled_date

from .cases import Case


class OrderKind(models.TextChoices):
    CUSTODY_EXTENSION = "custody_ext", _("Autorisation de prolongation de garde à vue")
    COMMITTAL = "committal", _("Mandat de dépôt")
    ARREST_WARRANT = "arrest_warrant", _("Mandat d'arrêt")
    DETENTION = "detention", _("Ordonnance de placement en détention provisoire")
    RENEWAL = "renewal", _("Ordonnance de prolongation de détention")
    PROSECUTOR = "prosecutor", _("Mandat de dépôt du parquet (flagrant délit)")
    CONVICTION = "conviction", _("Extrait de jugement / réquisition d'incarcérer")


class DetentionOrder(models.Model):
    """A written order that authorises detention. A renewal is a further order."""

    uid = global_id()

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="detention_orders",
                             verbose_name=_("affaire"))
    kind = models.CharField(_("type de titre"), max_length=16, choices=OrderKind.choices)
    reference = models.CharField(_("référence"), max_length=60, blank=True)
    issued_on = models.DateField(_("délivré le"), validators=[validate_past_date])
    issued_by = models.CharField(_("délivré par"), max_length=160)
    valid_until = models.DateField(_("valable jusqu'au"), validators=[validate_scheduled_date], null=True, blank=True)
    renews = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="renewals", verbose_name=_("prolonge le titre"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("titre de détention")
        verbose_name_plural = _("titres de détention")
        ordering = ["issued_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("issued_on")),
                                   name="order_valid_after_issue"),
            models.CheckConstraint(condition=~Q(kind="renewal") | Q(renews__isnull=False),
                                   name="renewal_names_its_order"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} du {self.issued_on:%d/%m/%Y}"

    def clean(self):
        if self.renews_id and self.renews.case_id != self.case_id:
            raise ValidationError({"renews": _("Le titre prolongé doit appartenir à la même affaire.")})
        if self.kind == OrderKind.RENEWAL and not self.renews_id:
            raise ValidationError({"renews": _("Une prolongation doit indiquer le titre qu'elle prolonge.")})



# --- Release orders (LAW.md "Release"; Mandela Rule 7(e)) ------------------------------------


class ReleaseOrderKind(models.TextChoices):
    ACQUITTAL = "acquittal", _("Acquittement / relaxe")
    DISMISSAL = "dismissal", _("Non-lieu")
    PROVISIONAL = "provisional", _("Mise en liberté provisoire")
    SENTENCE_SERVED = "sentence_served", _("Fin de peine")
    PARDON = "pardon", _("Grâce")
    COURT_ORDER = "court_order", _("Ordonnance ou décision de mise en liberté")


class ReleaseOrderQuerySet(models.QuerySet):
    def visible_to(self, user):
        ids = user.visible_facility_ids()
        return self if ids is None else self.filter(case__custody__facility_id__in=ids)

    def pending(self):
        return self.filter(executed_at__isnull=True)

    def late(self, *, now, hours):
        """Executed more than `hours` after receipt, or still pending past that delay."""
        limit = datetime.timedelta(hours=hours)
        return self.filter(Q(executed_at__isnull=True, received_at__lte=now - limit)
                           | Q(executed_at__isnull=False, delay_hours__gt=hours))


class ReleaseOrder(models.Model):
    """A decision to release that reached the prison: the clock of Rule 7(e) starts on receipt."""

    uid = global_id()

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="release_orders",
                             verbose_name=_("affaire"))
    kind = models.CharField(_("type de décision"), max_length=16, choices=ReleaseOrderKind.choices)
    received_at = models.DateTimeField(_("reçue à l'établissement le"))
    brought_by = models.CharField(_("apportée par"), max_length=160)
    authority = models.CharField(_("autorité ayant ordonné la libération"), max_length=160)
    reference = models.CharField(_("référence de la décision"), max_length=80)
    issued_on = models.DateField(_("décision rendue le"), null=True, blank=True)
    notes = models.TextField(_("observations"), blank=True)
    release = models.OneToOneField("inmates.Release", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="release_order", verbose_name=_("sortie"))
    executed_at = models.DateTimeField(_("sortie effective le"), null=True, blank=True)
    delay_hours = models.DecimalField(_("délai d'exécution (heures)"), max_digits=8, decimal_places=1,
                                      null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("enregistrée par"))
    recorded_at = models.DateTimeField(_("enregistrée le"), auto_now_add=True)

    objects = ReleaseOrderQuerySet.as_manager()

    class Meta:
        verbose_name = _("décision de libération")
        verbose_name_plural = _("décisions de libération")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=Q(executed_at__isnull=True),
                                    name="one_pending_release_order_per_case"),
            models.CheckConstraint(condition=Q(executed_at__isnull=True) | Q(executed_at__gte=models.F("received_at")),
                                   name="release_order_executed_after_receipt"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.reference}"

    def clean(self):
        errors = {}
        if self.received_at and is_future(self.received_at):
            errors["received_at"] = _("La date de réception est dans le futur.")
        if self.issued_on and self.received_at and self.issued_on > timezone.localtime(self.received_at).date():
            errors["issued_on"] = _("La décision ne peut être rendue après sa réception.")
        for name in ("brought_by", "authority", "reference"):
            if not (getattr(self, name) or "").strip():
                errors[name] = _("Ce champ est obligatoire.")
        if errors:
            raise ValidationError(errors)

    def hours_waited(self, now=None):
        """Hours between receipt and exit (or now, while the person is still held)."""
        if self.delay_hours is not None:
            return self.delay_hours
        now = now or timezone.now()
        return Decimal(str(round((now - self.received_at).total_seconds() / 3600, 1)))
