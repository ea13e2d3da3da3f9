"""The nightly deadline sweep's runs and the backlog snapshots it writes."""


from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class BacklogSnapshot(models.Model):
    """The backlog figures of one day, nationally (facility empty) or for one prison."""

    day = models.DateField(_("jour"))
    facility = models.ForeignKey("prisons.Facility", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("établissement"))
    figures = models.JSONField(_("chiffres"), default=dict)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("instantané du bilan de la détention provisoire")
        verbose_name_plural = _("instantanés du bilan de la détention provisoire")
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["day", "facility"], condition=Q(facility__isnull=False),
                                    name="one_snapshot_per_day_and_facility"),
            models.UniqueConstraint(fields=["day"], condition=Q(facility__isnull=True),
                                    name="one_national_snapshot_per_day"),
        ]

    def __str__(self):
        return f"{self._meta.verbose_name} — {self.day}"


class SweepRun(models.Model):
    """One run of the deadline sweep: its start tells the next run from when to look for changes."""

    day = models.DateField(_("jour de référence"))
    started_at = models.DateTimeField(_("début"))
    finished_at = models.DateTimeField(_("fin"), null=True, blank=True)
    refreshed = models.PositiveIntegerField(_("échéances recalculées"), default=0)
    opened = models.PositiveIntegerField(_("alertes ouvertes"), default=0)
    closed = models.PositiveIntegerField(_("alertes closes"), default=0)
    # Full: every deadline recomputed and every case swept (the weekly safety net, the first run,
    # a change of the limits table); otherwise only the cases whose state changes that day.
    full = models.BooleanField(_("balayage complet"), default=False)
    # Progress of a full run in the background: cases recomputed so far, out of `total`.
    total = models.PositiveIntegerField(_("affaires à recalculer"), default=0)
    done = models.PositiveIntegerField(_("affaires recalculées"), default=0)
    # The greatest case id when the run started: the next run looks for cases without a stored
    # deadline only above it (less a margin), not among every case.
    last_case_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("balayage des échéances")
        verbose_name_plural = _("balayages des échéances")
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self._meta.verbose_name} — {self.day}"

    @property
    def progress(self):
        """Percentage of the cases recomputed (None before the count is known)."""
        return None if not self.total else round(100 * self.done / self.total)
