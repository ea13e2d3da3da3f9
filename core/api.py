"""The API kit shared by every endpoint: the error format, pagination, permission and
schema helpers, and the answer a service's ValidationError or ConflictError becomes."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils import html
from rest_framework.views import exception_handler as drf_exception_handler

from accounts.api_fields import StrictCharField  # noqa: F401 — offered here with the other strict fields
from core.errors import ConflictError


def _from_a_form(field) -> bool:
    """Whether the value comes from a form body or a query string, where every value is text
    (`true`, `12`), rather than from JSON, which has its own types."""
    return html.is_html_input(getattr(field.root, "initial_data", None))


class StrictBooleanField(serializers.BooleanField):
    """In JSON, `true` or `false` only (DRF also takes 1, 0, "yes", "on"…); a form's text as before."""

    default_error_messages = {"not_a_boolean": gettext_lazy("Valeur attendue : true ou false.")}

    def to_internal_value(self, data):
        if not isinstance(data, bool) and not _from_a_form(self):
            self.fail("not_a_boolean")
        return super().to_internal_value(data)


class StrictIntegerField(serializers.IntegerField):
    """In JSON, a number (DRF also takes the text "12"); a form's text as before."""

    default_error_messages = {"not_a_number": gettext_lazy("Un nombre entier est attendu.")}

    def to_internal_value(self, data):
        if (isinstance(data, bool) or not isinstance(data, int | float)) and not _from_a_form(self):
            self.fail("not_a_number")
        return super().to_internal_value(data)


class StrictFloatField(serializers.FloatField):
    """In JSON, a number (DRF also takes the text "1.5"); a form's text as before."""

    default_error_messages = {"not_a_number": gettext_lazy("Un nombre est attendu.")}

    def to_internal_value(self, data):
        if (isinstance(data, bool) or not isinstance(data, int | float)) and not _from_a_form(self):
            self.fail("not_a_number")
        return super().to_internal_value(data)


class StrictPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """In JSON, an id is a number (DRF also takes the text "12"); a form's text as before."""

    default_error_messages = {"not_an_id": gettext_lazy("Identifiant attendu (nombre entier).")}

    def to_internal_value(self, data):
        if (isinstance(data, bool) or not isinstance(data, int)) and not _from_a_form(self):
            self.fail("not_an_id")
        return super().to_internal_value(data)


class ModelSerializer(serializers.ModelSerializer):
    """The project's ModelSerializer: a model's fields become the strict fields above, which
    refuse a JSON value of another type than the schema's instead of converting it."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
        models.BooleanField: StrictBooleanField,
        models.IntegerField: StrictIntegerField,
        models.SmallIntegerField: StrictIntegerField,
        models.PositiveIntegerField: StrictIntegerField,
        models.PositiveSmallIntegerField: StrictIntegerField,
        models.FloatField: StrictFloatField,
    }
    serializer_related_field = StrictPrimaryKeyRelatedField


class QuerySerializer(serializers.Serializer):
    """Query-string parameters. DRF treats an empty optional value (`?date=`) as an absent one
    and would answer with the default; here it is refused, as the strict filters do."""

    def to_internal_value(self, data):
        empty = {
            name: [_("Valeur vide : retirez ce paramètre ou donnez-lui une valeur.")]
            for name, field in self.fields.items()
            if not field.read_only and data.get(name) == "" and not getattr(field, "allow_blank", False)
        }
        if empty:
            raise ValidationError(empty)
        return super().to_internal_value(data)

    @classmethod
    def from_page_form(cls, params):
        """For a page: its filter form sends the fields left unchosen empty (`Tous` is
        `?etablissement=`), which there means "not given"."""
        params = params.copy()
        for name in [name for name, value in params.items() if value == ""]:
            del params[name]
        return cls(data=params)


class Pagination(PageNumberPagination):
    """Pages of 50 (up to 500 with ?page_size=); an empty or invalid page number is a 404."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_number(self, request, paginator):
        value = request.query_params.get(self.page_query_param)
        if value is not None and not (value.isascii() and value.isdigit()) and value not in self.last_page_strings:
            raise NotFound(_("Numéro de page invalide."))
        return super().get_page_number(request, paginator)

    def get_page_size(self, request):
        value = request.query_params.get(self.page_size_query_param)
        if value is not None and not (value.isascii() and value.isdigit() and 0 < int(value[:6] or 0)):
            raise ValidationError({self.page_size_query_param: [
                _("Nombre entier entre 1 et %(max)d attendu.") % {"max": self.max_page_size}]})
        return super().get_page_size(request)


def validation_detail(error: DjangoValidationError):
    if hasattr(error, "error_dict"):
        # Model-wide errors (full_clean's "__all__") use DRF's key, as serializer errors do.
        return {
            ("non_field_errors" if field == NON_FIELD_ERRORS else field): [str(m) for m in msgs]
            for field, msgs in error.message_dict.items()
        }
    return {"non_field_errors": [str(m) for m in error.messages]}


class PreconditionRequired(APIException):
    """428: a change to a record under optimistic locking that does not say which version it
    read (RFC 6585). Without it, a stale client would overwrite a colleague's correction."""

    status_code = 428
    default_detail = gettext_lazy("Indiquez la version du dossier que vous avez lue (champ « version », renvoyé par la "
                       "lecture du dossier) : sans elle, une modification faite entre-temps serait écrasée.")
    default_code = "precondition_required"


def exception_handler(exc, context):
    """Turn a service's Django ValidationError into a 400 with field messages."""
    if isinstance(exc, DjangoValidationError):
        return Response(validation_detail(exc), status=status.HTTP_400_BAD_REQUEST)

    if isinstance(exc, ConflictError):
        return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
    return drf_exception_handler(exc, context)


class ErrorSerializer(serializers.Serializer):
    detail = StrictCharField()


class ValidationErrorSerializer(serializers.Serializer):
    """A refused input: one list of French messages per field (plus `non_field_errors`)."""

    non_field_errors = serializers.ListField(child=StrictCharField(), required=False)

    class Meta:
        ref_name = "ValidationError"


def error_responses(*codes):
    """Documented error responses (400 / 403 / 404 / 409 / 428) for `extend_schema(responses=…)`."""
    from drf_spectacular.utils import OpenApiResponse

    described = {
        400: OpenApiResponse(
            ValidationErrorSerializer,
            description="Saisie refusée : un message par champ (`non_field_errors` pour l'ensemble).",
        ),
        403: OpenApiResponse(ErrorSerializer, description="Non authentifié, ou rôle sans cette permission."),
        404: OpenApiResponse(ErrorSerializer, description="Inexistant, ou hors des établissements de l'utilisateur."),
        409: OpenApiResponse(ErrorSerializer, description="Le dossier a été modifié entre-temps (version)."),
        428: OpenApiResponse(ErrorSerializer, description="`version` manquante : indiquez la version du dossier lue."),
    }
    return {code: described[code] for code in codes}


def require_perms(*perms):
    """A DRF permission class: authenticated and holding every one of `perms` (for actions
    whose model is not the viewset's, e.g. adding a relative to an inmate)."""
    from rest_framework.permissions import BasePermission

    class RequirePerms(BasePermission):
        def has_permission(self, request, view):
            user = request.user
            return bool(user and user.is_authenticated and user.has_perms(perms))

    RequirePerms.__name__ = "Require_" + "_".join(p.split(".")[-1] for p in perms)
    return RequirePerms
