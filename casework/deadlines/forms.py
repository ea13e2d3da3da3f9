"""Forms of the deadline pages: alert filters and the limits table's edit form."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from casework.deadlines.alerts import LIMIT_EDITABLE_FIELDS
from casework.models import AlertKind, Court, DeadlineAlert, DetentionLimit
from prisons.models import Facility, FacilityStatus

SORT_CHOICES = [
    ("severity", _("Le plus grave d'abord (sortie en retard, peine purgée, sans titre, puis dépassement)")),
    ("overdue", _("Dépassement le plus long d'abord")),
    ("-overdue", _("Échéance la plus lointaine d'abord")),
    ("-opened", _("Alertes les plus récentes d'abord")),
    ("name", _("Nom du détenu")),
]


class AlertFilterForm(forms.Form):
    facility = forms.ModelChoiceField(label=_("Établissement"), queryset=Facility.objects.none(), required=False,
                                      empty_label=_("Tous"))
    court = forms.ModelChoiceField(label=_("Juridiction"), queryset=Court.objects.all(), required=False,
                                   empty_label=_("Toutes"))
    judge = forms.CharField(label=_("Juge d'instruction"), required=False, max_length=120)
    kind = forms.ChoiceField(label=_("Type d'alerte"), required=False,
                             choices=[("", _("Tous"))] + list(AlertKind.choices))
    sort = forms.ChoiceField(label=_("Tri"), required=False, choices=SORT_CHOICES)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Prisons in service, and any other one still holding an open alert (nobody out of sight):
        # a destroyed prison with no one recorded in it is not a choice.
        self.fields["facility"].queryset = (
            Facility.objects.visible_to(user)
            .filter(Q(status=FacilityStatus.OPERATIONAL)
                    | Q(pk__in=DeadlineAlert.objects.open().values("custody__facility_id")))
            .order_by("name"))


class BacklogScopeForm(forms.Form):
    facility = forms.ModelChoiceField(label=_("Établissement"), queryset=Facility.objects.none(), required=False,
                                      empty_label=_("Ensemble des établissements"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = Facility.objects.visible_to(user).order_by("name")


class DetentionLimitForm(forms.ModelForm):
    reason = forms.CharField(label=_("Motif de la modification"), widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Ex. « Confirmé par M. …, juriste, le … » ; conservé au journal d'audit."))

    class Meta:
        model = DetentionLimit
        fields = list(LIMIT_EDITABLE_FIELDS)
        widgets = {
            "valid_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "valid_to": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "source_note": forms.Textarea(attrs={"rows": 3}),
        }
