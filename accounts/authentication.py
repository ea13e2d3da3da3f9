"""API token authentication: django-rest-knox's hashed, expiring tokens, `Token <token>` header."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework import exceptions


class TokenAuthentication(KnoxTokenAuthentication):
    """Knox's authentication; a header that is not valid UTF-8 is an invalid token (401), not a 500."""

    def authenticate_credentials(self, token):
        try:
            token.decode("utf-8")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Token non valide.")) from None
        user, auth_token = super().authenticate_credentials(token)
        if user.outside_authorisation:
            # A monitor's account stops by itself at the end of their authorisation (issue 14).
            raise exceptions.AuthenticationFailed(_(
                "Votre autorisation d'accès n'est pas en cours de validité : ce jeton ne donne plus accès."))
        return user, auth_token


class TokenScheme(OpenApiAuthenticationExtension):
    """The OpenAPI security scheme of the token (same name as before: `tokenAuth`)."""

    target_class = "accounts.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey", "in": "header", "name": "Authorization",
            "description": (
                "`Authorization: Token <jeton>`, le jeton venant de `POST /api/v1/auth/token/`. "
                "Il expire (champ `expiry`) et est révoqué par `auth/logout/`, `auth/logout-all/`, "
                "la déconnexion des pages, un changement de mot de passe ou la désactivation du compte."),
        }
