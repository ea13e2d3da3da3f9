"""The API's door: a token from username + password (+ second factor), logout, logout-all.

Tokens are django-rest-knox's (`accounts.authentication`): stored hashed, one per sign-in
(device), expiring after API_TOKEN_TTL_HOURS, sent as `Authorization: Token <token>`."""

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth import authenticate
from django.contrib.auth.models import update_last_login
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from .api_fields import StrictCharField
from .authentication import TokenAuthentication
from .lockout import lockout_response
from .models import AuditAction
from .second_factor import requires_second_factor, verify
from .services import issue_api_token, record_audit, revoke_api_token, revoke_api_tokens


class TokenCredentialsSerializer(serializers.Serializer):
    username = StrictCharField(label=gettext_lazy("Identifiant"), max_length=150, write_only=True)
    password = StrictCharField(label=gettext_lazy("Mot de passe"), max_length=128, write_only=True,
                               trim_whitespace=False, style={"input_type": "password"})
    otp_token = StrictCharField(
        label=gettext_lazy("Code de double authentification"), required=False, allow_blank=True,
        max_length=16, write_only=True,
        help_text=gettext_lazy(
            "Obligatoire pour les administrateurs système et la DNAPES lorsque la double "
            "authentification est exigée (OTP_REQUIRED) : le code à 6 chiffres de l'application "
            "d'authentification. Ignoré pour les autres comptes."),
    )


class TokenSerializer(serializers.Serializer):
    token = StrictCharField(help_text=gettext_lazy(
        "Le jeton, montré cette seule fois (seule son empreinte est conservée) : à envoyer dans "
        "l'en-tête `Authorization: Token <jeton>`."))
    expiry = serializers.DateTimeField(allow_null=True, help_text=gettext_lazy(
        "Fin de validité du jeton (API_TOKEN_TTL_HOURS, 8 h par défaut) ; en demander un nouveau ensuite."))


class AuthErrorSerializer(serializers.Serializer):
    detail = StrictCharField()


class TokenRefusedSerializer(serializers.Serializer):
    non_field_errors = serializers.ListField(child=StrictCharField(), required=False)
    otp_token = serializers.ListField(child=StrictCharField(), required=False)
    username = serializers.ListField(child=StrictCharField(), required=False)
    password = serializers.ListField(child=StrictCharField(), required=False)


_LOCKED = OpenApiResponse(AuthErrorSerializer, description=(
    "Trop d'échecs : 5 pour un identifiant depuis une adresse, ou 20 depuis une adresse quels que "
    "soient les identifiants ; bloqué 30 minutes."))


class ObtainTokenView(APIView):
    """Exchange an identifier, a password and (for accounts that need it) a second-factor code
    for an API token. Every refusal and every token issued is written to the audit trail."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        tags=["auth"], summary="Obtenir un jeton d'accès (identifiant, mot de passe, code)",
        description=(
            "Renvoie un nouveau jeton à chaque appel (un par appareil) ; il expire après "
            "`expiry` et est révoqué par `auth/logout/`, `auth/logout-all/`, la déconnexion des "
            "pages, un changement de mot de passe ou la désactivation du compte."),
        request=TokenCredentialsSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(TokenRefusedSerializer, description=(
                "Identifiant ou mot de passe incorrect, compte inactif (`non_field_errors`), ou "
                "code de double authentification absent ou incorrect (`otp_token`).")),
            429: _LOCKED,
        },
    )
    def post(self, request):
        serializer = TokenCredentialsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        http_request = request._request
        user = authenticate(request=http_request, username=data["username"], password=data["password"])
        if user is None:
            if getattr(http_request, "axes_locked_out", False):
                return lockout_response(http_request)
            return Response({"non_field_errors": [
                _("Impossible de se connecter avec les informations d'identification fournies.")]},
                status=status.HTTP_400_BAD_REQUEST)
        if user.outside_authorisation:
            from .monitors import refused_sign_in_message

            record_audit(AuditAction.LOGIN_FAILED, actor=user, target=user,
                         reason="hors de la période d'autorisation (jeton d'API)")
            return Response({"non_field_errors": [refused_sign_in_message()]}, status=status.HTTP_400_BAD_REQUEST)
        if requires_second_factor(user) and verify(user, data.get("otp_token", "")) is None:
            record_audit(AuditAction.LOGIN_FAILED, actor=user, target=user,
                         reason="code de double authentification incorrect (jeton d'API)")
            return Response({"otp_token": [_("Code de double authentification requis ou incorrect.")]},
                            status=status.HTTP_400_BAD_REQUEST)
        instance, token = issue_api_token(user, actor=user)
        # As a page sign-in does: this username's failures from this address are forgotten.
        AxesProxyHandler.user_logged_in(sender=type(user), request=http_request, user=user)
        update_last_login(None, user)
        return Response(TokenSerializer({"token": token, "expiry": instance.expiry}).data)


class LogoutView(APIView):
    """Revoke the token this request is made with."""

    authentication_classes = [TokenAuthentication]
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["auth"], summary="Révoquer ce jeton (déconnexion de l'API)", request=None,
                   responses={204: OpenApiResponse(description="Jeton révoqué.")})
    def post(self, request):
        revoke_api_token(request.auth, actor=request.user, reason="déconnexion de l'API")
        return Response(status=status.HTTP_204_NO_CONTENT)


class LogoutAllView(APIView):
    """Revoke every token of the account (every device)."""

    authentication_classes = [TokenAuthentication]
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["auth"], summary="Révoquer tous les jetons du compte (tous les appareils)",
                   request=None, responses={204: OpenApiResponse(description="Jetons révoqués.")})
    def post(self, request):
        revoke_api_tokens(request.user, actor=request.user, reason="déconnexion de tous les appareils (API)")
        return Response(status=status.HTTP_204_NO_CONTENT)
