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


class MultipleFiles(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFilesField(forms.FileField):
    """Several files in one input: each checked as a FileField checks one."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFiles(attrs={"accept": ".jpg,.jpeg,.png,.pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        one = super().clean
        return [one(item, initial) for item in data] if isinstance(data, list | tuple) and data else [one(data, initial)]


class ScansForm(forms.Form):
    """Scanned pages of the register: named by volume and page (12-034.jpg), or one file mapped by hand."""

    files = MultipleFilesField(label=_("Pages scannées (JPEG, PNG ou PDF ; nom : volume-page, ex. 12-034.jpg)"))
    volume = forms.CharField(label=_("Volume (un seul fichier, si son nom ne le dit pas)"), max_length=20,
                             required=False)
    page = forms.IntegerField(label=_("Page"), min_value=1, max_value=99999, required=False)
