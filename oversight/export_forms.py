"""The request for a background export, as posted by the report and backlog pages' buttons."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from prisons.models import Facility

from .models import ExportFormat, ExportKind


class ExportStartForm(forms.Form):
    kind = forms.ChoiceField(label=_("Export"), choices=ExportKind.choices)
    fmt = forms.ChoiceField(label=_("Format"), choices=ExportFormat.choices)
    report = forms.CharField(label=_("Rapport"), max_length=32, required=False)
    facility = forms.ModelChoiceField(label=_("Établissement"), queryset=Facility.objects.none(), required=False,
                                      error_messages={"invalid_choice": _("Établissement inconnu.")})
    date = forms.DateField(label=_("Date"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Another prison's id is "not a valid choice": its existence is not confirmed.
        self.fields["facility"].queryset = Facility.objects.visible_to(user)

    def clean_date(self):
        value = self.cleaned_data.get("date")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("La date ne peut pas être dans le futur."))
        return value
