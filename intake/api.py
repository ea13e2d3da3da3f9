"""API for the arrival workflow; registers on config.api.router.

POST /api/v1/arrivals/ registers an arrival from its warrant; GET /api/v1/intakes/{id}/
gives the state and the next step; POST /api/v1/intakes/{id}/<step>/ completes a step
(409 out of order or twice, 403 wrong role, 404 another prison's intake, 400 with French
messages). GET /api/v1/inmates/matches/ lists duplicate candidates (path registered in
config/api_urls.py, ahead of the router's /inmates/).
"""

from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, parsers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.reads import AuditedListMixin
from accounts.roles import ROLE_PERMISSIONS, Role
from config.api import router
from core.api import ErrorSerializer, QuerySerializer, StrictBooleanField, StrictCharField, StrictIntegerField
from prisons.models import Facility, Region

from . import services
from .models import STEP_PERMISSIONS, STEP_SLUGS, Intake, IntakeStatus, Step, StepRecord
from .serializers import (
    AdministrationSerializer,
    ArrivalSerializer,
    IntakeSerializer,
    InterviewSerializer,
    MatchSerializer,
    MedicalSerializer,
    RegistrySerializer,
    SecuritySerializer,
)


class FieldErrorsSerializer(serializers.Serializer):
    """A refused input: a list of French messages per field."""

    non_field_errors = serializers.ListField(child=StrictCharField(), required=False)

    class Meta:
        ref_name = "IntakeFieldErrors"


ERRORS = {
    400: OpenApiResponse(FieldErrorsSerializer, description="Saisie refusée : messages par champ "
                         "(ex. ce qui manque au titre de détention). Rien n'est enregistré."),
    403: OpenApiResponse(ErrorSerializer, description="Non authentifié, ou étape hors de votre rôle."),
    404: OpenApiResponse(ErrorSerializer, description="Écrou inexistant ou d'un autre établissement."),
    409: OpenApiResponse(ErrorSerializer, description="Étape hors d'ordre, déjà effectuée, "
                         "ou effectuée au même moment par une autre personne. Rien n'est enregistré."),
}


def _errors(*codes):
    return {code: ERRORS[code] for code in codes}


class CanRegisterArrivals(BasePermission):
    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated
                    and request.user.has_perm("intake.add_intake"))


def _intakes_for(user):
    return (Intake.objects.visible_to(user)
            .select_related("facility", "inmate", "custody", "security")
            .prefetch_related(Prefetch("step_records",
                                       queryset=StepRecord.objects.select_related("completed_by"))))


@extend_schema(tags=["écrou"])
class ArrivalViewSet(mixins.CreateModelMixin, viewsets.GenericViewSet):
    serializer_class = ArrivalSerializer
    permission_classes = [CanRegisterArrivals]
    queryset = Intake.objects.none()

    @extend_schema(summary="Enregistrer une arrivée à partir du titre de détention",
                   request=ArrivalSerializer,
                   responses={201: IntakeSerializer, **_errors(400, 403)})
    def create(self, request, *args, **kwargs):
        serializer = ArrivalSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        facility = data.pop("facility", None)
        if facility is None:
            mine = Facility.objects.visible_to(request.user)
            if mine.count() != 1:
                raise serializers.ValidationError({"facility": ["Indiquez l'établissement."]})
            facility = mine.get()
        data["charges"] = [dict(c) for c in data.get("charges") or []]
        data["prior_custodies"] = [dict(p) for p in data.get("prior_custodies") or []]
        intake = services.register_arrival(data, facility=facility, actor=request.user)
        intake = _intakes_for(request.user).get(pk=intake.pk)
        return Response(IntakeSerializer(intake).data, status=status.HTTP_201_CREATED)


STEP_INPUTS = {
    Step.SECURITY: SecuritySerializer,
    Step.ADMINISTRATION: AdministrationSerializer,
    Step.REGISTRY: RegistrySerializer,
    Step.MEDICAL: MedicalSerializer,
    Step.INTERVIEW: InterviewSerializer,
}


def _step_action_roles(step):
    """The roles whose permissions include this step (accounts.roles, the one table)."""
    permission = STEP_PERMISSIONS[step]
    return [Role(role).label for role, perms in ROLE_PERMISSIONS.items() if permission in perms]


def _step_description(step):
    roles = ", ".join(str(label) for label in _step_action_roles(step))
    return (f"Rôles autorisés : {roles} (dans un établissement qu'ils desservent). Les étapes se font "
            "dans l'ordre 1 à 5 ; une étape hors d'ordre ou déjà faite répond 409.")


def _step_action(step):
    input_serializer = STEP_INPUTS[step]

    def complete(self, request, pk=None):
        intake = self.get_object()
        serializer = input_serializer(data=request.data)
        services.check_can_complete(intake, step, actor=request.user)
        serializer.is_valid(raise_exception=True)
        data = (serializer.service_data() if hasattr(serializer, "service_data")
                else dict(serializer.validated_data))
        services.complete_step(intake, step, data=data, actor=request.user)
        return Response(IntakeSerializer(self.get_queryset().get(pk=intake.pk)).data)

    complete.__name__ = STEP_SLUGS[step]
    complete.__doc__ = f"Complete the {STEP_SLUGS[step]} step."
    multipart = step == Step.ADMINISTRATION
    # action() first: it replaces func.kwargs, where extend_schema leaves its schema.
    complete = action(detail=True, methods=["post"], url_path=STEP_SLUGS[step],
                      permission_classes=[IsAuthenticated],
                      parser_classes=[parsers.MultiPartParser, parsers.FormParser] if multipart
                      else [parsers.JSONParser, parsers.MultiPartParser, parsers.FormParser])(complete)
    return extend_schema(
        tags=["écrou"], summary=f"Étape {int(step)} : {step.label}",
        description=_step_description(step),
        request={"multipart/form-data": input_serializer} if multipart else input_serializer,
        responses={200: IntakeSerializer, **_errors(400, 403, 404, 409)},
    )(complete)


class IntakeListQuerySerializer(QuerySerializer):
    status = serializers.ChoiceField(IntakeStatus.choices, default=IntakeStatus.IN_PROGRESS)
    stalled = StrictBooleanField(default=False, help_text="Seulement les écrous bloqués "
                                 "(aucune étape depuis INTAKE_STALL_HOURS).")



class IntakeViewSet(AuditedListMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Intakes of the user's prisons: in progress by default (`?status=completed` for the rest)."""

    serializer_class = IntakeSerializer
    queryset = Intake.objects.none()
    person_field = "inmate_id"  # the list: one LIST entry; `retrieve`: open_intake (VIEW)

    def get_queryset(self):
        queryset = _intakes_for(self.request.user)
        if self.action == "list":
            query = IntakeListQuerySerializer(data=self.request.query_params)
            query.is_valid(raise_exception=True)
            queryset = queryset.filter(status=query.validated_data["status"]).order_by("last_activity_at")
            if query.validated_data["stalled"]:
                queryset = queryset.stalled()
        return queryset

    @extend_schema(tags=["écrou"], summary="Écrous en cours (les bloqués avec ?stalled=true)",
                   parameters=[IntakeListQuerySerializer],
                   responses={200: IntakeSerializer(many=True), **_errors(400, 403)})
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(tags=["écrou"], summary="État d'un écrou et prochaine étape",
                   responses={200: IntakeSerializer, **_errors(403, 404)})
    def retrieve(self, request, *args, **kwargs):
        intake = self.get_object()
        services.open_intake(intake.pk, actor=request.user)  # audited read
        return Response(IntakeSerializer(intake).data)

    security = _step_action(Step.SECURITY)
    administration = _step_action(Step.ADMINISTRATION)
    registry = _step_action(Step.REGISTRY)
    medical = _step_action(Step.MEDICAL)
    interview = _step_action(Step.INTERVIEW)


class MatchQuerySerializer(QuerySerializer):
    last_name = StrictCharField(max_length=80)
    first_name = StrictCharField(max_length=120, required=False, allow_blank=True)
    birth_year = StrictIntegerField(required=False, min_value=1900, max_value=2100)
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all(), required=False)



class InmateMatchesView(APIView):
    """Duplicate candidates among existing and past detainees, nationally."""

    permission_classes = [CanRegisterArrivals]

    @extend_schema(tags=["écrou"], summary="Correspondances possibles (doublons, ré-écrous)",
                   parameters=[MatchQuerySerializer],
                   responses={200: MatchSerializer(many=True), **_errors(400, 403)})
    def get(self, request):
        query = MatchQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        found = services.duplicate_candidates(actor=request.user, **query.validated_data)
        return Response(MatchSerializer(found, many=True).data)


router.register("arrivals", ArrivalViewSet, basename="arrival")
router.register("intakes", IntakeViewSet, basename="intake")
