"""API of the court portal: /api/v1/court/cases/ (a magistrate's own cases, their deadlines, alerts
and orders; acknowledge an art. 129 notice) and /api/v1/court/submissions/ (orders sent by a
magistrate; the prison's clerk confirms or rejects them). Same services as the pages."""

from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, parsers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from accounts.reads import AuditedListMixin
from casework.court_portal import services as portal
from casework.deadlines import alerts as alert_services
from casework.models import (
    Case,
    CourtSubmission,
    DeadlineAlert,
    DetentionOrder,
    ReleaseOrderKind,
    SubmissionKind,
)
from config.api import router
from core.api import (
    ModelSerializer,
    StrictBooleanField,
    StrictCharField,
    StrictIntegerField,
    error_responses,
    require_perms,
)
from core.parsers import JSONParser


class CourtAlertSerializer(ModelSerializer):
    kind_label = StrictCharField(source="get_kind_display", read_only=True)
    art129_notice = serializers.SerializerMethodField()
    acknowledged_at = serializers.DateTimeField(source="notice_acknowledgement.acknowledged_at", read_only=True,
                                                allow_null=True, default=None)
    acknowledged_by = StrictCharField(source="notice_acknowledgement.acknowledged_by", read_only=True,
                                      allow_null=True, default=None)

    class Meta:
        model = DeadlineAlert
        fields = ["id", "kind", "kind_label", "due_on", "opened_at", "closed_at", "art129_notice",
                  "acknowledged_at", "acknowledged_by"]
        read_only_fields = fields

    def get_art129_notice(self, alert) -> bool:
        return alert_services.needs_art129_notice(alert)


class CourtOrderSerializer(ModelSerializer):
    class Meta:
        model = DetentionOrder
        fields = ["id", "kind", "reference", "issued_on", "issued_by", "valid_until", "renews"]
        read_only_fields = fields


class CourtCaseSerializer(ModelSerializer):
    """What the portal shows of a case: the person, the prison, the legal status, the deadline."""

    inmate = StrictCharField(source="custody.inmate", read_only=True)
    facility = StrictCharField(source="custody.facility.name", read_only=True)
    court_name = StrictCharField(source="court.name", read_only=True)
    legal_status = StrictCharField(source="custody.legal_status", read_only=True)
    legal_status_label = StrictCharField(source="custody.get_legal_status_display", read_only=True)
    terrorism_related = StrictBooleanField(source="custody.terrorism_related", read_only=True)
    deadline_on = serializers.DateField(source="deadline.deadline_on", read_only=True, allow_null=True, default=None)
    max_on = serializers.DateField(source="deadline.max_on", read_only=True, allow_null=True, default=None)

    class Meta:
        model = Case
        fields = ["id", "case_number", "court", "court_name", "chamber", "investigating_judge", "prosecutor",
                  "inmate", "facility", "legal_status", "legal_status_label", "terrorism_related",
                  "deadline_on", "max_on"]
        read_only_fields = fields


class CourtCaseDetailSerializer(CourtCaseSerializer):
    alerts = serializers.SerializerMethodField()
    detention_orders = CourtOrderSerializer(many=True, read_only=True)

    class Meta(CourtCaseSerializer.Meta):
        fields = [*CourtCaseSerializer.Meta.fields, "alerts", "detention_orders"]
        read_only_fields = fields

    @extend_schema_field(CourtAlertSerializer(many=True))
    def get_alerts(self, case):
        return CourtAlertSerializer(portal.case_alerts(case), many=True).data


class AcknowledgeInputSerializer(serializers.Serializer):
    alert = StrictIntegerField(min_value=1)
    note = StrictCharField(required=False, allow_blank=True, default="", max_length=2000)


class NoticeAcknowledgementSerializer(serializers.Serializer):
    alert = StrictIntegerField(source="alert_id")
    acknowledged_by = StrictCharField()
    acknowledged_at = serializers.DateTimeField()
    note = StrictCharField()


@extend_schema_view(
    list=extend_schema(tags=["juridictions"], summary="Affaires du cabinet du magistrat",
                       responses={200: CourtCaseSerializer(many=True), **error_responses(400, 403)}),
    retrieve=extend_schema(tags=["juridictions"], summary="Une affaire du cabinet (consultation inscrite au journal)",
                           responses={200: CourtCaseDetailSerializer, **error_responses(403, 404)}),
)
class CourtCaseViewSet(AuditedListMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset = Case.objects.none()
    serializer_class = CourtCaseSerializer
    permission_classes = [require_perms("casework.use_court_portal")]
    ordering_fields = ["id"]
    audit_kind = "affaires du cabinet (portail des juridictions)"

    def get_queryset(self):
        return portal.cases_for(self.request.user)

    def retrieve(self, request, pk=None):
        if not (pk or "").isdigit():
            raise NotFound()
        return Response(CourtCaseDetailSerializer(portal.open_court_case(int(pk), actor=request.user)).data)

    @extend_schema(tags=["juridictions"], summary="Accuser réception d'un avis de l'article 129",
                   request=AcknowledgeInputSerializer,
                   responses={201: NoticeAcknowledgementSerializer, **error_responses(400, 403, 404)})
    @action(detail=True, methods=["post"], url_path="acknowledge-notice")
    def acknowledge_notice(self, request, pk=None):
        case = portal.open_court_case(int(pk), actor=request.user)
        serializer = AcknowledgeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        alert = portal.alert_of_magistrate(serializer.validated_data["alert"], actor=request.user)
        if alert.case_id != case.pk:
            raise NotFound()
        ack = portal.acknowledge_notice(alert, actor=request.user, note=serializer.validated_data["note"])
        return Response(NoticeAcknowledgementSerializer(ack).data, status=status.HTTP_201_CREATED)


router.register("court/cases", CourtCaseViewSet, basename="court-case")


class CourtSubmissionSerializer(ModelSerializer):
    inmate = StrictCharField(source="case.custody.inmate", read_only=True)
    facility = StrictIntegerField(source="case.custody.facility_id", read_only=True)
    legal_status = StrictCharField(source="case.custody.legal_status", read_only=True)
    terrorism_related = StrictBooleanField(source="case.custody.terrorism_related", read_only=True)
    submitted_by_name = StrictCharField(source="submitted_by", read_only=True)
    decided_by_name = StrictCharField(source="decided_by", read_only=True, allow_null=True, default=None)

    class Meta:
        model = CourtSubmission
        fields = ["id", "case", "inmate", "facility", "legal_status", "terrorism_related", "kind", "reference",
                  "issued_on", "issued_by", "renews", "valid_until", "release_kind", "notes", "submitted_by",
                  "submitted_by_name", "submitted_at", "status", "decided_by", "decided_by_name", "decided_at",
                  "rejection_reason", "detention_order", "release_order"]
        read_only_fields = fields


class SubmissionInputSerializer(serializers.Serializer):
    case = StrictIntegerField(min_value=1)
    kind = serializers.ChoiceField(choices=SubmissionKind.choices)
    document = serializers.FileField(help_text="L'ordonnance signée, en PDF.")
    reference = StrictCharField(max_length=60)
    issued_on = serializers.DateField()
    issued_by = StrictCharField(max_length=160)
    renews = StrictIntegerField(required=False, allow_null=True, default=None)
    valid_until = serializers.DateField(required=False, allow_null=True, default=None)
    release_kind = serializers.ChoiceField(choices=ReleaseOrderKind.choices, required=False, allow_blank=True,
                                           default="")
    notes = StrictCharField(required=False, allow_blank=True, default="", max_length=2000)


class RejectInputSerializer(serializers.Serializer):
    reason = StrictCharField(max_length=2000)


@extend_schema_view(
    list=extend_schema(tags=["juridictions"], summary="Ordonnances transmises (greffe : ses établissements ; "
                                                      "magistrat : ses affaires)",
                       responses={200: CourtSubmissionSerializer(many=True), **error_responses(400, 403)}),
    retrieve=extend_schema(tags=["juridictions"], summary="Une ordonnance transmise (consultation inscrite au journal)",
                           responses={200: CourtSubmissionSerializer, **error_responses(403, 404)}),
    create=extend_schema(tags=["juridictions"], summary="Transmettre une ordonnance (magistrat) : en attente de "
                                                        "confirmation par le greffe",
                         request={"multipart/form-data": SubmissionInputSerializer},
                         responses={201: CourtSubmissionSerializer, **error_responses(400, 403, 404)}),
)
class CourtSubmissionViewSet(AuditedListMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                             mixins.CreateModelMixin, viewsets.GenericViewSet):
    queryset = CourtSubmission.objects.none()
    serializer_class = CourtSubmissionSerializer
    filterset_fields = ["status", "kind", "case"]
    ordering_fields = ["submitted_at", "id"]
    http_method_names = ["get", "post", "head", "options"]
    person_field = "case__custody__inmate_id"
    parser_classes = [JSONParser, parsers.MultiPartParser, parsers.FormParser]

    def get_queryset(self):
        return portal.submissions_for(self.request.user).order_by("-submitted_at", "-id")

    def get_serializer_class(self):
        return SubmissionInputSerializer if self.action == "create" else CourtSubmissionSerializer

    def retrieve(self, request, pk=None):
        if not (pk or "").isdigit():
            raise NotFound()
        return Response(CourtSubmissionSerializer(portal.open_court_submission(int(pk), actor=request.user)).data)

    def create(self, request, *args, **kwargs):
        serializer = SubmissionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        case = portal.open_court_case(data.pop("case"), actor=request.user)
        renews = data.pop("renews")
        if renews is not None:
            renews = portal.renewable_orders(case).filter(pk=renews).first()
            if renews is None:
                raise serializers.ValidationError({"renews": ["Ce titre n'appartient pas à cette affaire."]})
        submission = portal.submit_court_order(case, actor=request.user, renews=renews, **data)
        return Response(CourtSubmissionSerializer(submission).data, status=status.HTTP_201_CREATED)

    @extend_schema(tags=["juridictions"], summary="Confirmer sur l'original (greffe) : l'ordonnance est enregistrée",
                   request=None, responses={200: CourtSubmissionSerializer, **error_responses(400, 403, 404)})
    @action(detail=True, methods=["post"], permission_classes=[require_perms("casework.confirm_courtsubmission")])
    def confirm(self, request, pk=None):
        submission = portal.confirm_court_submission(self.get_object(), actor=request.user)
        return Response(CourtSubmissionSerializer(submission).data)

    @extend_schema(tags=["juridictions"], summary="Rejeter l'ordonnance transmise (greffe), avec le motif",
                   request=RejectInputSerializer,
                   responses={200: CourtSubmissionSerializer, **error_responses(400, 403, 404)})
    @action(detail=True, methods=["post"], permission_classes=[require_perms("casework.confirm_courtsubmission")])
    def reject(self, request, pk=None):
        submission = self.get_object()  # another prison's: 404 before the body is read
        serializer = RejectInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        submission = portal.reject_court_submission(submission, actor=request.user,
                                                    reason=serializer.validated_data["reason"])
        return Response(CourtSubmissionSerializer(submission).data)


router.register("court/submissions", CourtSubmissionViewSet, basename="court-submission")
