"""API for release on time: /api/v1/release-orders/ (record, read, execute) and
/api/v1/late-releases/ (the register, with the delay in hours). Same services as the pages."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.reads import AuditedListMixin
from casework.models import Case, ReleaseOrder
from casework.releases import services as releases
from config.api import router
from core.api import (
    ModelSerializer,
    StrictBooleanField,
    StrictCharField,
    StrictFloatField,
    StrictIntegerField,
    StrictPrimaryKeyRelatedField,
    error_responses,
    require_perms,
)
from inmates.models import ReceiptAcknowledgement
from prisons.api import facility_from_query


class ReleaseOrderSerializer(ModelSerializer):
    inmate = StrictIntegerField(source="case.custody.inmate_id", read_only=True)
    facility = StrictIntegerField(source="case.custody.facility_id", read_only=True)
    legal_status = StrictCharField(source="case.custody.legal_status", read_only=True)
    legal_status_label = StrictCharField(source="case.custody.get_legal_status_display", read_only=True)
    terrorism_related = StrictBooleanField(source="case.custody.terrorism_related", read_only=True)
    hours_waited = serializers.SerializerMethodField()
    late = serializers.SerializerMethodField()

    class Meta:
        model = ReleaseOrder
        fields = ["id", "case", "inmate", "facility", "legal_status", "legal_status_label", "terrorism_related",
                  "kind", "received_at", "brought_by", "authority", "reference", "issued_on", "notes",
                  "release", "executed_at", "delay_hours", "hours_waited", "late", "recorded_at"]
        read_only_fields = fields

    def get_hours_waited(self, order) -> float:
        return float(order.hours_waited())

    def get_late(self, order) -> bool:
        return float(order.hours_waited()) > releases.late_after_hours()


class ReleaseOrderInputSerializer(ModelSerializer):
    case = StrictPrimaryKeyRelatedField(queryset=Case.objects.none())

    class Meta:
        model = ReleaseOrder
        fields = ["case", "kind", "received_at", "brought_by", "authority", "reference", "issued_on", "notes"]
        validators = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["case"].queryset = Case.objects.visible_to(request.user)


class ExecuteInputSerializer(serializers.Serializer):
    left_at = serializers.DateTimeField(required=False, allow_null=True)
    property_returned = StrictBooleanField(required=False, default=False)
    receipt = serializers.ChoiceField(choices=ReceiptAcknowledgement.choices, required=False, allow_blank=True,
                                      default="")
    witness_name = StrictCharField(required=False, allow_blank=True, default="", max_length=160)
    file_extract_given = StrictBooleanField(required=False, default=False)
    notes = StrictCharField(required=False, allow_blank=True, default="")


@extend_schema_view(
    list=extend_schema(summary="Décisions de libération reçues (établissements de l'utilisateur)",
                       responses={200: ReleaseOrderSerializer(many=True), **error_responses(400, 403)}),
    retrieve=extend_schema(summary="Une décision de libération (consultation inscrite au journal)",
                           responses={200: ReleaseOrderSerializer, **error_responses(403, 404)}),
    create=extend_schema(summary="Enregistrer une décision de libération reçue (ouvre l'alerte « sortie à exécuter »)",
                         request=ReleaseOrderInputSerializer,
                         responses={201: ReleaseOrderSerializer, **error_responses(400, 403)}),
)
class ReleaseOrderViewSet(AuditedListMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                          viewsets.GenericViewSet):
    queryset = ReleaseOrder.objects.none()
    serializer_class = ReleaseOrderSerializer
    filterset_fields = ["kind", "case"]
    ordering_fields = ["received_at", "id"]
    http_method_names = ["get", "post", "head", "options"]
    person_field = "case__custody__inmate_id"  # one LIST entry per list (accounts.reads)

    def get_queryset(self):
        return releases.orders_queryset().visible_to(self.request.user).order_by("-received_at", "-id")

    def get_serializer_class(self):
        return ReleaseOrderInputSerializer if self.action == "create" else ReleaseOrderSerializer

    def retrieve(self, request, pk=None):
        if not (pk or "").isdigit():
            raise NotFound()
        return Response(ReleaseOrderSerializer(releases.open_release_order(int(pk), actor=request.user)).data)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        order = releases.record_release_order(data.pop("case"), actor=request.user, **data)
        return Response(ReleaseOrderSerializer(order).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Exécuter la décision : la personne sort, le délai est mesuré",
                   request=ExecuteInputSerializer,
                   responses={200: ReleaseOrderSerializer, **error_responses(400, 403, 404)})
    @action(detail=True, methods=["post"], permission_classes=[require_perms("inmates.add_release")])
    def execute(self, request, pk=None):
        order = self.get_object()
        serializer = ExecuteInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        order = releases.execute_release_order(order, actor=request.user, **serializer.validated_data)
        return Response(ReleaseOrderSerializer(order).data)


router.register("release-orders", ReleaseOrderViewSet, basename="release-order")


class LateReleaseRegisterSerializer(serializers.Serializer):
    late_after_hours = StrictFloatField(help_text="Délai (heures) après lequel une sortie due est en retard.")
    count = StrictIntegerField()
    results = ReleaseOrderSerializer(many=True)


class LateReleaseView(APIView):
    """The register of late releases, per prison (?facility=) or for all the user's prisons."""

    permission_classes = [require_perms("casework.view_releaseorder")]

    @extend_schema(
        summary="Registre des sorties en retard (délai en heures)",
        parameters=[OpenApiParameter("facility", int, description="Un établissement (id) ; sinon tous ceux de l'utilisateur.")],
        responses={200: LateReleaseRegisterSerializer, **error_responses(403, 404)},
    )
    def get(self, request):
        facility = facility_from_query(request)
        orders = list(releases.late_releases_for(request.user, facility=facility))
        releases.record_register_read(request.user, facility=facility, count=len(orders))
        return Response({"late_after_hours": releases.late_after_hours(), "count": len(orders),
                         "results": ReleaseOrderSerializer(orders, many=True).data})
