"""API representations of cases, charges, detention orders, hearings and judgments.

Input serializers check shape and types only; every rule lives in casework.services.
The terrorism flag always travels with the legal status (presumption of innocence).
"""

from rest_framework import serializers

from casework.models import Case, Charge, ChargeStatus, Court, DetentionOrder, Hearing, Judgment
from casework.services import CASE_EDITABLE_FIELDS
from core.api import (
    ModelSerializer,
    StrictBooleanField,
    StrictCharField,
    StrictIntegerField,
    StrictPrimaryKeyRelatedField,
)
from inmates.models import Custody
from prisons.serializers import region_code_field


class CourtSerializer(ModelSerializer):
    kind_display = StrictCharField(source="get_kind_display", read_only=True)
    is_counter_terrorism_pole = StrictBooleanField(read_only=True)
    region = region_code_field(read_only=True, allow_null=True)
    region_name = StrictCharField(source="region.name", read_only=True, allow_null=True, default=None)

    class Meta:
        model = Court
        fields = ["id", "code", "name", "kind", "kind_display", "town", "region", "region_name",
                  "is_counter_terrorism_pole"]
        read_only_fields = fields


class ChargeSerializer(ModelSerializer):
    legal_class_display = StrictCharField(source="get_legal_class_display", read_only=True)
    status_display = StrictCharField(source="get_status_display", read_only=True)
    # The person's legal status beside the terrorism flag (presumption of innocence).
    legal_status = StrictCharField(source="case.custody.legal_status", read_only=True)
    legal_status_display = StrictCharField(source="case.custody.get_legal_status_display", read_only=True)

    class Meta:
        model = Charge
        fields = ["id", "case", "offence", "legal_class", "legal_class_display", "max_penalty_months",
                  "legal_status", "legal_status_display", "terrorism_related", "flagrant", "article", "status",
                  "status_display", "charged_on"]
        read_only_fields = fields


class DetentionOrderSerializer(ModelSerializer):
    kind_display = StrictCharField(source="get_kind_display", read_only=True)

    class Meta:
        model = DetentionOrder
        fields = ["id", "kind", "kind_display", "reference", "issued_on", "issued_by", "valid_until", "renews"]
        read_only_fields = fields


class HearingSerializer(ModelSerializer):
    kind_display = StrictCharField(source="get_kind_display", read_only=True)
    outcome_display = StrictCharField(source="get_outcome_display", read_only=True)

    class Meta:
        model = Hearing
        fields = ["id", "date", "kind", "kind_display", "outcome", "outcome_display", "adjourned_to", "notes"]
        read_only_fields = fields


class JudgmentSerializer(ModelSerializer):
    verdict_display = StrictCharField(source="get_verdict_display", read_only=True)

    class Meta:
        model = Judgment
        fields = ["id", "level", "decided_on", "verdict", "verdict_display", "sentence_months", "life_sentence",
                  "death_sentence", "suspended", "fine_xof", "sentence_starts_on", "appeal_filed_on",
                  "appeal_by", "notes"]
        read_only_fields = fields


class CaseSerializer(ModelSerializer):
    inmate = StrictIntegerField(source="custody.inmate_id", read_only=True)
    inmate_name = StrictCharField(source="custody.inmate.full_name", read_only=True)
    prisoner_number = StrictCharField(source="custody.inmate.prisoner_number", read_only=True,
                                      allow_null=True)
    facility = StrictIntegerField(source="custody.facility_id", read_only=True)
    facility_code = StrictCharField(source="custody.facility.code", read_only=True)
    court_name = StrictCharField(source="court.name", read_only=True)
    legal_status_display = StrictCharField(source="get_legal_status_display", read_only=True)
    terrorism_related = StrictBooleanField(read_only=True,
                                           help_text="Un chef retenu est lié au terrorisme.")
    charges = ChargeSerializer(many=True, read_only=True)
    detention_orders = DetentionOrderSerializer(many=True, read_only=True)
    hearings = HearingSerializer(many=True, read_only=True)
    judgments = JudgmentSerializer(many=True, read_only=True)

    class Meta:
        model = Case
        fields = [
            "id", "custody", "inmate", "inmate_name", "prisoner_number", "facility", "facility_code",
            "case_number", "court", "court_name", "investigating_judge", "chamber", "prosecutor", "lawyer",
            "opened_on", "closed_on", "legal_status", "legal_status_display", "terrorism_related", "notes",
            "charges", "detention_orders", "hearings", "judgments",
        ]
        read_only_fields = fields


class ChargeInputSerializer(ModelSerializer):
    class Meta:
        model = Charge
        fields = ["offence", "legal_class", "max_penalty_months", "terrorism_related", "flagrant", "article",
                  "charged_on"]


class CaseCreateSerializer(ModelSerializer):
    """`custody` is limited to the stays the user may see."""

    custody = StrictPrimaryKeyRelatedField(queryset=Custody.objects.none())
    court = StrictPrimaryKeyRelatedField(queryset=Court.objects.all())
    charges = ChargeInputSerializer(many=True, required=False)

    class Meta:
        model = Case
        fields = ["custody", "case_number", "court", "investigating_judge", "chamber", "prosecutor", "lawyer",
                  "opened_on", "notes", "charges"]
        validators = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["custody"].queryset = Custody.objects.visible_to(request.user)


class CaseUpdateSerializer(ModelSerializer):
    court = StrictPrimaryKeyRelatedField(queryset=Court.objects.all(), required=False)
    reason = StrictCharField(required=False, allow_blank=True, help_text="Motif de la correction.")

    class Meta:
        model = Case
        fields = [*CASE_EDITABLE_FIELDS, "reason"]
        validators = []


class ChargeStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ChargeStatus.choices)
    reason = StrictCharField(allow_blank=True, help_text="Motif (obligatoire).")


class DetentionOrderInputSerializer(ModelSerializer):
    """`renews` is limited to the orders of the same case (set by the view)."""

    renews = StrictPrimaryKeyRelatedField(queryset=DetentionOrder.objects.none(), required=False,
                                          allow_null=True)

    class Meta:
        model = DetentionOrder
        fields = ["kind", "reference", "issued_on", "issued_by", "valid_until", "renews"]
        validators = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        case = self.context.get("case")
        if case is not None:
            self.fields["renews"].queryset = case.detention_orders.all()


class HearingInputSerializer(ModelSerializer):
    class Meta:
        model = Hearing
        fields = ["date", "kind", "outcome", "adjourned_to", "notes"]
        validators = []


class JudgmentInputSerializer(ModelSerializer):
    class Meta:
        model = Judgment
        fields = ["level", "decided_on", "verdict", "sentence_months", "life_sentence", "death_sentence",
                  "suspended", "fine_xof", "sentence_starts_on", "appeal_filed_on", "appeal_by", "notes"]
        validators = []
