"""API (DRF) for this app; registers on config.api.router.

Facilities and units, scoped to the user's facilities; writes through prisons.services.
"""

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from config.api import router
from core.api import error_responses

from . import services
from .models import Facility, Region, Unit
from .serializers import (
    FacilitySerializer,
    FacilityUpdateSerializer,
    FacilityWriteSerializer,
    RegionSerializer,
    UnitSerializer,
    UnitUpdateSerializer,
    UnitWriteSerializer,
)


def _split_reason(serializer):
    data = dict(serializer.validated_data)
    return data, data.pop("reason", "")


class FacilityFilter(django_filters.FilterSet):
    region = django_filters.CharFilter(field_name="region__code", help_text="Code de la région.")

    class Meta:
        model = Facility
        fields = ["region", "status", "kind"]


@extend_schema_view(
    list=extend_schema(summary="Régions du Mali (code, nom, zone)", responses={200: RegionSerializer(many=True)}),
    retrieve=extend_schema(summary="Une région, par son code", responses={200: RegionSerializer,
                                                                         **error_responses(404)}),
)
class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """Reference data, the same for every account: no detainee data here."""

    queryset = Region.objects.order_by("name")
    serializer_class = RegionSerializer
    lookup_field = "code"
    lookup_value_regex = "[A-Z]{2,8}"
    pagination_class = None
    filterset_fields = ["zone"]


@extend_schema_view(
    list=extend_schema(summary="Établissements visibles, avec leur occupation",
                       responses={200: FacilitySerializer(many=True), **error_responses(403)}),
    retrieve=extend_schema(summary="Un établissement et son occupation",
                           responses={200: FacilitySerializer, **error_responses(403, 404)}),
    create=extend_schema(summary="Créer un établissement (administrateur)", request=FacilityWriteSerializer,
                         responses={201: FacilitySerializer, **error_responses(400, 403)}),
    partial_update=extend_schema(summary="Modifier un établissement (administrateur)",
                                 request=FacilityUpdateSerializer,
                                 responses={200: FacilitySerializer, **error_responses(400, 403, 404)}),
)
class FacilityViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = FacilitySerializer
    queryset = Facility.objects.all()
    filterset_class = FacilityFilter
    ordering_fields = ["name", "code", "official_capacity", "held"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return (
            Facility.objects.visible_to(self.request.user).with_occupancy()
            .select_related("region").order_by("name")
        )

    def get_serializer_class(self):
        return {"create": FacilityWriteSerializer, "partial_update": FacilityUpdateSerializer}.get(
            self.action, FacilitySerializer)

    def _read(self, facility):
        return FacilitySerializer(Facility.objects.with_occupancy().select_related("region").get(pk=facility.pk)).data

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields, _reason = _split_reason(serializer)
        facility = services.create_facility(actor=request.user, **fields)
        return Response(self._read(facility), status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        facility = self.get_object()
        serializer = self.get_serializer(facility, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes, reason = _split_reason(serializer)
        facility = services.update_facility(facility, actor=request.user, reason=reason, **changes)
        return Response(self._read(facility))


@extend_schema_view(
    list=extend_schema(summary="Unités et cellules visibles, avec leur nombre d'occupants",
                       responses={200: UnitSerializer(many=True), **error_responses(403)}),
    retrieve=extend_schema(summary="Une unité", responses={200: UnitSerializer, **error_responses(403, 404)}),
    create=extend_schema(summary="Créer une unité (administrateur)", request=UnitWriteSerializer,
                         responses={201: UnitSerializer, **error_responses(400, 403)}),
    partial_update=extend_schema(summary="Modifier une unité (administrateur)", request=UnitUpdateSerializer,
                                 responses={200: UnitSerializer, **error_responses(400, 403, 404)}),
)
class UnitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = UnitSerializer
    queryset = Unit.objects.all()
    filterset_fields = ["facility", "kind", "regime", "parent", "is_active"]
    ordering_fields = ["code", "name", "capacity", "occupants"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return (
            Unit.objects.visible_to(self.request.user).with_occupancy()
            .select_related("facility").order_by("facility__name", "code")
        )

    def get_serializer_class(self):
        return {"create": UnitWriteSerializer, "partial_update": UnitUpdateSerializer}.get(self.action, UnitSerializer)

    def _read(self, unit):
        return UnitSerializer(Unit.objects.with_occupancy().select_related("facility").get(pk=unit.pk)).data

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields, _reason = _split_reason(serializer)
        unit = services.create_unit(actor=request.user, **fields)
        return Response(self._read(unit), status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        unit = self.get_object()
        serializer = self.get_serializer(unit, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes, reason = _split_reason(serializer)
        unit = services.update_unit(unit, actor=request.user, reason=reason, **changes)
        return Response(self._read(unit))


router.register("regions", RegionViewSet, basename="region")
router.register("facilities", FacilityViewSet, basename="facility")
router.register("units", UnitViewSet, basename="unit")


def facility_from_query(request):
    """The prison named by `?facility=<id>` among the user's, None when absent; an id that is
    not a number, or a prison outside the user's, is a 404 (existence is not leaked)."""
    raw = request.query_params.get("facility")
    if raw is None:
        return None
    if raw == "":
        from django.utils.translation import gettext as _
        from rest_framework.exceptions import ValidationError

        raise ValidationError({"facility": [_("Valeur vide : retirez ce paramètre ou donnez-lui une valeur.")]})
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 18):
        raise NotFound()
    facility = Facility.objects.visible_to(request.user).filter(pk=int(raw)).first()
    if facility is None:
        raise NotFound()
    return facility
