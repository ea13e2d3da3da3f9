"""API of the discipline and isolation registers (issue 14): scoped lists and audited reads;
a placement in isolation through the service. Registered on config.api.router by detention.api."""

from rest_framework import serializers

from accounts.reads import AuditedReadsMixin
from detention import discipline_reads
from detention.models import DisciplinaryCharge, IsolationPlacement
from detention.services import isolation
from inmates.api import RecordViewSet, record_schema
from inmates.models import Custody
from inmates.reads import PERSON_FIELDS
from inmates.serializers import ScopedSerializer


class DisciplinaryChargeSerializer(serializers.ModelSerializer):
    occurred_at = serializers.DateTimeField(source="incident.occurred_at", read_only=True)
    place = serializers.CharField(source="incident.place", read_only=True)
    description = serializers.CharField(source="incident.description", read_only=True)
    witnesses = serializers.CharField(source="incident.witnesses", read_only=True)
    facility = serializers.IntegerField(source="incident.facility_id", read_only=True)
    sanction_name = serializers.CharField(source="sanction.name", read_only=True, default=None)

    class Meta:
        model = DisciplinaryCharge
        fields = ["id", "incident", "facility", "custody", "occurred_at", "place", "description", "witnesses",
                  "offence", "notified_at", "notified_language", "heard_at", "statement", "interpreter",
                  "decided_at", "decided_by", "reasons", "sanction", "sanction_name", "sanction_days",
                  "appeal_lodged_at", "appeal_outcome", "appeal_decided_at"]
        read_only_fields = fields


class IsolationSerializer(serializers.ModelSerializer):
    class Meta:
        model = IsolationPlacement
        fields = ["id", "facility", "custody", "reason_kind", "charge", "reason", "unit", "started_at",
                  "planned_end_on", "ended_at", "end_reason", "decided_by"]
        read_only_fields = fields


class IsolationInputSerializer(ScopedSerializer, serializers.ModelSerializer):
    custody = serializers.PrimaryKeyRelatedField(queryset=Custody.objects.none())
    charge = serializers.PrimaryKeyRelatedField(queryset=DisciplinaryCharge.objects.none(), required=False,
                                                allow_null=True)
    scoped = {"custody": lambda user: Custody.objects.visible_to(user),
              "charge": lambda user: DisciplinaryCharge.objects.visible_to(user)}

    class Meta:
        model = IsolationPlacement
        fields = ["custody", "reason_kind", "charge", "reason", "planned_end_on", "is_pregnant", "with_infant",
                  "condition_worsened"]


@record_schema("poursuite disciplinaire", DisciplinaryChargeSerializer, DisciplinaryChargeSerializer,
               create_summary="(lecture seule)", list_summary="Registre disciplinaire")
class DisciplinaryChargeViewSet(AuditedReadsMixin, RecordViewSet):
    http_method_names = ["get", "head", "options"]
    read_service = staticmethod(discipline_reads.open_disciplinary_charge)
    serializer_class = DisciplinaryChargeSerializer
    queryset = DisciplinaryCharge.objects.all()
    facility_field = "incident__facility_id"

    def base_queryset(self):
        return DisciplinaryCharge.objects.visible_to(self.request.user).select_related(
            *PERSON_FIELDS, "incident", "sanction")


@record_schema("placement à l'isolement", IsolationSerializer, IsolationInputSerializer,
               create_summary="Placer une personne à l'isolement (sanction décidée ou mesure de sécurité)",
               list_summary="Registre de l'isolement")
class IsolationViewSet(AuditedReadsMixin, RecordViewSet):
    read_service = staticmethod(discipline_reads.open_isolation)
    serializer_class = IsolationSerializer
    queryset = IsolationPlacement.objects.all()
    input_serializer = IsolationInputSerializer
    facility_field = "facility_id"

    def base_queryset(self):
        return IsolationPlacement.objects.visible_to(self.request.user).select_related(*PERSON_FIELDS, "unit")

    def perform(self, data):
        custody = data.pop("custody")
        return isolation.place_in_isolation(custody, actor=self.request.user, **data)
