"""Where a custody is inside its prison: the unit (cell), from a moment to another."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.ids import global_id
from prisons.dates import validate_past_date
from prisons.models import Unit

from .people import Custody


class PlacementQuerySet(models.QuerySet):
    def visible_to(self, user):
        ids = user.visible_facility_ids()
        return self if ids is None else self.filter(unit__facility_id__in=ids)

    def current(self):
        return self.filter(ended_at__isnull=True)


class Placement(models.Model):
    """A custody in a unit (cell), from a moment to another."""

    uid = global_id()

    custody = models.ForeignKey(Custody, on_delete=models.PROTECT, related_name="placements",
                                verbose_name=_("séjour"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="placements",
                             verbose_name=_("unité / cellule"))
    started_at = models.DateTimeField(_("depuis le"), validators=[validate_past_date])
    ended_at = models.DateTimeField(_("jusqu'au"), validators=[validate_past_date], null=True, blank=True)
    reason = models.CharField(_("motif"), max_length=255, blank=True)
    warning_override = models.TextField(
        _("motif malgré l'avertissement"), blank=True,
        help_text=_("Obligatoire si l'unité est pleine ou si le placement mélange des catégories."),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                   related_name="+", verbose_name=_("enregistré par"))

    objects = PlacementQuerySet.as_manager()

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(fields=["custody"], condition=Q(ended_at__isnull=True),
                                    name="one_open_placement_per_custody"),
            models.CheckConstraint(condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                                   name="placement_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.unit} ({self.started_at:%d/%m/%Y})"

    def clean(self):
        if self.unit_id and self.custody_id and self.unit.facility_id != self.custody.facility_id:
            raise ValidationError({"unit": _("Cette unité n'appartient pas à l'établissement du détenu.")})
