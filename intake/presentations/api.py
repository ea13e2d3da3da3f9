"""API of the register of presentations without a valid title: /api/v1/presentations/ (record,
list, read) and its decisions refuse/, hold/, regularise/, release/ — the same services as the pages."""

import copy

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from accounts.reads import AuditedListMixin
from casework.models import Court
from config.api import router
from core.api import (
    ModelSerializer,
    StrictCharField,
    StrictIntegerField,
    StrictPrimaryKeyRelatedField,
    error_responses,
    require_perms,
)
from inmates.models import ArrestingForce, Sex
from prisons.models import Facility, Unit

from .. import presentations as services
from ..models import MissingTitle, Presentation, PresentationOutcome
from ..presentations import TITLE_FIELDS
from ..serializers import ArrivalSerializer

TEXT = {"required": False, "allow_blank": True}


class PresentationSerializer(ModelSerializer):
    facility = serializers.SlugRelatedField(slug_field="code", read_only=True)
    prosecutor = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    outcome_label = StrictCharField(source="get_outcome_display", read_only=True)
    missing_label = StrictCharField(source="get_missing_display", read_only=True)
    legal_status = serializers.SerializerMethodField(
        help_text="Statut juridique du séjour ouvert (suspect tant qu'aucun titre n'est reçu) ; vide sans séjour.")

    class Meta:
        model = Presentation
        fields = ["id", "facility", "presented_at", "escort_force", "escort_unit", "escort_names", "last_name",
                  "first_name", "sex", "birth_year", "declared", "missing", "missing_label", "missing_details",
                  "document_shown", "prosecutor", "recorded_by", "recorded_at", "outcome", "outcome_label",
                  "decided_by", "decided_at", "decision_reason", "handed_to", "inmate", "custody", "legal_status",
                  "letter_printed_at", "closed_by", "closed_at", "close_note", "intake"]
        read_only_fields = fields

    def get_legal_status(self, obj) -> str:
        return obj.custody.legal_status if obj.custody_id else ""


class PresentationInputSerializer(serializers.Serializer):
    schema_required = ("facility", "escort_force", "escort_unit", "escort_names", "last_name", "first_name", "sex",
                       "missing", "missing_details")

    facility = serializers.SlugRelatedField(slug_field="code", queryset=Facility.objects.all(),
                                            help_text="Code de l'établissement.")
    presented_at = serializers.DateTimeField(required=False, allow_null=True,
                                             help_text="Maintenant si absent ; jamais dans le futur.")
    escort_force = serializers.ChoiceField(ArrestingForce.choices)
    escort_unit = StrictCharField(max_length=120)
    escort_names = StrictCharField(max_length=240)
    last_name = StrictCharField(max_length=80)
    first_name = StrictCharField(max_length=120)
    sex = serializers.ChoiceField(Sex.choices)
    birth_year = StrictIntegerField(required=False, allow_null=True, min_value=1900, max_value=2100)
    declared = StrictCharField(**TEXT)
    missing = serializers.ChoiceField(MissingTitle.choices)
    missing_details = StrictCharField()
    document_shown = StrictCharField(**TEXT, max_length=200)
    prosecutor = serializers.SlugRelatedField(slug_field="code", queryset=Court.objects.all(), required=False,
                                              allow_null=True, help_text="Code de la juridiction (parquet à aviser).")


class RefuseSerializer(serializers.Serializer):
    schema_required = ("handed_to", "reason")
    handed_to = StrictCharField(**TEXT, max_length=160)
    reason = StrictCharField(**TEXT)
    at = serializers.DateTimeField(required=False, allow_null=True)


class HoldSerializer(serializers.Serializer):
    schema_required = ("reason",)
    reason = StrictCharField(**TEXT)
    unit = StrictPrimaryKeyRelatedField(queryset=Unit.objects.all(), required=False, allow_null=True)
    override_reason = StrictCharField(**TEXT)
    at = serializers.DateTimeField(required=False, allow_null=True)


class ReleaseSerializer(serializers.Serializer):
    schema_required = ("authority", "reason")
    authority = StrictCharField(**TEXT, max_length=160)
    reason = StrictCharField(**TEXT)
    left_at = serializers.DateTimeField(required=False, allow_null=True)


class TitleSerializer(serializers.Serializer):
    """The title received, checked as at any arrival (intake.services.check_warrant), and what the
    person's identity still lacks: the region of origin, a date or year of birth."""

    schema_required = ("warrant_number", "warrant_kind", "issued_by", "issued_on", "court", "charges",
                       "arresting_force", "arrested_at", "arrest_place")

    def get_fields(self):  # the arrival's own declarations of these fields (one definition)
        declared = ArrivalSerializer().fields
        return {name: copy.deepcopy(declared[name]) for name in TITLE_FIELDS}




@extend_schema_view(
    list=extend_schema(summary="Registre des présentations sans titre valable (établissements de l'utilisateur)",
                       responses={200: PresentationSerializer(many=True), **error_responses(400, 403)}),
    retrieve=extend_schema(summary="Une présentation sans titre (consultation inscrite au journal)",
                           responses={200: PresentationSerializer, **error_responses(403, 404)}),
    create=extend_schema(summary="Enregistrer une personne présentée sans titre valable (greffe, sécurité, "
                                 "direction)", request=PresentationInputSerializer,
                         responses={201: PresentationSerializer, **error_responses(400, 403)}),
)
class PresentationViewSet(AuditedListMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                          mixins.CreateModelMixin, viewsets.GenericViewSet):
    queryset = Presentation.objects.none()
    serializer_class = PresentationSerializer
    http_method_names = ["get", "post", "head", "options"]
    permission_classes = [require_perms("intake.view_presentation")]
    person_field = "inmate_id"
    audit_kind = "présentations sans titre"

    def get_queryset(self):
        queryset = Presentation.objects.visible_to(self.request.user).select_related(
            "facility", "prosecutor", "custody").order_by("-presented_at", "-id")
        outcome = self.request.query_params.get("outcome")
        if outcome in PresentationOutcome.values:
            queryset = queryset.filter(outcome=outcome)
        return queryset

    def get_serializer_class(self):
        return PresentationInputSerializer if self.action == "create" else PresentationSerializer

    def _open(self, pk):
        if not str(pk or "").isdigit():
            raise NotFound()
        return services.open_presentation(int(pk), actor=self.request.user)

    def retrieve(self, request, pk=None):
        return Response(PresentationSerializer(self._open(pk)).data)

    def create(self, request, *args, **kwargs):
        serializer = PresentationInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        presentation = services.record_presentation(facility=data.pop("facility"), actor=request.user, **data)
        return Response(PresentationSerializer(presentation).data, status=status.HTTP_201_CREATED)

    def _decide(self, request, pk, serializer_class, service, extra=dict):
        presentation = self._open(pk)
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        presentation = service(presentation, actor=request.user, **extra(serializer.validated_data))
        return Response(PresentationSerializer(presentation).data)

    @extend_schema(summary="Remettre la personne à l'escorte (refus d'admission)", request=RefuseSerializer,
                   responses={200: PresentationSerializer, **error_responses(400, 403, 404)})
    @action(detail=True, methods=["post"], permission_classes=[require_perms("intake.add_presentation")])
    def refuse(self, request, pk=None):
        return self._decide(request, pk, RefuseSerializer, services.refuse_presentation, extra=dict)

    @extend_schema(summary="Retenir en attente de régularisation (direction) : alerte critique, direction et "
                           "DNAPES avisées", request=HoldSerializer,
                   responses={200: PresentationSerializer, **error_responses(400, 403, 404)})
    @action(detail=True, methods=["post"], permission_classes=[require_perms("intake.decide_presentation")])
    def hold(self, request, pk=None):
        return self._decide(request, pk, HoldSerializer, services.hold_pending_regularisation, extra=dict)

    @extend_schema(summary="Titre reçu : régulariser (affaire et titre enregistrés, l'écrou suit ses étapes)",
                   request=TitleSerializer, responses={200: PresentationSerializer, **error_responses(400, 403, 404)})
    @action(detail=True, methods=["post"], permission_classes=[require_perms("intake.add_intake")])
    def regularise(self, request, pk=None):
        return self._decide(request, pk, TitleSerializer, services.regularise, extra=lambda data: {"title": data})

    @extend_schema(summary="Libérer la personne retenue sans titre (aucun titre produit)", request=ReleaseSerializer,
                   responses={200: PresentationSerializer, **error_responses(400, 403, 404)})
    @action(detail=True, methods=["post"], permission_classes=[require_perms("intake.decide_presentation")])
    def release(self, request, pk=None):
        return self._decide(request, pk, ReleaseSerializer, services.release_unregularised, extra=dict)


router.register("presentations", PresentationViewSet, basename="presentation")
