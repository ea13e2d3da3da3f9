"""Query-string filters that refuse what they cannot understand.

django-filter silently ignores an empty value, a word where a yes/no is expected, or an
unknown sort key; an integration would then receive unfiltered data believing it filtered.
Here such a request answers 400 with a French message per parameter.
"""

import re

from django.utils.translation import gettext as _
from django_filters import filters as df_filters
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import filters as drf_filters
from rest_framework.exceptions import ValidationError

BOOLEAN_VALUES = {"true", "false", "True", "False", "1", "0"}


NUMBER = re.compile(r"^-?[0-9]{1,18}(\.[0-9]{1,6})?$")


def _plausible_number(value: str) -> bool:
    """A number the database can compare (no overflow, no exponent, ASCII digits)."""
    return bool(NUMBER.match(value))


class StrictFilterBackend(DjangoFilterBackend):
    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None:
            errors = {}
            for name, flt in filterset_class.base_filters.items():
                if name not in request.query_params:
                    continue
                value = request.query_params.get(name)
                if value == "":
                    errors[name] = [_("Valeur vide : retirez ce paramètre ou donnez-lui une valeur.")]
                elif isinstance(flt, df_filters.BooleanFilter) and value not in BOOLEAN_VALUES:
                    errors[name] = [_("Valeur attendue : true ou false.")]
                elif isinstance(flt, df_filters.ModelChoiceFilter) and not (value.isascii() and value.isdigit() and len(value) <= 18):
                    errors[name] = [_("Identifiant attendu (nombre entier).")]
                elif isinstance(flt, df_filters.NumberFilter) and not _plausible_number(value):
                    errors[name] = [_("Nombre attendu (18 chiffres au plus).")]
            if errors:
                raise ValidationError(errors)
        return super().filter_queryset(request, queryset, view)


class StrictOrderingFilter(drf_filters.OrderingFilter):
    def get_ordering(self, request, queryset, view):
        params = request.query_params.get(self.ordering_param)
        if params is not None:
            fields = [p.strip() for p in params.split(",")]
            valid = {item[0] for item in self.get_valid_fields(queryset, view, {"request": request})}
            unknown = [f for f in fields if f.lstrip("-") not in valid]
            if unknown:
                raise ValidationError({self.ordering_param: [
                    _("Tri inconnu : %(f)s. Valeurs possibles : %(v)s.")
                    % {"f": ", ".join(unknown) or "''", "v": ", ".join(sorted(valid))}
                ]})
        return super().get_ordering(request, queryset, view)
