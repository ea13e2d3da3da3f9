"""The exchange's doors at the national server (push, pull: a prison's server with its site
credential, `Authorization: Site <token>`) and the exchange's health for staff (both modes)."""

import gzip
import json

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, permissions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.parsers import BaseParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import QuerySerializer, StrictIntegerField, error_responses
from core.parsers import json_too_deep, too_deep_message

from . import health, national
from .models import Site


class SiteAuthentication(BaseAuthentication):
    keyword = b"site"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("En-tête d'authentification du site mal formé."))
        site = national.site_for_token(parts[1].decode("ascii", "replace"))
        if site is None:
            raise exceptions.AuthenticationFailed(_("Jeton de site inconnu."))
        from django.contrib.auth.models import AnonymousUser

        return AnonymousUser(), site

    def authenticate_header(self, request):
        return "Site"


class IsSite(permissions.BasePermission):
    def has_permission(self, request, view):
        return isinstance(request.auth, Site) and settings.SITE_MODE == "national"


class GzipJSONParser(BaseParser):
    """A push body: JSON, gzip-compressed (`Content-Encoding: gzip`) or not."""

    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read(settings.SYNC_MAX_PUSH_BYTES + 1)
        request = parser_context["request"]
        try:
            if request.META.get("HTTP_CONTENT_ENCODING", "").lower() == "gzip":
                raw = gzip.decompress(raw)
            if len(raw) > settings.SYNC_MAX_PUSH_BYTES * 20:
                raise exceptions.ParseError(_("Envoi trop volumineux."))
            if json_too_deep(raw, settings.API_JSON_MAX_DEPTH):  # measured decompressed (not by the middleware)
                raise exceptions.ParseError(too_deep_message())
            body = json.loads(raw)
        except (OSError, ValueError) as exc:
            raise exceptions.ParseError(_("Contenu illisible : %(error)s") % {"error": exc}) from exc
        if not isinstance(body, dict) or not isinstance(body.get("actions", []), list):
            raise exceptions.ParseError(_("Un objet JSON avec une liste « actions » est attendu."))
        return body


@extend_schema(exclude=True)
class PushView(APIView):
    authentication_classes = [SiteAuthentication]
    permission_classes = [IsSite]
    parser_classes = [GzipJSONParser]
    throttle_classes = []

    def post(self, request):
        try:
            answer = national.receive_push(request.auth, request.data)
        except national.ExchangeRefused as refused:
            return Response({"detail": refused.message}, status=refused.status)
        return Response(answer)


class ChangesQuery(QuerySerializer):
    after = StrictIntegerField(min_value=0, default=0)
    limit = StrictIntegerField(min_value=1, max_value=5000, default=500)


@extend_schema(exclude=True)
class ChangesView(APIView):
    authentication_classes = [SiteAuthentication]
    permission_classes = [IsSite]
    throttle_classes = []

    def get(self, request):
        query = ChangesQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        site_id = request.headers.get("X-Site-Id", "")
        site = request.auth
        if site.site_id is not None and str(site.site_id) != site_id:
            return Response({"detail": _("Cette base de données n'est pas celle de cet établissement.")}, status=403)
        return Response(national.changes_for(site, **query.validated_data))


class HealthView(APIView):
    """The exchange's health: at a prison, its own; at the national server, every prison's."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(summary="État des échanges avec le serveur national",
                   description="Au serveur d'un établissement : son propre état (dernier envoi acquitté, dernière "
                               "réception, actions en attente et refusées). Au serveur national : celui de chaque "
                               "établissement visible. Un site unique n'échange pas (404).",
                   responses={200: OpenApiTypes.OBJECT, **error_responses(403, 404)})
    def get(self, request):
        from .views import may_view

        if settings.SITE_MODE == "single":
            raise exceptions.NotFound(_("Ce serveur est un site unique : il n'échange avec aucun autre."))
        if not may_view(request.user):
            raise exceptions.PermissionDenied
        return Response(health.report(request.user))
