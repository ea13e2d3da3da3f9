from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import AllowAny

from .second_factor import requires_second_factor, verify


class TokenRequestSerializer(AuthTokenSerializer):
    otp_token = serializers.CharField(
        label=_("Code de double authentification"), required=False, allow_blank=True, write_only=True,
        help_text=_("Obligatoire pour les administrateurs et la DNAPES lorsque la double authentification est exigée."),
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        user = attrs["user"]
        if requires_second_factor(user) and verify(user, attrs.get("otp_token", "")) is None:
            raise serializers.ValidationError(
                {"otp_token": [_("Code de double authentification requis ou incorrect.")]}, code="authorization"
            )
        return attrs


@extend_schema(tags=["auth"], summary="Obtenir un jeton d'accès (identifiant, mot de passe, code)")
class ObtainTokenView(ObtainAuthToken):
    permission_classes = [AllowAny]
    serializer_class = TokenRequestSerializer
