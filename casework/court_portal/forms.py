"""Forms of the court portal: shape only; the rules are court_portal's services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.models import ReleaseOrderKind, SubmissionKind


class SubmissionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type d'ordonnance"), choices=SubmissionKind.choices)
    document = forms.FileField(label=_("Ordonnance signée (PDF)"))
    reference = forms.CharField(label=_("Référence"), max_length=60)
    issued_on = forms.DateField(label=_("Rendue le"), widget=forms.DateInput(attrs={"type": "date"}))
    issued_by = forms.CharField(label=_("Magistrat signataire"), max_length=160)
    renews = forms.ModelChoiceField(label=_("Titre prolongé (prolongation)"), queryset=None, required=False)
    valid_until = forms.DateField(label=_("Prolongée jusqu'au (prolongation)"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}))
    release_kind = forms.ChoiceField(label=_("Type de décision (mise en liberté)"), required=False,
                                     choices=[("", "—")] + list(ReleaseOrderKind.choices))
    notes = forms.CharField(label=_("Observations"), required=False, max_length=2000,
                            widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, orders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["renews"].queryset = orders


class AcknowledgeForm(forms.Form):
    note = forms.CharField(label=_("Observations"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Motif du rejet"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
