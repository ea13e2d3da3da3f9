"""Forms of the monitors' authorisation pages (oversight.monitor_views)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import MonitorBody
from accounts.monitors import monitor_accounts
from prisons.models import Facility


class MonitorAuthorisationForm(forms.Form):
    monitor = forms.ModelChoiceField(label=_("Compte de l'observateur"), queryset=None)
    body = forms.ChoiceField(label=_("Organisme"), choices=MonitorBody.choices)
    body_detail = forms.CharField(label=_("Précision sur l'organisme"), required=False, max_length=160)
    facilities = forms.ModelMultipleChoiceField(label=_("Établissements"), queryset=None)
    starts_on = forms.DateField(label=_("Du"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Au"), widget=forms.DateInput(attrs={"type": "date"}))
    reference = forms.CharField(label=_("Référence de l'autorisation"), max_length=80)
    reason = forms.CharField(label=_("Motif"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    medical_access = forms.BooleanField(label=_("Accès aux données médicales (médecin du CICR)"), required=False)
    medical_access_authorised_by = forms.CharField(label=_("Accès médical autorisé par"), required=False,
                                                   max_length=160)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["monitor"].queryset = monitor_accounts()
        self.fields["facilities"].queryset = Facility.objects.order_by("name")


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Motif de la révocation"), widget=forms.Textarea(attrs={"rows": 2}),
                             max_length=2000)
