"""API of the oversight reports: GET /api/v1/reports/<occupancy|roll|separation|activities|profiles>/.

Explicit paths (not a router prefix): /api/v1/reports/backlog/ belongs to casework.
"""

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import error_responses

from .access import REPORTS, may_read, read_report, resolve_scope
from .followup_views import FollowupReportView
from .inspection import may_inspect, read_inspection
from .queues import queues_for
from .serializers import (
    REPORT_SERIALIZERS,
    InspectionQuerySerializer,
    InspectionSerializer,
    MyQueuesSerializer,
    ReportQuerySerializer,
)
from .subject_access import export_subject_access, may_export


class MayExportSubjectAccess(BasePermission):
    """The direction, the registry and DNAPES, by role membership (not is_superuser)."""

    def has_permission(self, request, view):
        return may_export(request.user)


class SubjectAccessView(APIView):
    """GET /api/v1/inmates/{id}/subject-access/: everything held on one person (audited)."""

    permission_classes = [MayExportSubjectAccess]

    @extend_schema(
        operation_id="inmates_subject_access", tags=["inmates"],
        summary="Export d'accès de la personne concernée (tout ce qui est détenu sur une personne)",
        description="Sections titrées (identité, profil, séjours, affaires, plaintes, écrous, médical, "
                    "entretiens), chacune une liste d'enregistrements de champs (field, label, value, display). "
                    "Une section `restricted` n'est pas communiquée au lecteur (rôle non habilité). "
                    "Direction, greffe et DNAPES ; une personne d'un autre établissement : 404. "
                    "Chaque export est consigné au journal d'audit.",
        parameters=[OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)],
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="L'export"),
                   **error_responses(403, 404)},
    )
    def get(self, request, id):
        return Response(export_subject_access(id, actor=request.user))


class MayInspect(BasePermission):
    """`oversight.view_inspection` (directors, DNAPES, monitors granted it)."""

    def has_permission(self, request, view):
        return may_inspect(request.user)


class InspectionView(APIView):
    """GET /api/v1/facilities/{id}/inspection/: the inspection view of one prison (audited)."""

    permission_classes = [MayInspect]

    @extend_schema(
        operation_id="facilities_inspection", tags=["reports"],
        summary="Vue d'inspection d'un établissement (registres, éléments en retard)",
        description="Pour une période (par défaut les 30 derniers jours) : chaque registre (décès, plaintes, "
                    "alertes de détention, occupation, présentations sans titre, et les registres ajoutés "
                    "ensuite) en une section : effectif de la période, lignes, éléments en retard avec le lien "
                    "où les régulariser. Jamais de détail médical ; le statut juridique à côté de toute mention "
                    "de terrorisme. Direction (son établissement), DNAPES, contrôleurs habilités ; un autre "
                    "établissement : 404. Chaque consultation est consignée au journal d'audit.",
        parameters=[OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH), InspectionQuerySerializer],
        responses={200: InspectionSerializer, **error_responses(400, 403, 404)},
    )
    def get(self, request, id):
        query = InspectionQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return Response(read_inspection(id, actor=request.user, start=query.validated_data.get("debut"),
                                        end=query.validated_data.get("fin")))


class MayReadReport(BasePermission):
    """The report's own permission (oversight.access.PERMISSIONS): the roll is also the
    registry's and security's; the other reports the direction's and DNAPES's."""

    def has_permission(self, request, view):
        return may_read(request.user, view.key)


class ReportView(APIView):
    """One report, scoped to the reader's prisons (another prison → 404) and audited."""

    permission_classes = [MayReadReport]
    key = ""

    def get(self, request):
        query = ReportQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        scope = resolve_scope(request.user, query.validated_data)
        return Response(read_report(self.key, scope))


def _view(key, description):
    doc = extend_schema(
        operation_id=f"reports_{key}", tags=["reports"], summary=str(REPORTS[key]), description=description,
        parameters=[ReportQuerySerializer],
        responses={200: OpenApiResponse(REPORT_SERIALIZERS[key], description=str(REPORTS[key])),
                   **error_responses(400, 403, 404)},
    )
    def get(self, request):
        return ReportView.get(self, request)

    view = type(f"{key.title()}ReportView", (ReportView,), {"key": key, "get": doc(get)})
    return view.as_view()


class MyQueuesView(APIView):
    """GET /api/v1/me/queues/: what is waiting for the signed-in user, as on their home page."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="me_queues", tags=["me"], summary="Mes files de travail (ce qui m'attend aujourd'hui)",
        description="Par établissement de l'utilisateur (national pour la DNAPES) : le nombre de dossiers "
                    "en attente de chaque tâche de son rôle et l'adresse de la liste filtrée qui les montre. "
                    "Le besoin d'en connaître s'applique (examens médicaux : personnel médical seulement).",
        responses={200: MyQueuesSerializer, **error_responses(403)},
    )
    def get(self, request):
        return Response({"queues": [q.as_dict() for q in queues_for(request.user)]})


urlpatterns = [
    path("reports/followup/", FollowupReportView.as_view(), name="report-followup"),
    path("facilities/<int:id>/inspection/", InspectionView.as_view(), name="facility-inspection"),
    path("me/queues/", MyQueuesView.as_view(), name="me-queues"),
    path("inmates/<int:id>/subject-access/", SubjectAccessView.as_view(), name="inmate-subject-access"),
    path("reports/occupancy/", _view("occupancy", "Held, official capacity, congestion and untried share per "
                                     "facility and by unit; destroyed and closed facilities apart; 90-day trend."),
         name="report-occupancy"),
    path("reports/roll/", _view("roll", "One facility's roll at the end of the day: people by unit, arrivals, "
                                "departures, intake, absences (court, infirmary)."), name="report-roll"),
    path("reports/separation/", _view("separation", "Units mixing men and women, untried and convicted, minors "
                                      "and adults, terrorism-related and others (Mandela Rule 11)."),
         name="report-separation"),
    path("reports/activities/", _view("activities", "Access to activities by category of detainee, per "
                                      "facility."), name="report-activities"),
    path("reports/register/", _view("register", "One facility's register of persons deprived of liberty (ICPPED "
                                    "art. 17(3)): for each person held at the end of the day (intake included) and "
                                    "each who left that day, the arrest (force, place, time), the chain of earlier "
                                    "custody, the authority that ordered the detention and its grounds, the unit, "
                                    "the legal status beside the terrorism flag."), name="report-register"),
    path("reports/profiles/", _view("profiles", "Profiles of terrorism-related detainees, by dimension "
                                    "(rows) and facility (columns); no names, no ids of people. A cell's `text` "
                                    "is its count, or `\"< 5\"` (a count of 0 to 4, hidden), or `\"n.d.\"` "
                                    "(*non diffusé*: a larger count hidden as well, so that no small count can "
                                    "be worked out by subtraction); `value` and `percent` are then null. Free "
                                    "answers given by fewer than 5 people are grouped under `other`; prisons "
                                    "holding fewer than 5 such people are grouped into the `others` column."),
         name="report-profiles"),
]
