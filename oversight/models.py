"""The daily occupancy snapshot, kept for the trend (figures counted from the records)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OccupancySnapshot(models.Model):
    """One day's occupancy of one facility, or of the whole country (facility empty).

    Written by the nightly job (`snapshot_occupancy`); rewritten in place if it runs again.
    """

    day = models.DateField(_("jour"))
    facility = models.ForeignKey("prisons.Facility", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("établissement"))
    held = models.PositiveIntegerField(_("détenus"))
    capacity = models.PositiveIntegerField(_("capacité officielle"))
    untried = models.PositiveIntegerField(_("non jugés"))
    figures = models.JSONField(_("détail"), default=dict, help_text=_("Chiffres du jour, par unité."))
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("relevé d'occupation")
        verbose_name_plural = _("relevés d'occupation")
        ordering = ["-day"]
        default_permissions = ("view",)
        permissions = [("view_reports", _("Consulter les rapports de supervision")),
                       ("view_roll", _("Consulter l'appel du soir de son établissement"))]
        constraints = [
            models.UniqueConstraint(fields=["day", "facility"], name="one_occupancy_snapshot_per_facility_day"),
            models.UniqueConstraint(fields=["day"], condition=Q(facility__isnull=True),
                                    name="one_national_occupancy_snapshot_per_day"),
        ]
        indexes = [models.Index(fields=["facility", "day"], name="occupancy_snapshot_fac_day")]

    def __str__(self):
        return f"{self.day} {self.facility_id or 'national'}: {self.held}/{self.capacity}"
