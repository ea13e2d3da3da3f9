"""Filters of the inmates API. A person's facility, unit, situation and legal status are
those of their latest custody: the stay in progress, or the last one if they have left."""

import django_filters
from django.db.models import Exists, OuterRef, Subquery
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from prisons.models import Facility, Unit

from .models import Custody, CustodyStatus, Inmate, LegalStatus, Placement, Sex


def latest_custody_id():
    return Subquery(
        Custody.objects.filter(inmate=OuterRef("pk")).order_by("-admitted_at", "-id").values("pk")[:1]
    )


class InmateFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label="Recherche (noms, autres noms, numéro d'écrou)")
    sex = django_filters.ChoiceFilter(choices=Sex.choices)
    facility = extend_schema_field(OpenApiTypes.INT)(django_filters.ModelChoiceFilter(
        queryset=Facility.objects.all(), method="filter_custody", label="Établissement du séjour actuel"))
    status = django_filters.ChoiceFilter(choices=CustodyStatus.choices, method="filter_custody",
                                         label="Situation du séjour actuel")
    legal_status = django_filters.ChoiceFilter(choices=LegalStatus.choices, method="filter_custody",
                                               label="Statut juridique actuel")
    terrorism_related = django_filters.BooleanFilter(method="filter_custody",
                                                     label="Affaire liée au terrorisme")
    unit = extend_schema_field(OpenApiTypes.INT)(django_filters.ModelChoiceFilter(
        queryset=Unit.objects.all(), method="filter_unit", label="Unité du placement actuel"))
    possible_minor = django_filters.BooleanFilter(method="filter_possible_minor",
                                                  label="Mineur possible — âge à vérifier")

    class Meta:
        model = Inmate
        fields = ["q", "sex", "facility", "status", "legal_status", "terrorism_related", "unit", "possible_minor"]

    def filter_possible_minor(self, queryset, name, value):
        if value is None:
            return queryset
        flagged = Inmate.objects.possible_minors().values("pk")
        return queryset.filter(pk__in=flagged) if value else queryset.exclude(pk__in=flagged)

    def filter_q(self, queryset, name, value):
        return queryset.search(value)

    @staticmethod
    def _with_latest(queryset):
        if "latest_custody_id" not in queryset.query.annotations:
            queryset = queryset.annotate(latest_custody_id=latest_custody_id())
        return queryset

    def filter_custody(self, queryset, name, value):
        if value is None:
            return queryset
        queryset = self._with_latest(queryset)
        return queryset.filter(Exists(Custody.objects.filter(pk=OuterRef("latest_custody_id"), **{name: value})))

    def filter_unit(self, queryset, name, value):
        queryset = self._with_latest(queryset)
        return queryset.filter(Exists(Placement.objects.filter(
            custody_id=OuterRef("latest_custody_id"), ended_at__isnull=True, unit=value)))


class CustodyFilter(django_filters.FilterSet):
    class Meta:
        model = Custody
        fields = ["inmate", "facility", "status", "legal_status", "terrorism_related"]
