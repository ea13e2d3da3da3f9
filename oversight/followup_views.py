"""The follow-up aggregates (oversight.followup_report) and their trend month by month
(oversight.followup_trend): the page and GET /api/v1/reports/followup/. DNAPES nationally, a director
for their own prison; no person's data, one LIST entry per reading."""

import datetime

from django.contrib.auth.decorators import permission_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.reads import record_list
from core.api import (
    QuerySerializer,
    StrictCharField,
    StrictFloatField,
    StrictIntegerField,
    error_responses,
    require_perms,
)
from prisons.models import Facility

from . import followup_report, followup_trend

PERMISSION = "followup.view_aggregates"


class FollowupQuerySerializer(QuerySerializer):
    facility = StrictIntegerField(required=False, min_value=1, max_value=2**63 - 1,
                                  help_text=_("Identifiant de l'établissement (par défaut : tous ceux visibles)."),
                                  error_messages={"invalid": _("Établissement invalide.")})


def _facility(request, value):
    """The prison asked for (a checked id; none: every prison the reader sees)."""
    if value is None:
        return None
    return get_object_or_404(Facility.objects.visible_to(request.user), pk=value)


def _data(request, facility):
    return {**followup_report.report(request.user, facility),
            "trend": followup_trend.trend(request.user, facility)}


def _record(request, data, facility):
    record_list(request.user, kind=_("agrégats du suivi individuel"), query=request.GET,
                count=len(data["rows"]), target=facility, facility_id=facility.pk if facility else None)


@require_GET
@permission_required(PERMISSION, raise_exception=True)
def followup_page(request):
    query = FollowupQuerySerializer.from_page_form({"facility": request.GET.get("etablissement", "")})
    if not query.is_valid():
        raise Http404(_("Établissement inconnu."))
    facility = _facility(request, query.validated_data.get("facility"))
    data = _data(request, facility)
    _record(request, data, facility)
    return render(request, "oversight/followup_report.html", {
        "data": data, "facility": facility, "facilities": Facility.objects.visible_to(request.user).order_by("name"),
        "day": datetime.date.fromisoformat(data["day"]),
        "trend": followup_trend.series(data["trend"]), "categories": [row["label"] for row in data["rows"]]})


class CellSerializer(serializers.Serializer):
    text = StrictCharField()
    value = StrictIntegerField(allow_null=True)
    percent = StrictFloatField(allow_null=True)


class ColumnCellSerializer(serializers.Serializer):
    column = StrictCharField()
    held = CellSerializer()
    measures = serializers.DictField(child=CellSerializer())


class RowSerializer(serializers.Serializer):
    category = StrictCharField()
    label = StrictCharField()
    cells = ColumnCellSerializer(many=True)


class TrendMonthSerializer(serializers.Serializer):
    month = StrictCharField(help_text="AAAA-MM")
    day = serializers.DateField(allow_null=True, help_text=_("Le relevé nocturne retenu (le dernier du mois) ; "
                                                             "nul : aucun relevé ce mois-là."))
    columns = serializers.ListField(child=serializers.DictField(child=StrictCharField()))
    rows = RowSerializer(many=True)


class FollowupReportSerializer(serializers.Serializer):
    day = serializers.DateField()
    threshold = StrictIntegerField()
    columns = serializers.ListField(child=serializers.DictField(child=StrictCharField()))
    measures = serializers.ListField(child=serializers.DictField(child=StrictCharField()))
    rows = RowSerializer(many=True)
    trend = TrendMonthSerializer(many=True)


class FollowupReportView(APIView):
    permission_classes = [require_perms(PERMISSION)]

    @extend_schema(
        operation_id="reports_followup", tags=["reports"],
        summary="Suivi individuel : évaluations, plans, interventions suivies, refus par catégorie",
        description="Parmi les personnes détenues, par catégorie (liées au terrorisme selon le statut juridique ; "
                    "autres), par établissement et au niveau national : combien ont une évaluation des besoins, "
                    "un plan individuel, ont suivi au moins une séance, ont vu une inscription refusée à cause de "
                    "leur catégorie. Aucun nom. Un `text` « < 5 » ou « n.d. » est une cellule protégée "
                    "(`value` et `percent` nuls) ; les établissements de moins de 5 personnes sont regroupés. "
                    "`trend` : les 12 derniers mois, chacun d'après le dernier relevé nocturne du mois (les "
                    "chiffres et le statut juridique de ce jour-là), protégé de la même façon ; un mois sans "
                    "relevé a `day` nul.",
        parameters=[FollowupQuerySerializer],
        responses={200: FollowupReportSerializer, **error_responses(400, 403, 404)},
    )
    def get(self, request):
        query = FollowupQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        facility = _facility(request, query.validated_data.get("facility"))
        data = _data(request, facility)
        _record(request, data, facility)
        return Response(data)
