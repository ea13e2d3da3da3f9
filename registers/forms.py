from django import forms
from django.utils.translation import gettext_lazy as _

from prisons.models import Facility


class UploadForm(forms.Form):
    facility = forms.ModelChoiceField(queryset=Facility.objects.none(), label=_("Établissement"))
    file = forms.FileField(label=_("Fichier du registre (XLSX du modèle, ou CSV)"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = Facility.objects.visible_to(user).order_by("name")


class DecisionForm(forms.Form):
    row = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=[("create", _("Autre personne : importer")),
                                          ("skip", _("Déjà connue : ne pas importer"))], label=_("Décision"))


class VerifyForm(forms.Form):
    note = forms.CharField(label=_("Observation (facultatif)"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class SendBackForm(forms.Form):
    reason = forms.CharField(label=_("Ce qui ne correspond pas au registre"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))
