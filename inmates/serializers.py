"""API representations of people, custodies and placements.

Input serializers check shape and types only; every rule lives in inmates.services.
Wherever the terrorism flag appears, the legal status appears beside it (presumption of
innocence).
"""

from django.db.models import Exists, OuterRef
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api import (
    ModelSerializer,
    StrictBooleanField,
    StrictCharField,
    StrictFloatField,
    StrictIntegerField,
    StrictPrimaryKeyRelatedField,
)
from prisons.models import Facility, Unit
from prisons.serializers import region_code_field

from .models import (
    Alias,
    ArrestingForce,
    Custody,
    Inmate,
    Placement,
    PriorCustody,
    Relative,
    Release,
    ReleaseReason,
    Transfer,
)
from .services import CUSTODY_EDITABLE_FIELDS, INMATE_EDITABLE_FIELDS


def current_placement(custody):
    """The open placement among the custody's (prefetched) placements, or None."""
    return next((p for p in custody.placements.all() if p.ended_at is None), None)


class AliasSerializer(ModelSerializer):
    class Meta:
        model = Alias
        fields = ["id", "name", "kind"]
        read_only_fields = ["id"]


class RelativeSerializer(ModelSerializer):
    relation_display = StrictCharField(source="get_relation_display", read_only=True)

    class Meta:
        model = Relative
        fields = [
            "id", "name", "relation", "relation_display", "is_next_of_kin", "is_emergency_contact",
            "phone", "address", "date_of_birth", "age_years", "whereabouts", "caregiver", "notes",
        ]
        read_only_fields = ["id"]


class PriorCustodySerializer(ModelSerializer):
    kind_display = StrictCharField(source="get_kind_display", read_only=True)
    duration_hours = StrictFloatField(read_only=True, allow_null=True)

    class Meta:
        model = PriorCustody
        fields = ["id", "kind", "kind_display", "place", "authority", "started_at", "ended_at",
                  "duration_hours", "notes"]
        read_only_fields = ["id"]


class PlacementSerializer(ModelSerializer):
    unit_code = StrictCharField(source="unit.code", read_only=True)
    unit_name = StrictCharField(source="unit.name", read_only=True)
    created_by_name = serializers.SerializerMethodField()

    class Meta:
        model = Placement
        fields = ["id", "unit", "unit_code", "unit_name", "started_at", "ended_at", "reason",
                  "warning_override", "created_by_name"]
        read_only_fields = fields

    def get_created_by_name(self, obj) -> str:
        return str(obj.created_by) if obj.created_by_id else ""


class CustodySummarySerializer(ModelSerializer):
    """Where a person is now: facility, unit, situation, legal status with the terrorism flag."""

    facility_code = StrictCharField(source="facility.code", read_only=True)
    facility_name = StrictCharField(source="facility.name", read_only=True)
    status_display = StrictCharField(source="get_status_display", read_only=True)
    legal_status_display = StrictCharField(source="get_legal_status_display", read_only=True)
    unit = serializers.SerializerMethodField()
    unit_name = serializers.SerializerMethodField()

    class Meta:
        model = Custody
        fields = ["id", "facility", "facility_code", "facility_name", "unit", "unit_name", "status",
                  "status_display", "admitted_at", "released_at", "legal_status", "legal_status_display",
                  "terrorism_related"]
        read_only_fields = fields

    def get_unit(self, obj) -> int | None:
        placement = current_placement(obj)
        return placement.unit_id if placement else None

    def get_unit_name(self, obj) -> str | None:
        placement = current_placement(obj)
        return placement.unit.name if placement else None


class CustodySerializer(CustodySummarySerializer):
    """A stay in full: arrest record, the arrest chain (prior custodies) and placements."""

    inmate_name = StrictCharField(source="inmate.full_name", read_only=True)
    prisoner_number = StrictCharField(source="inmate.prisoner_number", read_only=True, allow_null=True)
    arrest_region = region_code_field(read_only=True, allow_null=True)
    arrest_region_name = StrictCharField(source="arrest_region.name", read_only=True, allow_null=True,
                                         default=None)
    # Blank until release / when unknown: declared so the schema's enum admits "".
    release_reason = serializers.ChoiceField(choices=ReleaseReason.choices, allow_blank=True, read_only=True)
    arresting_force = serializers.ChoiceField(choices=ArrestingForce.choices, allow_blank=True, read_only=True)
    release_reason_display = StrictCharField(source="get_release_reason_display", read_only=True)
    arresting_force_display = StrictCharField(source="get_arresting_force_display", read_only=True)
    first_custody_at = serializers.SerializerMethodField()
    days_held = StrictIntegerField(read_only=True)
    prior_custodies = PriorCustodySerializer(many=True, read_only=True)
    placements = PlacementSerializer(many=True, read_only=True)

    class Meta(CustodySummarySerializer.Meta):
        fields = [
            "id", "inmate", "inmate_name", "prisoner_number",
            *[f for f in CustodySummarySerializer.Meta.fields if f != "id"],
            "release_reason", "release_reason_display",
            "arresting_force", "arresting_force_display", "arresting_unit", "arrested_at", "arrest_place",
            "arrest_region", "arrest_region_name", "grounds", "committing_authority", "first_custody_at", "days_held",
            "prior_custodies", "placements",
        ]
        read_only_fields = fields

    def get_first_custody_at(self, obj) -> str:
        return serializers.DateTimeField().to_representation(obj.first_custody_at())


def _latest(custodies):
    return custodies[0] if custodies else None


class InmateListSerializer(ModelSerializer):
    """One row of the list: identity and where the person is, with legal status."""

    sex_display = StrictCharField(source="get_sex_display", read_only=True)
    age = StrictIntegerField(read_only=True, allow_null=True)
    age_is_estimated = StrictBooleanField(read_only=True)
    possible_minor = StrictBooleanField(read_only=True, help_text="Mineur possible — âge à vérifier.")
    current_custody = serializers.SerializerMethodField(
        help_text="Le séjour en cours, ou le dernier séjour si la personne est sortie."
    )

    class Meta:
        model = Inmate
        fields = ["id", "prisoner_number", "last_name", "first_name", "sex", "sex_display", "age",
                  "age_is_estimated", "possible_minor", "current_custody", "archived_at"]
        read_only_fields = fields

    @extend_schema_field(CustodySummarySerializer(allow_null=True))
    def get_current_custody(self, obj):
        custody = _latest(obj.custodies.all())
        return CustodySummarySerializer(custody).data if custody else None


class InmateDetailSerializer(ModelSerializer):
    """A prisoner file: identity, other names, family and every stay."""

    sex_display = StrictCharField(source="get_sex_display", read_only=True)
    region_of_origin = region_code_field(read_only=True, allow_null=True)
    region_of_origin_name = StrictCharField(source="region_of_origin.name", read_only=True,
                                            allow_null=True, default=None)
    age = StrictIntegerField(read_only=True, allow_null=True)
    age_is_estimated = StrictBooleanField(read_only=True)
    is_minor = StrictBooleanField(read_only=True)
    possible_minor = StrictBooleanField(read_only=True, help_text="Mineur possible — âge à vérifier.")
    aliases = AliasSerializer(many=True, read_only=True)
    relatives = RelativeSerializer(many=True, read_only=True)
    custodies = CustodySerializer(many=True, read_only=True)
    current_custody = serializers.SerializerMethodField()

    class Meta:
        model = Inmate
        fields = [
            "id", "prisoner_number", "version", *INMATE_EDITABLE_FIELDS, "region_of_origin_name", "sex_display", "age",
            "age_is_estimated", "is_minor", "possible_minor", "age_verified_at", "age_evidence", "current_custody",
            "aliases", "relatives", "custodies", "created_at", "updated_at", "archived_at",
        ]
        read_only_fields = fields

    @extend_schema_field(CustodySummarySerializer(allow_null=True))
    def get_current_custody(self, obj):
        custody = _latest(obj.custodies.all())
        return CustodySummarySerializer(custody).data if custody else None


class AgeVerificationSerializer(serializers.Serializer):
    evidence = StrictCharField(max_length=200, help_text="Pièce ou examen ayant établi l'âge.")
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    birth_year = StrictIntegerField(required=False, allow_null=True, min_value=1900, max_value=2100)


class InmateUpdateSerializer(ModelSerializer):
    region_of_origin = region_code_field(required=False, allow_null=True)
    reason = StrictCharField(required=False, allow_blank=True,
                             help_text="Motif de la correction (obligatoire si quelque chose change).")
    version = StrictIntegerField(min_value=1, help_text=(
        "Obligatoire : la version lue dans le dossier. Absente : 428 ; si le dossier a changé depuis : 409."))

    class Meta:
        model = Inmate
        fields = [*INMATE_EDITABLE_FIELDS, "reason", "version"]
        validators = []


class AliasInputSerializer(ModelSerializer):
    class Meta:
        model = Alias
        fields = ["name", "kind"]
        validators = []


class RelativeInputSerializer(ModelSerializer):
    class Meta:
        model = Relative
        fields = [f for f in RelativeSerializer.Meta.fields if f not in ("id", "relation_display")]


class PriorCustodyInputSerializer(ModelSerializer):
    class Meta:
        model = PriorCustody
        fields = ["kind", "place", "authority", "started_at", "ended_at", "notes"]
        validators = []


class CustodyCreateSerializer(ModelSerializer):
    """Admission of a person to a facility. `inmate` and `facility` are limited to what the
    user may see; a person registered but never admitted anywhere may be admitted too."""

    inmate = StrictPrimaryKeyRelatedField(queryset=Inmate.objects.none())
    facility = StrictPrimaryKeyRelatedField(queryset=Facility.objects.none())
    arrest_region = region_code_field(required=False, allow_null=True)
    prior_custodies = PriorCustodyInputSerializer(many=True, required=False,
                                                  help_text="Gardes antérieures (chaîne de détention).")

    class Meta:
        model = Custody
        fields = ["inmate", "facility", *CUSTODY_EDITABLE_FIELDS, "prior_custodies"]
        extra_kwargs = {"admitted_at": {"required": True}}
        validators = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            user = request.user
            never_admitted = ~Exists(Custody.objects.filter(inmate=OuterRef("pk")))
            self.fields["inmate"].queryset = (
                Inmate.objects.visible_to(user) | Inmate.objects.filter(never_admitted)
            )
            self.fields["facility"].queryset = Facility.objects.visible_to(user)


class CustodyUpdateSerializer(ModelSerializer):
    arrest_region = region_code_field(required=False, allow_null=True)
    reason = StrictCharField(required=False, allow_blank=True,
                             help_text="Motif de la correction (obligatoire si quelque chose change).")

    class Meta:
        model = Custody
        fields = [*CUSTODY_EDITABLE_FIELDS, "reason"]
        validators = []


class PlacementInputSerializer(serializers.Serializer):
    unit = StrictPrimaryKeyRelatedField(queryset=Unit.objects.none())
    at = serializers.DateTimeField(required=False, allow_null=True, help_text="Par défaut : maintenant.")
    reason = StrictCharField(required=False, allow_blank=True, max_length=255)
    override_reason = StrictCharField(
        required=False, allow_blank=True,
        help_text="Obligatoire si l'unité est pleine ou si le placement mélange des catégories (Règle 11).",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["unit"].queryset = Unit.objects.visible_to(request.user)


class PlacementWarningSerializer(serializers.Serializer):
    """A placement that needs a recorded reason: the warnings, under `override_reason`."""

    override_reason = serializers.ListField(child=StrictCharField(), required=False)
    override_required = StrictBooleanField(required=False)


# --- Movements: transfers, releases, cell moves, and the pieces every register shares ---


class ScopedSerializer(serializers.Serializer):
    """Limits related-record fields to what the requesting user may see."""

    scoped = {}  # field name -> callable(user) returning the queryset

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            for name, queryset in self.scoped.items():
                if name in self.fields:
                    self.fields[name].queryset = queryset(request.user)


def current_custodies(user):
    return Custody.objects.visible_to(user).current()


def active_units(user):
    return Unit.objects.visible_to(user).filter(is_active=True)


def _name(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


class PersonSerializer(ModelSerializer):
    """Who a record is about, with legal status beside the terrorism flag."""

    custody = StrictIntegerField(source="id", read_only=True)
    inmate = StrictIntegerField(source="inmate_id", read_only=True)
    name = StrictCharField(source="inmate.full_name", read_only=True)
    prisoner_number = StrictCharField(source="inmate.prisoner_number", read_only=True, allow_null=True)
    facility_code = StrictCharField(source="facility.code", read_only=True)
    legal_status_display = StrictCharField(source="get_legal_status_display", read_only=True)

    class Meta:
        model = Custody
        fields = ["custody", "inmate", "name", "prisoner_number", "facility_code", "status",
                  "legal_status", "legal_status_display", "terrorism_related"]
        read_only_fields = fields


class UserName(StrictCharField):
    def to_representation(self, value):
        return _name(value)


def who(source):
    return UserName(source=source, read_only=True)


class TransferSerializer(ModelSerializer):
    person = PersonSerializer(source="custody", read_only=True)
    from_facility_code = StrictCharField(source="from_facility.code", read_only=True)
    to_facility_code = StrictCharField(source="to_facility.code", read_only=True)
    status_display = StrictCharField(source="get_status_display", read_only=True)
    requested_by_name = who("requested_by")
    approved_by_name = who("approved_by")
    departed_by_name = who("departed_by")
    arrived_by_name = who("arrived_by")
    cancelled_by_name = who("cancelled_by")

    class Meta:
        model = Transfer
        fields = ["id", "person", "from_facility", "from_facility_code", "to_facility", "to_facility_code",
                  "status", "status_display", "reason", "escort", "property_seal_number", "property_notes",
                  "property_received_notes", "requested_at", "requested_by_name", "approved_at",
                  "approved_by_name", "departed_at", "departed_by_name", "arrived_at", "arrived_by_name",
                  "arrival_unit", "cancelled_at", "cancelled_by_name", "cancel_reason"]
        read_only_fields = fields


class TransferRequestSerializer(ScopedSerializer):
    custody = StrictPrimaryKeyRelatedField(queryset=Custody.objects.none())
    to_facility = StrictPrimaryKeyRelatedField(queryset=Facility.objects.operational())
    reason = StrictCharField()
    escort = StrictCharField(required=False, allow_blank=True, max_length=200)
    property_seal_number = StrictCharField(required=False, allow_blank=True, max_length=40)
    property_notes = StrictCharField(required=False, allow_blank=True)
    scoped = {"custody": current_custodies}


class TransferDepartSerializer(serializers.Serializer):
    escort = StrictCharField(required=False, max_length=200)
    property_seal_number = StrictCharField(required=False, allow_blank=True, max_length=40)
    property_notes = StrictCharField(required=False, allow_blank=True)
    at = serializers.DateTimeField(required=False)


class TransferArriveSerializer(ScopedSerializer):
    unit = StrictPrimaryKeyRelatedField(queryset=Unit.objects.none())
    override_reason = StrictCharField(required=False, allow_blank=True, default="")
    property_received_notes = StrictCharField(required=False, allow_blank=True, default="")
    at = serializers.DateTimeField(required=False)
    scoped = {"unit": active_units}


class ReasonSerializer(serializers.Serializer):
    reason = StrictCharField()


class MomentSerializer(serializers.Serializer):
    at = serializers.DateTimeField(required=False)


class ReleaseSerializer(ModelSerializer):
    person = PersonSerializer(source="custody", read_only=True)
    reason_display = StrictCharField(source="get_reason_display", read_only=True)
    legal_status_at_release_display = StrictCharField(source="get_legal_status_at_release_display",
                                                            read_only=True)
    stay_status = StrictCharField(source="custody.status", read_only=True)
    stay_status_display = StrictCharField(source="custody.get_status_display", read_only=True)
    recorded_by_name = who("recorded_by")

    class Meta:
        model = Release
        fields = ["id", "person", "reason", "reason_display", "legal_status_at_release",
                  "legal_status_at_release_display", "stay_status", "stay_status_display", "authority", "order_reference", "order_received_at",
                  "left_at", "delay_hours", "property_returned", "receipt", "witness_name", "property_notes",
                  "file_extract_given", "notes", "recorded_by_name", "recorded_at"]
        read_only_fields = fields


class ReleaseInputSerializer(ScopedSerializer, ModelSerializer):
    custody = StrictPrimaryKeyRelatedField(queryset=Custody.objects.none())
    left_at = serializers.DateTimeField(required=False)
    scoped = {"custody": current_custodies}

    class Meta:
        model = Release
        fields = ["custody", "reason", "authority", "order_reference", "order_received_at", "left_at",
                  "property_returned", "receipt", "witness_name", "property_notes", "file_extract_given", "notes"]


class CellMoveSerializer(ModelSerializer):
    person = PersonSerializer(source="custody", read_only=True)
    unit_name = StrictCharField(source="unit.name", read_only=True)
    created_by_name = who("created_by")

    class Meta:
        model = Placement
        fields = ["id", "person", "unit", "unit_name", "started_at", "ended_at", "reason", "warning_override",
                  "created_by_name"]
        read_only_fields = fields


class CellMoveInputSerializer(ScopedSerializer):
    custody = StrictPrimaryKeyRelatedField(queryset=Custody.objects.none())
    unit = StrictPrimaryKeyRelatedField(queryset=Unit.objects.none())
    reason = StrictCharField(max_length=255)
    override_reason = StrictCharField(required=False, allow_blank=True, default="")
    at = serializers.DateTimeField(required=False)
    scoped = {"custody": current_custodies, "unit": active_units}
