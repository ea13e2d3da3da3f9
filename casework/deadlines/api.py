"""API for deadlines: GET /api/v1/alerts/ (scoped, filterable; one entry per alert), GET
/api/v1/alerts/by-person/ (one entry per person, as the alerts page) and GET /api/v1/reports/backlog/."""

import django_filters
from django.db.models import F
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.reads import AuditedReadsMixin, record_rows
from casework import reads
from casework.deadlines.alerts import (
    SEVERITY,
    alert_queryset,
    alerts_by_person,
    open_alerts_for,
    people_in_order,
    update_limit,
)
from casework.deadlines.backlog import backlog, trend
from casework.deadlines.serializers import (
    BacklogReportSerializer,
    DeadlineAlertSerializer,
    DetentionLimitChangeSerializer,
    DetentionLimitSerializer,
    PersonAlertsSerializer,
)
from casework.models import AlertKind, DeadlineAlert, DetentionLimit
from config.api import router
from core.api import error_responses, require_perms
from core.filters import StrictFilterBackend
from prisons.api import facility_from_query


class PersonAlertFilter(django_filters.FilterSet):
    """The filters of the alerts page (open alerts only)."""

    facility = django_filters.NumberFilter(field_name="custody__facility_id", label=_("Établissement (id)"))
    court = django_filters.NumberFilter(field_name="case__court_id", label=_("Juridiction (id)"))
    judge = django_filters.CharFilter(field_name="case__investigating_judge", lookup_expr="icontains",
                                      label=_("Juge d'instruction"))
    kind = django_filters.ChoiceFilter(choices=AlertKind.choices, label=_("Type d'alerte"))

    class Meta:
        model = DeadlineAlert
        fields = ["facility", "court", "judge", "kind"]


class DeadlineAlertFilter(PersonAlertFilter):
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

    @extend_schema(
        summary="Alertes ouvertes, une entrée par personne (comme la page des alertes)",
        description="Une entrée par personne (son séjour) avec toutes ses alertes ouvertes, les personnes dans "
                    "l'ordre de leur alerte la plus grave (sortie en retard, peine purgée, sans titre ; puis délai "
                    "dépassé ; puis le reste), puis du plus long dépassement. Les pages comptent des personnes. "
                    "Mêmes établissements et mêmes droits que `GET /api/v1/alerts/`, dont le contrat (une entrée "
                    "par alerte) ne change pas.",
        responses={200: PersonAlertsSerializer(many=True), **error_responses(400, 403)},
    )
    @action(detail=False, methods=["get"], url_path="by-person", filterset_class=PersonAlertFilter,
            filter_backends=[StrictFilterBackend], serializer_class=PersonAlertsSerializer)
    def by_person(self, request):
        qs = self.filter_queryset(open_alerts_for(request.user))
        record_rows(request.user, kind=_("alertes de détention provisoire, par personne"),
                    query=request.query_params, queryset=qs, person_field=self.person_field)
        people = self.paginate_queryset(people_in_order(qs))
        rows = alerts_by_person(qs, people)
        return self.get_paginated_response(PersonAlertsSerializer(rows, many=True,
                                                                  context=self.get_serializer_context()).data)

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
