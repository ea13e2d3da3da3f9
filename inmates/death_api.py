"""API for deaths in custody: /api/v1/deaths/ (declare, read) and /deaths/<id>/notifications/
(the family told, Rule 69; the judicial authority informed, Rule 71). Same services as the pages."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from accounts.reads import AuditedListMixin
from config.api import router
from core.api import (
    ModelSerializer,
    StrictBooleanField,
    StrictCharField,
    StrictIntegerField,
    StrictPrimaryKeyRelatedField,
    error_responses,
    require_perms,
)
from prisons.api import facility_from_query

from . import deaths
from .models import Custody, DeathInCustody, NotificationMethod


class DeathSerializer(ModelSerializer):
    inmate = StrictIntegerField(source="custody.inmate_id", read_only=True)
    facility = StrictIntegerField(source="custody.facility_id", read_only=True)
    legal_status = StrictCharField(source="custody.legal_status", read_only=True)
    legal_status_label = StrictCharField(source="custody.get_legal_status_display", read_only=True)
    terrorism_related = StrictBooleanField(source="custody.terrorism_related", read_only=True)
    missing_notifications = serializers.ListField(child=StrictCharField(), read_only=True)
    missing_follow_up = serializers.ListField(
        child=StrictCharField(), read_only=True,
        help_text="Ce que le registre attend encore : enquête indépendante (Règle 71), remise de la dépouille (Règle 72).")

    class Meta:
        model = DeathInCustody
        fields = ["id", "custody", "inmate", "facility", "legal_status", "legal_status_label", "terrorism_related",
                  "died_at", "place", "circumstances", "kin_told_at", "kin_told_by", "kin_name", "kin_method",
                  "authority_informed_at", "authority_informed_by", "authority", "authority_method",
                  "authority_reference", "missing_notifications", "inquiry_authority", "inquiry_reference",
                  "inquiry_opened_on", "inquiry_outcome", "inquiry_closed_on", "body_handling", "body_returned_to",
                  "body_returned_at", "missing_follow_up", "recorded_at"]
        read_only_fields = fields


class NotificationsInputSerializer(serializers.Serializer):
    kin_told_at = serializers.DateTimeField(required=False, allow_null=True)
    kin_name = StrictCharField(required=False, allow_blank=True, max_length=160)
    kin_method = serializers.ChoiceField(choices=NotificationMethod.choices, required=False, allow_blank=True)
    authority_informed_at = serializers.DateTimeField(required=False, allow_null=True)
    authority = StrictCharField(required=False, allow_blank=True, max_length=160)
    authority_method = serializers.ChoiceField(choices=NotificationMethod.choices, required=False, allow_blank=True)
    authority_reference = StrictCharField(required=False, allow_blank=True, max_length=80)


class FollowUpInputSerializer(serializers.Serializer):
    inquiry_authority = StrictCharField(required=False, allow_blank=True, max_length=160)
    inquiry_reference = StrictCharField(required=False, allow_blank=True, max_length=80)
    inquiry_opened_on = serializers.DateField(required=False, allow_null=True)
    inquiry_outcome = StrictCharField(required=False, allow_blank=True)
    inquiry_closed_on = serializers.DateField(required=False, allow_null=True)
    body_handling = StrictCharField(required=False, allow_blank=True)
    body_returned_to = StrictCharField(required=False, allow_blank=True, max_length=160)
    body_returned_at = serializers.DateTimeField(required=False, allow_null=True)


class DeathInputSerializer(NotificationsInputSerializer):
    custody = StrictPrimaryKeyRelatedField(queryset=Custody.objects.none())
    died_at = serializers.DateTimeField()
    place = StrictCharField(max_length=160)
    circumstances = StrictCharField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["custody"].queryset = Custody.objects.visible_to(request.user)


@extend_schema_view(
    list=extend_schema(summary="Registre des décès en détention (établissements de l'utilisateur ; ?facility=<id>)",
                       parameters=[OpenApiParameter("facility", OpenApiTypes.INT,
                                                    description="Un établissement (id) ; sinon tous ceux de l'utilisateur.")],
                       responses={200: DeathSerializer(many=True), **error_responses(400, 403)}),
    retrieve=extend_schema(summary="Un décès en détention (consultation inscrite au journal)",
                           responses={200: DeathSerializer, **error_responses(403, 404)}),
    create=extend_schema(summary="Déclarer un décès en détention (le séjour est clos)", request=DeathInputSerializer,
                         responses={201: DeathSerializer, **error_responses(400, 403)}),
)
class DeathViewSet(AuditedListMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                   viewsets.GenericViewSet):
    queryset = DeathInCustody.objects.none()
    serializer_class = DeathSerializer
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        qs = DeathInCustody.objects.visible_to(self.request.user).select_related("custody").order_by("-died_at")
        if self.action == "list":
            facility = facility_from_query(self.request)  # another prison's id: 404
            if facility is not None:
                qs = qs.filter(custody__facility=facility)
        return qs

    def get_serializer_class(self):
        return DeathInputSerializer if self.action == "create" else DeathSerializer

    def retrieve(self, request, pk=None):
        if not (pk or "").isdigit():
            raise NotFound()
        return Response(DeathSerializer(deaths.open_death(int(pk), actor=request.user)).data)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        death = deaths.record_death(data.pop("custody"), actor=request.user, died_at=data.pop("died_at"),
                                    place=data.pop("place"), circumstances=data.pop("circumstances"), **data)
        return Response(DeathSerializer(death).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Enregistrer l'information de la famille et de l'autorité judiciaire",
                   request=NotificationsInputSerializer,
                   responses={200: DeathSerializer, **error_responses(400, 403, 404)})
    @action(detail=True, methods=["post"], permission_classes=[require_perms("inmates.change_deathincustody")])
    def notifications(self, request, pk=None):
        death = self.get_object()
        serializer = NotificationsInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        death = deaths.record_death_notifications(death, actor=request.user, **serializer.validated_data)
        return Response(DeathSerializer(death).data)


    @extend_schema(summary="Enregistrer l'enquête (Règle 71) et la remise de la dépouille (Règle 72)",
                   request=FollowUpInputSerializer,
                   responses={200: DeathSerializer, **error_responses(400, 403, 404)})
    @action(detail=True, methods=["post"], url_path="follow-up",
            permission_classes=[require_perms("inmates.change_deathincustody")])
    def follow_up(self, request, pk=None):
        death = self.get_object()
        serializer = FollowUpInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        death = deaths.record_death_follow_up(death, actor=request.user, **serializer.validated_data)
        return Response(DeathSerializer(death).data)


router.register("deaths", DeathViewSet, basename="death")
