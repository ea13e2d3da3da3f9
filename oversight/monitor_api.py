"""API of monitors' authorisations: /api/v1/monitor-authorisations/ (list, read, grant, revoke).
DNAPES and administrators see and grant all; a monitor reads their own. Same services as the pages."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from accounts import monitors
from accounts.models import MonitorAuthorisation, User
from config.api import router
from core.api import (
    ModelSerializer,
    StrictBooleanField,
    StrictCharField,
    StrictPrimaryKeyRelatedField,
    error_responses,
    require_perms,
)
from prisons.models import Facility


class MonitorAuthorisationSerializer(ModelSerializer):
    monitor_username = StrictCharField(source="monitor.username", read_only=True)
    granted_by_username = StrictCharField(source="granted_by.username", read_only=True)
    is_current = StrictBooleanField(read_only=True)

    class Meta:
        model = MonitorAuthorisation
        fields = ["id", "monitor", "monitor_username", "body", "body_detail", "facilities", "starts_on", "ends_on",
                  "reference", "reason", "medical_access", "medical_access_authorised_by", "granted_by",
                  "granted_by_username", "granted_at", "revoked_at", "revoked_by", "revoke_reason", "is_current"]
        read_only_fields = fields


class MonitorAuthorisationInputSerializer(ModelSerializer):
    monitor = StrictPrimaryKeyRelatedField(queryset=User.objects.none())
    facilities = StrictPrimaryKeyRelatedField(queryset=Facility.objects.all(), many=True)

    class Meta:
        model = MonitorAuthorisation
        fields = ["monitor", "body", "body_detail", "facilities", "starts_on", "ends_on", "reference", "reason",
                  "medical_access", "medical_access_authorised_by"]
        validators = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["monitor"].queryset = monitors.monitor_accounts()


class RevokeInputSerializer(serializers.Serializer):
    reason = StrictCharField(max_length=2000)


@extend_schema_view(
    list=extend_schema(tags=["observateurs"], summary="Autorisations des observateurs extérieurs",
                       responses={200: MonitorAuthorisationSerializer(many=True), **error_responses(400, 403)}),
    retrieve=extend_schema(tags=["observateurs"], summary="Une autorisation (consultation inscrite au journal)",
                           responses={200: MonitorAuthorisationSerializer, **error_responses(403, 404)}),
    create=extend_schema(tags=["observateurs"], summary="Accorder une autorisation (DNAPES, administration)",
                         request=MonitorAuthorisationInputSerializer,
                         responses={201: MonitorAuthorisationSerializer, **error_responses(400, 403)}),
)
class MonitorAuthorisationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                                  viewsets.GenericViewSet):
    queryset = MonitorAuthorisation.objects.none()
    serializer_class = MonitorAuthorisationSerializer
    filterset_fields = ["body", "monitor"]
    ordering_fields = ["starts_on", "id"]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return monitors.authorisations_for(self.request.user).order_by("-starts_on", "-id")

    def get_serializer_class(self):
        return MonitorAuthorisationInputSerializer if self.action == "create" else MonitorAuthorisationSerializer

    def retrieve(self, request, pk=None):
        if not (pk or "").isdigit():
            raise NotFound()
        authorisation = monitors.open_monitor_authorisation(int(pk), actor=request.user)
        return Response(MonitorAuthorisationSerializer(authorisation).data)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        authorisation = monitors.grant_monitor_authorisation(data.pop("monitor"), actor=request.user, **data)
        return Response(MonitorAuthorisationSerializer(authorisation).data, status=status.HTTP_201_CREATED)

    @extend_schema(tags=["observateurs"], summary="Révoquer une autorisation (le compte se ferme aussitôt)",
                   request=RevokeInputSerializer,
                   responses={200: MonitorAuthorisationSerializer, **error_responses(400, 403, 404)})
    @action(detail=True, methods=["post"], permission_classes=[require_perms("accounts.change_monitorauthorisation")])
    def revoke(self, request, pk=None):
        authorisation = self.get_object()
        serializer = RevokeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        authorisation = monitors.revoke_monitor_authorisation(authorisation, actor=request.user,
                                                              reason=serializer.validated_data["reason"])
        return Response(MonitorAuthorisationSerializer(authorisation).data)


router.register("monitor-authorisations", MonitorAuthorisationViewSet, basename="monitor-authorisation")
