"""API of the requests to see one's own file (Rule 9): /api/v1/own-file-requests/ (list, one, record),
…/{id}/answer/ (the answer) and …/{id}/extract/ (the person's copy). Same services as the pages."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.reads import AuditedReadsMixin
from config.api import router
from core.api import (
    ModelSerializer,
    StrictBooleanField,
    StrictCharField,
    StrictIntegerField,
    StrictPrimaryKeyRelatedField,
    error_responses,
    require_perms,
)
from inmates.api import RecordViewSet, record_action, record_schema
from inmates.models import Custody
from inmates.serializers import PersonSerializer, ScopedSerializer, who

from . import own_file
from .models import OwnFileRequest


class OwnFileRequestSerializer(ModelSerializer):
    person = PersonSerializer(source="custody", read_only=True)
    requester_display = StrictCharField(source="get_requester_display", read_only=True)
    channel_display = StrictCharField(source="get_channel_display", read_only=True)
    received_by_name = who("received_by")
    answered_by_name = who("answered_by")
    is_late = serializers.SerializerMethodField(
        help_text="En attente depuis plus que le délai de réponse (30 jours par défaut, à confirmer).")

    class Meta:
        model = OwnFileRequest
        fields = ["id", "facility", "person", "requester", "requester_display", "requester_name", "channel",
                  "channel_display", "requested_at", "received_by_name", "recorded_at", "answered_at",
                  "answered_by_name", "extract_handed_over", "answer_note", "is_late"]
        read_only_fields = fields

    def get_is_late(self, obj) -> bool:
        late = self.context.setdefault("_late", {})
        if obj.facility_id not in late:
            late[obj.facility_id] = set(OwnFileRequest.objects.filter(facility_id=obj.facility_id).late()
                                        .values_list("pk", flat=True))
        return obj.pk in late[obj.facility_id]


class OwnFileRequestInputSerializer(ScopedSerializer, ModelSerializer):
    custody = StrictPrimaryKeyRelatedField(queryset=Custody.objects.none())
    requested_at = serializers.DateTimeField(required=False)
    scoped = {"custody": lambda user: Custody.objects.visible_to(user)}

    class Meta:
        model = OwnFileRequest
        fields = ["custody", "requester", "requester_name", "channel", "requested_at"]


class OwnFileAnswerSerializer(serializers.Serializer):
    extract_handed_over = StrictBooleanField()
    note = StrictCharField(required=False, allow_blank=True, default="")


class _ExtractField(serializers.Serializer):
    field = StrictCharField()
    label = StrictCharField()
    value = serializers.JSONField(allow_null=True)
    display = StrictCharField()


class _ExtractRecord(serializers.Serializer):
    title = StrictCharField()
    kind = StrictCharField()
    fields = _ExtractField(many=True)


class _ExtractSection(serializers.Serializer):
    key = StrictCharField()
    title = StrictCharField()
    restricted = StrictBooleanField()
    note = StrictCharField(allow_blank=True)
    records = _ExtractRecord(many=True)


class _ExtractRequest(serializers.Serializer):
    id = StrictIntegerField()
    requested_at = serializers.DateTimeField()
    facility = StrictCharField()


class _ExtractInmate(serializers.Serializer):
    id = StrictIntegerField()
    name = StrictCharField()
    prisoner_number = StrictCharField(allow_blank=True)


class _Purpose(serializers.Serializer):
    category = StrictCharField()
    purpose = StrictCharField()
    readers = StrictCharField()
    ground = StrictCharField()


class OwnFileExtractSerializer(serializers.Serializer):
    request = _ExtractRequest()
    inmate = _ExtractInmate()
    generated_at = serializers.DateTimeField()
    sections = _ExtractSection(many=True)
    left_out = serializers.ListField(child=StrictCharField())
    purposes = _Purpose(many=True)


@record_schema("demande d'accès au dossier", OwnFileRequestSerializer, OwnFileRequestInputSerializer,
               create_summary="Enregistrer la demande d'une personne détenue de consulter son dossier (Règle 9)",
               list_summary="Registre des demandes d'accès au dossier (is_late : en attente au-delà du délai)")
class OwnFileRequestViewSet(AuditedReadsMixin, RecordViewSet):
    read_service = staticmethod(own_file.open_own_file_request)
    serializer_class = OwnFileRequestSerializer
    queryset = OwnFileRequest.objects.all()
    input_serializer = OwnFileRequestInputSerializer
    facility_field = "facility_id"
    audit_kind = "demandes d'accès au dossier"

    def base_queryset(self):
        return OwnFileRequest.objects.visible_to(self.request.user).select_related(
            "custody__inmate", "custody__facility", "received_by", "answered_by")

    def perform(self, data):
        custody = data.pop("custody")
        return own_file.record_own_file_request(custody, actor=self.request.user, **data)

    @record_action("Enregistrer la réponse (extrait remis ou non)", OwnFileAnswerSerializer,
                   OwnFileRequestSerializer, [own_file.ANSWER])
    def answer(self, request, pk=None):
        data = self._input(OwnFileAnswerSerializer)
        return self._out(own_file.answer_own_file_request(self.get_object(), actor=request.user,
                                                          extract_handed_over=data["extract_handed_over"],
                                                          note=data["note"]))

    @extend_schema(summary="L'extrait du dossier remis à la personne (sans données d'autrui ni renseignement)",
                   description="Sections titrées, au format de l'export d'accès de la personne concernée, limitées "
                               "à ce que la personne peut emporter. Greffe et direction de son établissement ; "
                               "chaque extrait est consigné au journal d'audit.",
                   responses={200: OpenApiResponse(OwnFileExtractSerializer, description="L'extrait"),
                              **error_responses(403, 404)})
    @action(detail=True, methods=["get"], permission_classes=[require_perms(own_file.ANSWER)])
    def extract(self, request, pk=None):
        return Response(own_file.own_file_extract(pk, actor=request.user))


router.register("own-file-requests", OwnFileRequestViewSet, basename="own-file-request")
