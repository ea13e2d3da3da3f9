"""API of the register of serious incidents and injuries (issue 14 item 5; Rules 69–72): a scoped
list and audited reads; an incident or an injury recorded through the services; the notices and
the inquiry as actions; the medical details (`/medical/`) for medical staff only. Registered on
config.api.router by detention.api."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from accounts.reads import AuditedReadsMixin
from core.api import (
    ModelSerializer,
    StrictBooleanField,
    StrictCharField,
    StrictPrimaryKeyRelatedField,
    error_responses,
    require_perms,
)
from detention import incident_reads
from detention.models.incidents import (
    IncidentInvolvement,
    InjuryMedicalDetail,
    InvolvementPart,
    SeriousIncident,
)
from detention.services import incidents
from inmates.api import RecordViewSet, record_action, record_schema
from inmates.models import Custody, NotificationMethod
from inmates.serializers import ScopedSerializer
from prisons.models import Facility


class InvolvementSerializer(ModelSerializer):
    class Meta:
        model = IncidentInvolvement
        fields = ["custody", "part"]
        read_only_fields = fields


class SeriousIncidentSerializer(ModelSerializer):
    involvements = InvolvementSerializer(many=True, read_only=True)
    authority_required = StrictBooleanField(read_only=True)
    kin_required = StrictBooleanField(read_only=True)
    authority_late = serializers.SerializerMethodField()
    has_medical_detail = serializers.SerializerMethodField()

    class Meta:
        model = SeriousIncident
        fields = ["id", "facility", "custody", "kind", "occurred_at", "place", "circumstances", "involvements",
                  "recorded_by", "recorded_at", "authority_required", "authority_informed_at",
                  "authority_informed_by", "authority", "authority_reference", "authority_late", "kin_required",
                  "kin_told_at", "kin_told_by", "kin_name", "kin_method", "inquiry_authority", "inquiry_reference",
                  "inquiry_outcome", "inquiry_closed_on", "has_medical_detail"]
        read_only_fields = fields

    def get_authority_late(self, obj) -> bool:
        return obj.authority_late(timezone.now())

    def get_has_medical_detail(self, obj) -> bool:
        # The fact only (annotated by incident_reads.incidents_of), never the content.
        if hasattr(obj, "has_medical_detail"):
            return obj.has_medical_detail
        return InjuryMedicalDetail.objects.filter(incident=obj).exists()


class InvolvedInputSerializer(ScopedSerializer):
    custody = StrictPrimaryKeyRelatedField(queryset=Custody.objects.none())
    part = serializers.ChoiceField(choices=InvolvementPart.choices, default=InvolvementPart.INVOLVED)
    scoped = {"custody": lambda user: Custody.objects.visible_to(user)}


class SeriousIncidentInputSerializer(ScopedSerializer, ModelSerializer):
    facility = StrictPrimaryKeyRelatedField(queryset=Facility.objects.none())
    custody = StrictPrimaryKeyRelatedField(queryset=Custody.objects.none(), required=False, allow_null=True)
    involved = InvolvedInputSerializer(many=True, required=False)
    scoped = {"facility": lambda user: Facility.objects.visible_to(user),
              "custody": lambda user: Custody.objects.visible_to(user)}

    class Meta:
        model = SeriousIncident
        fields = ["facility", "custody", "kind", "occurred_at", "place", "circumstances", "involved"]
        # The service validates the dates (clock rule) with the field names of the page.
        extra_kwargs = {"occurred_at": {"validators": []}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["involved"].child.fields["custody"].queryset = Custody.objects.visible_to(request.user)


class InjuryInputSerializer(ScopedSerializer):
    custody = StrictPrimaryKeyRelatedField(queryset=Custody.objects.none())
    occurred_at = serializers.DateTimeField()
    place = StrictCharField(max_length=160)
    circumstances = StrictCharField()
    nature_of_injuries = StrictCharField()
    treatment = StrictCharField(required=False, allow_blank=True, default="")
    examining_doctor = StrictCharField(max_length=160)
    examined_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    scoped = {"custody": lambda user: Custody.objects.visible_to(user)}


class InjuryDetailInputSerializer(serializers.Serializer):
    nature_of_injuries = StrictCharField()
    treatment = StrictCharField(required=False, allow_blank=True, default="")
    examining_doctor = StrictCharField(max_length=160)
    examined_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class InjuryMedicalDetailSerializer(ModelSerializer):
    class Meta:
        model = InjuryMedicalDetail
        fields = ["incident", "nature_of_injuries", "treatment", "examining_doctor", "examined_at", "recorded_by"]
        read_only_fields = fields


class AuthorityNoticeSerializer(serializers.Serializer):
    authority = StrictCharField(max_length=160)
    reference = StrictCharField(max_length=80, required=False, allow_blank=True, default="")
    at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class KinNoticeSerializer(serializers.Serializer):
    name = StrictCharField(max_length=160, required=False, allow_blank=True, default="")
    method = serializers.ChoiceField(choices=NotificationMethod.choices, required=False, allow_blank=True, default="")
    at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class InquirySerializer(serializers.Serializer):
    authority = StrictCharField(max_length=160)
    reference = StrictCharField(max_length=80)
    outcome = StrictCharField(required=False, allow_blank=True, default="")
    closed_on = serializers.DateField(required=False, allow_null=True, default=None)


@record_schema("incident grave", SeriousIncidentSerializer, SeriousIncidentInputSerializer,
               create_summary="Inscrire un incident grave (sécurité, direction)",
               list_summary="Registre des incidents graves et blessures (Règles 69–72)")
class SeriousIncidentViewSet(AuditedReadsMixin, RecordViewSet):
    read_service = staticmethod(incident_reads.open_incident)
    serializer_class = SeriousIncidentSerializer
    queryset = SeriousIncident.objects.all()
    input_serializer = SeriousIncidentInputSerializer
    facility_field = "facility_id"

    def base_queryset(self):
        return incident_reads.incidents_of(self.request.user)

    def perform(self, data):
        facility = data.pop("facility")
        data["involved"] = [(row["custody"], row["part"]) for row in data.pop("involved", [])]
        return incidents.record_incident(facility, actor=self.request.user, **data)

    @record_action("L'autorité judiciaire a été informée (Règle 71)", AuthorityNoticeSerializer,
                   SeriousIncidentSerializer, ["detention.change_seriousincident"])
    def authority(self, request, pk=None):
        return self._out(incidents.record_authority_notice(self.get_object(), actor=request.user,
                                                           **self._input(AuthorityNoticeSerializer)))

    @record_action("La famille a été prévenue (Règles 69–70)", KinNoticeSerializer, SeriousIncidentSerializer,
                   ["detention.change_seriousincident"])
    def kin(self, request, pk=None):
        return self._out(incidents.record_kin_notice(self.get_object(), actor=request.user,
                                                     **self._input(KinNoticeSerializer)))

    @record_action("L'enquête indépendante : référence, conclusions, clôture (Règle 71)", InquirySerializer,
                   SeriousIncidentSerializer, ["detention.change_seriousincident"])
    def inquiry(self, request, pk=None):
        return self._out(incidents.record_inquiry(self.get_object(), actor=request.user,
                                                  **self._input(InquirySerializer)))

    @extend_schema(summary="Constater une blessure (personnel de santé) : l'incident et son constat médical",
                   request=InjuryInputSerializer, responses={201: SeriousIncidentSerializer,
                                                             **error_responses(400, 403)})
    @action(detail=False, methods=["post"], permission_classes=[require_perms("detention.add_injurymedicaldetail")])
    def injuries(self, request):
        data = self._input(InjuryInputSerializer)
        custody = data.pop("custody")
        return self._out(incidents.record_injury(custody, actor=request.user, **data), status.HTTP_201_CREATED)

    @extend_schema(summary="Le constat médical de la blessure (personnel de santé uniquement)",
                   request=InjuryDetailInputSerializer, responses={200: InjuryMedicalDetailSerializer,
                                                                   201: InjuryMedicalDetailSerializer,
                                                                   **error_responses(400, 403, 404)})
    @action(detail=True, methods=["get", "post"],
            permission_classes=[require_perms("detention.view_seriousincident", "detention.view_injurymedicaldetail")])
    def medical(self, request, pk=None):
        if request.method == "POST":
            if not request.user.has_perm("detention.add_injurymedicaldetail"):
                raise PermissionDenied()
            detail = incidents.record_injury_detail(self.get_object(), actor=request.user,
                                                    **self._input(InjuryDetailInputSerializer))
            return Response(InjuryMedicalDetailSerializer(detail).data, status=status.HTTP_201_CREATED)
        detail = incident_reads.medical_detail_or_404(pk, actor=request.user)
        return Response(InjuryMedicalDetailSerializer(detail).data)
