"""Releases: the end of a stay, on what order, and the property returned."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.access import facility_scope as _facility_scope
from core.ids import global_id
from prisons.dates import validate_past_date

from .people import Custody, LegalStatus, ReleaseReason


class ReceiptAcknowledgement(models.TextChoices):
    SIGNATURE = "signature", _("Signature")
    THUMBPRINT = "thumbprint", _("Empreinte du pouce")
    REFUSED = "refused", _("Refus de signer (en présence d'un témoin)")


# Reasons for which an order (and its authority and reference) must be on file.
RELEASE_REASONS_WITHOUT_ORDER = (ReleaseReason.DEATH, ReleaseReason.ESCAPE)


class ReleaseQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = _facility_scope(user, "custody__facility_id")
        return self if scope is None else self.filter(scope)


class Release(models.Model):
    """The end of a stay: on what order, when it was received, when the person left, and
    the property returned against a signed receipt (Rule 67) with a file extract (Rule 9)."""

    uid = global_id()

    custody = models.OneToOneField(Custody, on_delete=models.PROTECT, related_name="release",
                                   verbose_name=_("séjour"))
    reason = models.CharField(_("motif de la sortie"), max_length=16, choices=ReleaseReason.choices)
    # The custody's legal status on the day the person left (the receipt prints it; the custody's
    # own status may still change later, when a judgment is recorded after the release).
    legal_status_at_release = models.CharField(_("statut juridique à la sortie"), max_length=10,
                                               choices=LegalStatus.choices, blank=True, editable=False)
    authority = models.CharField(_("autorité ayant ordonné la sortie"), max_length=160, blank=True)
    order_reference = models.CharField(_("référence de la décision"), max_length=80, blank=True)
    order_received_at = models.DateTimeField(_("décision reçue le"), validators=[validate_past_date])
    left_at = models.DateTimeField(_("sortie effective le"), validators=[validate_past_date])
    delay_hours = models.DecimalField(_("délai (heures)"), max_digits=8, decimal_places=1, editable=False,
                                      help_text=_("Entre la réception de la décision et la sortie."))
    property_returned = models.BooleanField(_("effets restitués"), default=False)
    receipt = models.CharField(_("reçu des effets"), max_length=10, choices=ReceiptAcknowledgement.choices,
                               blank=True)
    witness_name = models.CharField(_("témoin"), max_length=160, blank=True)
    property_notes = models.TextField(_("effets restitués / observations"), blank=True)
    file_extract_given = models.BooleanField(_("extrait du dossier remis"), default=False,
                                             help_text=_("Règle Nelson Mandela 9."))
    notes = models.TextField(_("observations"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("enregistré par"))
    recorded_at = models.DateTimeField(_("enregistré le"), auto_now_add=True)

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("sortie")
        verbose_name_plural = _("sorties")
        ordering = ["-left_at"]
        constraints = [
            models.CheckConstraint(condition=Q(left_at__gte=models.F("order_received_at")),
                                   name="release_leaves_after_order"),
            models.CheckConstraint(condition=Q(property_returned=False) | ~Q(receipt=""),
                                   name="release_property_against_receipt"),
            models.CheckConstraint(condition=~Q(receipt="refused") | ~Q(witness_name=""),
                                   name="release_refusal_needs_witness"),
        ]

    def __str__(self):
        return _("Sortie de %(who)s") % {"who": self.custody.inmate}

    def clean(self):
        errors = {}
        if self.reason and self.reason not in RELEASE_REASONS_WITHOUT_ORDER:
            if not self.authority.strip():
                errors["authority"] = _("Indiquez l'autorité qui a ordonné la sortie.")
            if not self.order_reference.strip():
                errors["order_reference"] = _("Indiquez la référence de la décision.")
        if self.left_at and self.order_received_at and self.left_at < self.order_received_at:
            errors["left_at"] = _("La sortie ne peut précéder la réception de la décision.")
        if self.property_returned and not self.receipt:
            errors["receipt"] = _("Les effets se restituent contre un reçu signé (Règle 67).")
        if self.receipt == ReceiptAcknowledgement.REFUSED and not self.witness_name.strip():
            errors["witness_name"] = _("Un refus de signer se constate devant un témoin.")
        if errors:
            raise ValidationError(errors)
