"""API for deadlines: GET /api/v1/alerts/ (scoped, filterable) and GET /api/v1/reports/backlog/."""

import django_filters
from django.db.models import F
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.reads import AuditedReadsMixin
from config.api import router
from core.api import error_responses, require_perms
from prisons.api import facility_from_query

from . import reads
from .alerts import SEVERITY, alert_queryset, update_limit
from .deadline_serializers import (
    BacklogReportSerializer,
    DeadlineAlertSerializer,
    DetentionLimitChangeSerializer,
    DetentionLimitSerializer,
)
from .models import AlertKind, DeadlineAlert, DetentionLimit
from .reports import backlog, trend


class DeadlineAlertFilter(django_filters.FilterSet):
    facility = django_filters.NumberFilter(field_name="custody__facility_id", label=_("Établissement (id)"))
    court = django_filters.NumberFilter(field_name="case__court_id", label=_("Juridiction (id)"))
    judge = django_filters.CharFilter(field_name="case__investigating_judge", lookup_expr="icontains",
                                      label=_("Juge d'instruction"))
    kind = django_filters.ChoiceFilter(choices=AlertKind.choices, label=_("Type d'alerte"))
    open = django_filters.BooleanFilter(field_name="closed_at", lookup_expr="isnull",
                                        label=_("Ouvertes seulement (par défaut : toutes)"))

    class Meta:
        model = DeadlineAlert
        fields = ["facility", "court", "judge", "kind", "open"]


@extend_schema_view(
    list=extend_schema(summary="Alertes de détention provisoire (établissements de l'utilisateur)",
                       responses={200: DeadlineAlertSerializer(many=True), **error_responses(400, 403)}),
    retrieve=extend_schema(summary="Une alerte", responses={200: DeadlineAlertSerializer,
                                                            **error_responses(403, 404)}),
)
class DeadlineAlertViewSet(AuditedReadsMixin, viewsets.ReadOnlyModelViewSet):
    read_service = staticmethod(reads.open_alert)
    person_field = "custody__inmate_id"
    serializer_class = DeadlineAlertSerializer
    filterset_class = DeadlineAlertFilter
    ordering_fields = ["severity", "deadline", "opened_at", "id"]
    ordering = ["severity", "deadline", "id"]
    search_fields = ["case__case_number", "custody__inmate__last_name"]
    queryset = DeadlineAlert.objects.none()

    def get_queryset(self):
        # `severity` 0 = held past a release order, the sentence or without a title; 1 = past a
        # limit; 2 = the rest. `deadline` ascending = longest overdue first.
        return (alert_queryset().visible_to(self.request.user)
                .annotate(deadline=F("case__deadline__deadline_on"), severity=SEVERITY))


router.register("alerts", DeadlineAlertViewSet, basename="alert")


@extend_schema_view(
    list=extend_schema(summary="Tableau des délais légaux de détention (données, avec version du code et dates)",
                       responses={200: DetentionLimitSerializer(many=True), **error_responses(403)}),
    retrieve=extend_schema(summary="Une ligne du tableau des délais",
                           responses={200: DetentionLimitSerializer, **error_responses(403, 404)}),
    partial_update=extend_schema(
        summary="Corriger une ligne du tableau des délais (motif obligatoire ; tous les délais sont recalculés)",
        request=DetentionLimitChangeSerializer,
        responses={200: DetentionLimitSerializer, **error_responses(400, 403, 404)}),
)
class DetentionLimitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin,
                            viewsets.GenericViewSet):
    """The limits table is legal data, not a person's: read by every role that sees alerts,
    changed only with `casework.change_detentionlimit` (through `update_limit`, audited)."""

    serializer_class = DetentionLimitSerializer
    queryset = DetentionLimit.objects.order_by("-valid_from", "code_version", "key", "pk")
    http_method_names = ["get", "patch", "head", "options"]
    filterset_fields = ["key", "code_version", "awaiting_confirmation"]

    def get_permissions(self):
        perm = "casework.change_detentionlimit" if self.action == "partial_update" else "casework.view_detentionlimit"
        return [require_perms(perm)()]

    def partial_update(self, request, *args, **kwargs):
        limit = self.get_object()
        change = DetentionLimitChangeSerializer(limit, data=request.data, partial=True)
        change.is_valid(raise_exception=True)
        data = dict(change.validated_data)
        reason = data.pop("reason", "")
        limit = update_limit(limit, actor=request.user, reason=reason, **data)
        return Response(DetentionLimitSerializer(limit).data)


router.register("detention-limits", DetentionLimitViewSet, basename="detention-limit")


class BacklogReportView(APIView):
    """The same figures as the backlog page: nationally (the user's prisons) or for one prison."""

    permission_classes = [require_perms("casework.view_backlogsnapshot")]

    @extend_schema(
        summary="Bilan de la détention provisoire",
        parameters=[OpenApiParameter("facility", int, description="Un établissement (id) ; sinon tous ceux de l'utilisateur.")],
        responses={200: BacklogReportSerializer, **error_responses(403, 404)},
    )
    def get(self, request):
        facility = facility_from_query(request)
        ids = [facility.pk] if facility else request.user.visible_facility_ids()
        report = backlog(facility_ids=None if ids is None else sorted(ids))
        report["facility"] = facility.pk if facility else None
        report["trend"] = trend(facility_id=facility.pk if facility else None)
        return Response(BacklogReportSerializer(report).data)
