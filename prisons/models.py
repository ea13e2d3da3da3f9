"""Facilities, units and the regions of Mali.

Occupancy is never typed in: it is counted from custodies and placements through their
reverse relations (`custodies`, `placements`), so this app imports nothing above it.
"""

from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

# Custody statuses that mean "physically held here". Kept as strings so that this app
# need not import `inmates` (see inmates.models.CustodyStatus, which must agree).
HELD_STATUSES = ("intake", "held")


class Zone(models.TextChoices):
    NORTH = "north", _("Nord")
    CENTRE = "centre", _("Centre")
    SOUTH = "south", _("Sud")


class Region(models.Model):
    code = models.CharField(_("code"), max_length=8, unique=True)
    name = models.CharField(_("nom"), max_length=80, unique=True)
    zone = models.CharField(_("zone"), max_length=8, choices=Zone.choices)

    class Meta:
        verbose_name = _("région")
        verbose_name_plural = _("régions")
        ordering = ["name"]

    def __str__(self):
        return self.name


class FacilityQuerySet(models.QuerySet):
    def visible_to(self, user):
        ids = user.visible_facility_ids()
        return self if ids is None else self.filter(pk__in=ids)

    def operational(self):
        return self.filter(status=FacilityStatus.OPERATIONAL)

    def with_occupancy(self):
        """Annotate `held` (people held now) and `untried` (of whom not convicted)."""
        held = Q(custodies__status__in=HELD_STATUSES)
        return self.annotate(
            held=Count("custodies", filter=held),
            untried=Count(
                "custodies", filter=held & Q(custodies__legal_status__in=("suspect", "charged"))
            ),
        )


class FacilityKind(models.TextChoices):
    CENTRAL = "central", _("Maison centrale d'arrêt")
    PRISON = "prison", _("Maison d'arrêt et de correction")
    WOMEN = "women", _("Centre de détention pour femmes")
    JUVENILE = "juvenile", _("Centre de rééducation pour mineurs")
    SPECIAL = "special", _("Centre spécialisé")


class FacilityStatus(models.TextChoices):
    OPERATIONAL = "operational", _("En service")
    DESTROYED = "destroyed", _("Détruit")
    RECONSTRUCTION = "reconstruction", _("En reconstruction")
    CLOSED = "closed", _("Fermé")


class Facility(models.Model):
    code = models.CharField(_("code"), max_length=10, unique=True,
                            help_text=_("Code court, utilisé dans les numéros d'écrou (ex. BKO)."))
    name = models.CharField(_("nom"), max_length=150, unique=True)
    kind = models.CharField(_("type"), max_length=12, choices=FacilityKind.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="facilities",
                               verbose_name=_("région"))
    town = models.CharField(_("localité"), max_length=80, blank=True)
    official_capacity = models.PositiveIntegerField(_("capacité officielle"))
    status = models.CharField(_("état"), max_length=16, choices=FacilityStatus.choices,
                              default=FacilityStatus.OPERATIONAL)
    holds_men = models.BooleanField(_("accueille des hommes"), default=True)
    holds_women = models.BooleanField(_("accueille des femmes"), default=False)
    holds_adults = models.BooleanField(_("accueille des majeurs"), default=True)
    holds_minors = models.BooleanField(_("accueille des mineurs"), default=False)
    notes = models.TextField(_("observations"), blank=True)

    objects = FacilityQuerySet.as_manager()

    class Meta:
        verbose_name = _("établissement pénitentiaire")
        verbose_name_plural = _("établissements pénitentiaires")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(holds_men=True) | Q(holds_women=True),
                                   name="facility_holds_some_sex"),
            models.CheckConstraint(condition=Q(holds_adults=True) | Q(holds_minors=True),
                                   name="facility_holds_some_age"),
        ]

    def __str__(self):
        return self.name

    @staticmethod
    def congestion(held, capacity):
        """Held ÷ official capacity, as a percentage (None when capacity is 0)."""
        if not capacity:
            return None
        return round(100 * held / capacity, 1)

    @property
    def congestion_rate(self):
        held = getattr(self, "held", None)
        if held is None:
            held = self.custodies.filter(status__in=HELD_STATUSES).count()
        return self.congestion(held, self.official_capacity)


class UnitQuerySet(models.QuerySet):
    def visible_to(self, user):
        ids = user.visible_facility_ids()
        return self if ids is None else self.filter(facility_id__in=ids)

    def with_occupancy(self):
        """Annotate `occupants`: the people placed now in the unit or, for a building, in its cells
        too (a building's real occupants are those of its units); `placed_here` counts only the
        people placed in the unit itself."""
        outer = models.OuterRef("pk")
        in_unit_or_cells = (
            Unit.objects.filter(Q(pk=outer) | Q(parent_id=outer), placements__ended_at__isnull=True)
            .order_by().values("facility_id").annotate(n=Count("placements")).values("n")
        )
        return self.annotate(
            occupants=Coalesce(models.Subquery(in_unit_or_cells), 0),
            placed_here=Count("placements", filter=Q(placements__ended_at__isnull=True)),
        )


class UnitKind(models.TextChoices):
    BLOCK = "block", _("Bâtiment / quartier")
    CELL = "cell", _("Cellule")
    DORMITORY = "dormitory", _("Dortoir")
    INFIRMARY = "infirmary", _("Infirmerie")
    ISOLATION = "isolation", _("Isolement")
    OTHER = "other", _("Autre")


class UnitCategory(models.TextChoices):
    """Whom a unit is set apart for (Mandela Rule 11): a prison that does not hold a category
    may still admit it when it has a unit for it (a women's or minors' quarter)."""

    GENERAL = "", _("Population de l'établissement")
    WOMEN = "women", _("Quartier des femmes")
    MINORS = "minors", _("Quartier des mineurs")


class Regime(models.TextChoices):
    STANDARD = "standard", _("Régime ordinaire")
    HIGH_SECURITY = "high_security", _("Haute sécurité")
    VEO = "veo", _("Quartier désigné (terrorisme)")
    SPECIAL = "special", _("Régime spécial")


class Unit(models.Model):
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="units",
                                 verbose_name=_("établissement"))
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="children", verbose_name=_("bâtiment"))
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("nom"), max_length=120)
    kind = models.CharField(_("type"), max_length=12, choices=UnitKind.choices, default=UnitKind.CELL)
    capacity = models.PositiveIntegerField(_("capacité"))
    regime = models.CharField(_("régime"), max_length=16, choices=Regime.choices, default=Regime.STANDARD)
    category = models.CharField(_("quartier réservé"), max_length=8, choices=UnitCategory.choices,
                                default=UnitCategory.GENERAL, blank=True)
    is_active = models.BooleanField(_("en service"), default=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unité / cellule")
        verbose_name_plural = _("unités / cellules")
        ordering = ["facility__name", "code"]
        constraints = [
            models.UniqueConstraint(fields=["facility", "code"], name="unit_code_unique_in_facility"),
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="unit_not_own_parent"),
        ]

    def __str__(self):
        return f"{self.name} ({self.facility.code})" if self.facility_id else self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.parent_id and self.parent.facility_id != self.facility_id:
            raise ValidationError({"parent": _("Le bâtiment doit appartenir au même établissement.")})

    @property
    def is_full(self):
        occupants = getattr(self, "occupants", None)
        if occupants is None:
            occupants = Unit.objects.with_occupancy().get(pk=self.pk).occupants
        return occupants >= self.capacity


def occupancy_text(occupants, capacity):
    """ "0 occupant pour 1 place", "12 occupants pour 40 places": how a unit's fill is written."""
    people = ngettext("%(n)d occupant", "%(n)d occupants", occupants) % {"n": occupants}
    places = ngettext("%(n)d place", "%(n)d places", capacity) % {"n": capacity}
    return gettext("%(occupants)s pour %(places)s") % {"occupants": people, "places": places}
