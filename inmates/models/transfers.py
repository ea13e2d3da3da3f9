"""Transfers of a custody from one prison to another."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.access import facility_scope as _facility_scope
from core.ids import global_id
from prisons.dates import validate_past_date
from prisons.models import Facility, Unit

from .people import Custody


class TransferStatus(models.TextChoices):
    REQUESTED = "requested", _("Demandé")
    APPROVED = "approved", _("Approuvé")
    DEPARTED = "departed", _("Parti (en route)")
    ARRIVED = "arrived", _("Arrivé")
    CANCELLED = "cancelled", _("Annulé")


OPEN_TRANSFER_STATUSES = (TransferStatus.REQUESTED, TransferStatus.APPROVED, TransferStatus.DEPARTED)


class TransferQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Both prisons see a transfer: the receiving one sees the arrival coming."""
        scope = _facility_scope(user, "from_facility_id", "to_facility_id")
        return self if scope is None else self.filter(scope)

    def open(self):
        return self.filter(status__in=OPEN_TRANSFER_STATUSES)

    def outgoing(self, facility):
        return self.filter(from_facility=facility)

    def incoming(self, facility):
        return self.filter(to_facility=facility)


class Transfer(models.Model):
    """A move of a custody from one prison to another, in four recorded steps.

    The custody's facility changes only on arrival; between departure and arrival the
    person is in the escort's charge (no unit), never in two prisons and never in none.
    """

    uid = global_id()

    custody = models.ForeignKey(Custody, on_delete=models.PROTECT, related_name="transfers",
                                verbose_name=_("séjour"))
    from_facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+",
                                      verbose_name=_("établissement de départ"))
    to_facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("établissement d'accueil"))
    status = models.CharField(_("état"), max_length=10, choices=TransferStatus.choices,
                              default=TransferStatus.REQUESTED)
    reason = models.TextField(_("motif du transfert"))
    escort = models.CharField(_("escorte"), max_length=200, blank=True,
                              help_text=_("Unité, chef d'escorte, véhicule."))
    property_seal_number = models.CharField(_("scellé des effets"), max_length=40, blank=True)
    property_notes = models.TextField(_("effets remis à l'escorte"), blank=True,
                                      help_text=_("Les effets personnels suivent la personne."))
    property_received_notes = models.TextField(_("effets reçus à l'arrivée"), blank=True)
    requested_at = models.DateTimeField(_("demandé le"), validators=[validate_past_date])
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("demandé par"))
    approved_at = models.DateTimeField(_("approuvé le"), validators=[validate_past_date], null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    null=True, blank=True, verbose_name=_("approuvé par"))
    departed_at = models.DateTimeField(_("parti le"), validators=[validate_past_date], null=True, blank=True)
    departed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    null=True, blank=True, verbose_name=_("départ enregistré par"))
    arrived_at = models.DateTimeField(_("arrivé le"), validators=[validate_past_date], null=True, blank=True)
    arrived_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   null=True, blank=True, verbose_name=_("arrivée enregistrée par"))
    arrival_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", null=True, blank=True,
                                     verbose_name=_("unité d'arrivée"))
    cancelled_at = models.DateTimeField(_("annulé le"), validators=[validate_past_date], null=True, blank=True)
    cancelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     null=True, blank=True, verbose_name=_("annulé par"))
    cancel_reason = models.TextField(_("motif de l'annulation"), blank=True)

    objects = TransferQuerySet.as_manager()

    class Meta:
        verbose_name = _("transfert")
        verbose_name_plural = _("transferts")
        ordering = ["-requested_at", "-id"]
        permissions = [("approve_transfer", _("Approuver un transfert"))]
        indexes = [models.Index(fields=["to_facility", "status"], name="transfer_to_status_idx"),
                   models.Index(fields=["from_facility", "status"], name="transfer_from_status_idx")]
        constraints = [
            models.UniqueConstraint(fields=["custody"], condition=Q(status__in=OPEN_TRANSFER_STATUSES),
                                    name="one_open_transfer_per_custody"),
            models.CheckConstraint(condition=~Q(from_facility=models.F("to_facility")),
                                   name="transfer_between_two_facilities"),
            models.CheckConstraint(
                condition=Q(status="arrived", arrived_at__isnull=False) | ~Q(status="arrived"),
                name="transfer_arrived_has_time"),
            models.CheckConstraint(
                condition=Q(status="departed", departed_at__isnull=False) | ~Q(status="departed"),
                name="transfer_departed_has_time"),
        ]

    def __str__(self):
        return _("Transfert %(id)s : %(src)s → %(dst)s") % {
            "id": self.pk or "", "src": self.from_facility.code, "dst": self.to_facility.code}

    @property
    def is_open(self):
        return self.status in OPEN_TRANSFER_STATUSES

    @property
    def in_transit(self):
        return self.status == TransferStatus.DEPARTED
