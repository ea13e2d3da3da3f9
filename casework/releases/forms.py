"""Forms for release orders (casework.releases.services): each validates input, the service decides."""

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.models import ReleaseOrder
from inmates.forms import DATETIME_INPUT_FORMATS, DateInput, DateTimeInput
from inmates.models import ReceiptAcknowledgement
from prisons.models import Facility


class ReleaseOrderForm(forms.ModelForm):
    class Meta:
        model = ReleaseOrder
        fields = ["kind", "received_at", "brought_by", "authority", "reference", "issued_on", "notes"]
        widgets = {"received_at": DateTimeInput(), "issued_on": DateInput(), "notes": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"received_at": _("L'heure d'arrivée de la décision à l'établissement : le délai court de là.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_at"].input_formats = DATETIME_INPUT_FORMATS


class ExecuteReleaseForm(forms.Form):
    left_at = forms.DateTimeField(label=_("Sortie effective le"), required=False, widget=DateTimeInput(),
                                  input_formats=DATETIME_INPUT_FORMATS, help_text=_("Laisser vide pour maintenant."))
    property_returned = forms.BooleanField(label=_("Effets restitués"), required=False)
    receipt = forms.ChoiceField(label=_("Reçu des effets"), required=False,
                                choices=[("", "—"), *ReceiptAcknowledgement.choices])
    witness_name = forms.CharField(label=_("Témoin (si refus de signer)"), required=False, max_length=160)
    file_extract_given = forms.BooleanField(label=_("Extrait du dossier remis à la personne (Règle 9)"),
                                            required=False)
    notes = forms.CharField(label=_("Observations"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RegisterScopeForm(forms.Form):
    facility = forms.ModelChoiceField(label=_("Établissement"), required=False, queryset=Facility.objects.none(),
                                      empty_label=_("Tous mes établissements"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = Facility.objects.visible_to(user).order_by("name")
