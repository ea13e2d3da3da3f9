"""API representations of facilities and units. Input is checked for shape only; the
rules live in prisons.services."""

from rest_framework import serializers

from core.api import (
    ModelSerializer,
    StrictCharField,
    StrictFloatField,
    StrictIntegerField,
    StrictPrimaryKeyRelatedField,
)

from .models import Facility, Region, Unit


def region_code_field(**kwargs):
    """A region, in and out of the API, by its code (e.g. "BKO"); its name travels beside it
    (`…_name`), and GET /api/v1/regions/ lists them all."""
    kwargs.setdefault("help_text", "Code de la région (liste : GET /api/v1/regions/).")
    if not kwargs.get("read_only"):
        kwargs["queryset"] = Region.objects.all()
    return serializers.SlugRelatedField(slug_field="code", **kwargs)


class RegionSerializer(ModelSerializer):
    zone_display = StrictCharField(source="get_zone_display", read_only=True)

    class Meta:
        model = Region
        fields = ["code", "name", "zone", "zone_display"]
        read_only_fields = fields


class FacilitySerializer(ModelSerializer):
    """A facility with its occupancy now (needs `Facility.objects.with_occupancy()`)."""

    kind_display = StrictCharField(source="get_kind_display", read_only=True)
    status_display = StrictCharField(source="get_status_display", read_only=True)
    region = region_code_field(read_only=True)
    region_name = StrictCharField(source="region.name", read_only=True)
    held = StrictIntegerField(read_only=True, help_text="Personnes détenues (écrou en cours ou détenues).")
    untried = StrictIntegerField(read_only=True, help_text="Dont non condamnées (suspects, inculpés).")
    congestion_rate = StrictFloatField(
        read_only=True, allow_null=True, help_text="Taux d'occupation (%) : détenus ÷ capacité officielle."
    )

    class Meta:
        model = Facility
        fields = [
            "id", "code", "name", "kind", "kind_display", "region", "region_name", "town",
            "official_capacity", "held", "untried", "congestion_rate", "status", "status_display",
            "holds_men", "holds_women", "holds_adults", "holds_minors", "notes",
        ]
        read_only_fields = fields


class FacilityWriteSerializer(ModelSerializer):
    region = region_code_field()
    reason = StrictCharField(required=False, allow_blank=True, write_only=True,
                             help_text="Motif de la modification (journal d'audit).")

    class Meta:
        model = Facility
        fields = [
            "code", "name", "kind", "region", "town", "official_capacity", "status",
            "holds_men", "holds_women", "holds_adults", "holds_minors", "notes", "reason",
        ]
        # Uniqueness and the model's constraints are checked by the service's full_clean().
        validators = []
        extra_kwargs = {"code": {"validators": []}, "name": {"validators": []}}


class FacilityUpdateSerializer(FacilityWriteSerializer):
    """The code is not editable: it is part of the prisoner numbers already issued."""

    class Meta(FacilityWriteSerializer.Meta):
        fields = [f for f in FacilityWriteSerializer.Meta.fields if f != "code"]


class UnitSerializer(ModelSerializer):
    facility_code = StrictCharField(source="facility.code", read_only=True)
    kind_display = StrictCharField(source="get_kind_display", read_only=True)
    regime_display = StrictCharField(source="get_regime_display", read_only=True)
    occupants = StrictIntegerField(read_only=True, help_text="Personnes placées actuellement.")

    class Meta:
        model = Unit
        fields = [
            "id", "facility", "facility_code", "parent", "code", "name", "kind", "kind_display",
            "capacity", "occupants", "regime", "regime_display", "category", "is_active",
        ]
        read_only_fields = fields


class UnitWriteSerializer(ModelSerializer):
    """`facility` and `parent` are limited to what the user may see (set by the view)."""

    facility = StrictPrimaryKeyRelatedField(queryset=Facility.objects.none())
    parent = StrictPrimaryKeyRelatedField(queryset=Unit.objects.none(), required=False, allow_null=True)
    reason = StrictCharField(required=False, allow_blank=True, write_only=True,
                             help_text="Motif de la modification (journal d'audit).")

    class Meta:
        model = Unit
        fields = ["facility", "parent", "code", "name", "kind", "capacity", "regime", "category", "is_active",
                  "reason"]
        validators = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            if "facility" in self.fields:
                self.fields["facility"].queryset = Facility.objects.visible_to(request.user)
            self.fields["parent"].queryset = Unit.objects.visible_to(request.user)


class UnitUpdateSerializer(UnitWriteSerializer):
    """A unit stays in its facility (see prisons.services.UNIT_EDITABLE_FIELDS)."""

    class Meta(UnitWriteSerializer.Meta):
        fields = ["parent", "code", "name", "kind", "capacity", "regime", "category", "is_active", "reason"]

    facility = None
