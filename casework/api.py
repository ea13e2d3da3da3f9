"""API (DRF) for this app; registers on config.api.router.

Cases and their charges, detention orders, hearings and judgments, scoped to the user's
facilities through the custody; every write calls one function of casework.services.
"""

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.reads import AuditedListMixin, AuditedReadsMixin
from casework import reads, services
from casework.filters import CaseFilter, ChargeFilter
from casework.models import Case, Charge, Court
from casework.serializers import (
    CaseCreateSerializer,
    CaseSerializer,
    CaseUpdateSerializer,
    ChargeInputSerializer,
    ChargeSerializer,
    ChargeStatusSerializer,
    CourtSerializer,
    DetentionOrderInputSerializer,
    DetentionOrderSerializer,
    HearingInputSerializer,
    HearingSerializer,
    JudgmentInputSerializer,
    JudgmentSerializer,
)
from config.api import router
from core.api import error_responses, require_perms
from inmates.services import open_inmate_file


def cases_in_full(queryset):
    return queryset.select_related("court", "custody__inmate", "custody__facility").prefetch_related(
        "charges", "detention_orders", "hearings", "judgments"
    )


class CourtFilter(django_filters.FilterSet):
    region = django_filters.CharFilter(field_name="region__code", help_text="Code de la région.")

    class Meta:
        model = Court
        fields = ["kind", "region"]


@extend_schema_view(
    list=extend_schema(summary="Juridictions (données de référence)",
                       responses={200: CourtSerializer(many=True), **error_responses(400, 403)}),
    retrieve=extend_schema(summary="Une juridiction", responses={200: CourtSerializer, **error_responses(403, 404)}),
)
class CourtViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Court.objects.select_related("region").order_by("name")
    serializer_class = CourtSerializer
    filterset_class = CourtFilter
    search_fields = ["name", "code", "town"]


@extend_schema_view(
    list=extend_schema(summary="Affaires visibles, avec chefs, titres, audiences et jugements",
                       responses={200: CaseSerializer(many=True), **error_responses(400, 403)}),
    retrieve=extend_schema(summary="Une affaire (consultation enregistrée au journal d'audit)",
                           responses={200: CaseSerializer, **error_responses(403, 404)}),
    create=extend_schema(summary="Ouvrir une affaire pour un séjour (avec ses chefs d'inculpation)",
                         request=CaseCreateSerializer, responses={201: CaseSerializer, **error_responses(400, 403)}),
    partial_update=extend_schema(summary="Corriger une affaire (numéro, juridiction, juge, avocat…)",
                                 request=CaseUpdateSerializer,
                                 responses={200: CaseSerializer, **error_responses(400, 403, 404)}),
)
class CaseViewSet(AuditedListMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset = Case.objects.all()
    serializer_class = CaseSerializer
    person_field = "custody__inmate_id"  # `retrieve` is a read of the file (open_inmate_file)
    filterset_class = CaseFilter
    ordering_fields = ["opened_on", "case_number", "created_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return cases_in_full(Case.objects.visible_to(self.request.user)).order_by("-opened_on", "-id")

    def get_serializer_class(self):
        return {"create": CaseCreateSerializer, "partial_update": CaseUpdateSerializer}.get(self.action, CaseSerializer)

    def retrieve(self, request, pk=None):
        case = self.get_object()
        # A case is part of the prisoner file: reading it is recorded like opening the file.
        open_inmate_file(case.custody.inmate_id, actor=request.user)
        return Response(CaseSerializer(case).data)

    def _read(self, case):
        return CaseSerializer(cases_in_full(Case.objects.all()).get(pk=case.pk)).data

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        custody = data.pop("custody")
        case = services.open_case(custody, actor=request.user, **data)
        return Response(self._read(case), status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        case = self.get_object()
        serializer = self.get_serializer(case, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        reason = changes.pop("reason", "")
        case = services.update_case(case, actor=request.user, reason=reason, **changes)
        return Response(self._read(case))

    @extend_schema(summary="Ajouter un chef d'inculpation", request=ChargeInputSerializer,
                   responses={201: ChargeSerializer, **error_responses(400, 403, 404)})
    @action(detail=True, methods=["post"], permission_classes=[require_perms("casework.add_charge")])
    def charges(self, request, pk=None):
        case = self.get_object()
        serializer = ChargeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        charge = services.add_charge(case, actor=request.user, **serializer.validated_data)
        return Response(ChargeSerializer(charge).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Enregistrer un titre de détention ou une prolongation",
                   request=DetentionOrderInputSerializer,
                   responses={201: DetentionOrderSerializer, **error_responses(400, 403, 404)})
    @action(detail=True, methods=["post"], url_path="detention-orders",
            permission_classes=[require_perms("casework.add_detentionorder")])
    def detention_orders(self, request, pk=None):
        case = self.get_object()
        serializer = DetentionOrderInputSerializer(data=request.data, context={"case": case})
        serializer.is_valid(raise_exception=True)
        order = services.record_detention_order(case, actor=request.user, **serializer.validated_data)
        return Response(DetentionOrderSerializer(order).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Enregistrer une audience", request=HearingInputSerializer,
                   responses={201: HearingSerializer, **error_responses(400, 403, 404)})
    @action(detail=True, methods=["post"], permission_classes=[require_perms("casework.add_hearing")])
    def hearings(self, request, pk=None):
        case = self.get_object()
        serializer = HearingInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        hearing = services.record_hearing(case, actor=request.user, **serializer.validated_data)
        return Response(HearingSerializer(hearing).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Enregistrer un jugement", request=JudgmentInputSerializer,
                   responses={201: JudgmentSerializer, **error_responses(400, 403, 404)})
    @action(detail=True, methods=["post"], permission_classes=[require_perms("casework.add_judgment")])
    def judgments(self, request, pk=None):
        case = self.get_object()
        serializer = JudgmentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        judgment = services.record_judgment(case, actor=request.user, **serializer.validated_data)
        return Response(JudgmentSerializer(judgment).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="Chefs d'inculpation visibles",
                       responses={200: ChargeSerializer(many=True), **error_responses(400, 403)}),
    retrieve=extend_schema(summary="Un chef d'inculpation",
                           responses={200: ChargeSerializer, **error_responses(403, 404)}),
)
class ChargeViewSet(AuditedReadsMixin, viewsets.ReadOnlyModelViewSet):
    read_service = staticmethod(reads.open_charge)
    person_field = "case__custody__inmate_id"
    queryset = Charge.objects.all()
    serializer_class = ChargeSerializer
    filterset_class = ChargeFilter

    def get_queryset(self):
        return (Charge.objects.filter(case__in=Case.objects.visible_to(self.request.user))
                .select_related("case__custody").order_by("id"))

    @extend_schema(summary="Abandonner, requalifier ou rétablir un chef (motif obligatoire)",
                   request=ChargeStatusSerializer,
                   responses={200: ChargeSerializer, **error_responses(400, 403, 404)})
    @action(detail=True, methods=["post"], permission_classes=[require_perms("casework.change_charge")])
    def status(self, request, pk=None):
        charge = self.get_object()
        serializer = ChargeStatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        charge = services.change_charge_status(charge, actor=request.user, **serializer.validated_data)
        return Response(ChargeSerializer(charge).data)


router.register("courts", CourtViewSet, basename="court")
router.register("cases", CaseViewSet, basename="case")
router.register("charges", ChargeViewSet, basename="charge")
