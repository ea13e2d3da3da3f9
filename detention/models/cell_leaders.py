"""Cell leaders, chosen by the occupants with staff agreement (DESIGN.md §5)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.access import facility_scope as _facility_scope
from core.ids import global_id
from inmates.models import Custody
from prisons.dates import validate_past_date
from prisons.models import Unit


class CellLeaderQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = _facility_scope(user, "unit__facility_id")
        return self if scope is None else self.filter(scope)

    def current(self):
        return self.filter(ended_at__isnull=True)


class CellLeader(models.Model):
    """The leader of a cell, chosen by its occupants with staff agreement (DESIGN.md §5)."""

    uid = global_id()

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="cell_leaders",
                             verbose_name=_("unité / cellule"))
    custody = models.ForeignKey(Custody, on_delete=models.PROTECT, related_name="cell_leaderships",
                                verbose_name=_("séjour"))
    started_at = models.DateTimeField(_("depuis le"), validators=[validate_past_date])
    ended_at = models.DateTimeField(_("jusqu'au"), validators=[validate_past_date], null=True, blank=True)
    end_reason = models.CharField(_("motif de fin"), max_length=200, blank=True)
    appointed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("désigné par"))
    agreement_noted = models.BooleanField(
        _("accord du personnel constaté"), default=False,
        help_text=_("Choisi par les détenus de la cellule, avec l'accord du personnel."))
    agreement_notes = models.TextField(_("comment le choix a été fait"), blank=True)

    objects = CellLeaderQuerySet.as_manager()

    class Meta:
        db_table = "inmates_cellleader"
        verbose_name = _("chef de cellule")
        verbose_name_plural = _("chefs de cellule")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(fields=["unit"], condition=Q(ended_at__isnull=True),
                                    name="one_current_leader_per_unit"),
            models.CheckConstraint(condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                                   name="cell_leader_ends_after_start"),
            models.CheckConstraint(condition=Q(agreement_noted=True), name="cell_leader_agreement_noted"),
        ]

    def __str__(self):
        return f"{self.custody.inmate} — {self.unit}"

    def clean(self):
        if not self.agreement_noted:
            raise ValidationError({"agreement_noted": _("L'accord du personnel doit être constaté.")})
