"""Filters of the casework API."""

import django_filters
from django.db.models import Exists, OuterRef

from casework.models import Case, Charge, ChargeStatus, Court
from inmates.models import Custody, Inmate, LegalStatus
from prisons.models import Facility


class CaseFilter(django_filters.FilterSet):
    facility = django_filters.ModelChoiceFilter(field_name="custody__facility", queryset=Facility.objects.all(),
                                                label="Établissement")
    inmate = django_filters.ModelChoiceFilter(field_name="custody__inmate", queryset=Inmate.objects.all(),
                                              label="Détenu")
    custody = django_filters.ModelChoiceFilter(queryset=Custody.objects.all(), label="Séjour")
    court = django_filters.ModelChoiceFilter(queryset=Court.objects.all(), label="Juridiction")
    legal_status = django_filters.ChoiceFilter(choices=LegalStatus.choices, label="Statut juridique")
    terrorism_related = django_filters.BooleanFilter(method="filter_terrorism",
                                                     label="Un chef retenu est lié au terrorisme")
    investigating_judge = django_filters.CharFilter(lookup_expr="icontains", label="Juge d'instruction")
    is_open = django_filters.BooleanFilter(field_name="closed_on", lookup_expr="isnull", label="Affaire en cours")

    class Meta:
        model = Case
        fields = ["facility", "inmate", "custody", "court", "legal_status", "terrorism_related",
                  "investigating_judge", "is_open"]

    def filter_terrorism(self, queryset, name, value):
        if value is None:
            return queryset
        current_terrorism_charge = Exists(Charge.objects.filter(
            case=OuterRef("pk"), status=ChargeStatus.CURRENT, terrorism_related=True))
        return queryset.filter(current_terrorism_charge if value else ~current_terrorism_charge)


class ChargeFilter(django_filters.FilterSet):
    class Meta:
        model = Charge
        fields = ["case", "status", "legal_class", "terrorism_related"]
