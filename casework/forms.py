"""Forms for cases, charges, detention orders, hearings and judgments (input only)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.models import Case, Charge, ChargeStatus, DetentionOrder, Hearing, Judgment
from casework.services import CASE_EDITABLE_FIELDS
from inmates.forms import DateInput

CASE_FIELDS = ["case_number", "court", "investigating_judge", "chamber", "prosecutor", "lawyer",
               "opened_on", "notes"]
assert set(CASE_FIELDS) == set(CASE_EDITABLE_FIELDS)

TEXTAREA = forms.Textarea(attrs={"rows": 2})


class CaseForm(forms.ModelForm):
    class Meta:
        model = Case
        fields = CASE_FIELDS
        widgets = {"opened_on": DateInput(), "notes": TEXTAREA}


class CaseEditForm(CaseForm):
    reason = forms.CharField(label=_("Motif de la modification"), widget=forms.Textarea(attrs={"rows": 2}))

    def changes(self):
        return {name: self.cleaned_data[name] for name in CASE_FIELDS}


class ChargeForm(forms.ModelForm):
    class Meta:
        model = Charge
        fields = ["offence", "legal_class", "max_penalty_months", "terrorism_related", "flagrant",
                  "article", "charged_on"]
        widgets = {"charged_on": DateInput()}


class ChargeStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Nouvel état"), choices=[
        (ChargeStatus.DROPPED, ChargeStatus.DROPPED.label),
        (ChargeStatus.RECLASSIFIED, ChargeStatus.RECLASSIFIED.label),
    ])
    reason = forms.CharField(label=_("Motif"), widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Par exemple : ordonnance de requalification du juge, en date du …"))


class DetentionOrderForm(forms.ModelForm):
    class Meta:
        model = DetentionOrder
        fields = ["kind", "reference", "issued_on", "issued_by", "valid_until", "renews"]
        widgets = {"issued_on": DateInput(), "valid_until": DateInput()}
        help_texts = {"renews": _("Seulement pour une prolongation : le titre qu'elle prolonge.")}

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["renews"].queryset = case.detention_orders.all()


class HearingForm(forms.ModelForm):
    class Meta:
        model = Hearing
        fields = ["date", "kind", "outcome", "adjourned_to", "notes"]
        widgets = {"date": DateInput(), "adjourned_to": DateInput(), "notes": TEXTAREA}


class JudgmentForm(forms.ModelForm):
    class Meta:
        model = Judgment
        fields = ["level", "decided_on", "verdict", "sentence_months", "life_sentence", "death_sentence",
                  "suspended", "fine_xof", "sentence_starts_on", "appeal_filed_on", "appeal_by", "notes"]
        widgets = {"decided_on": DateInput(), "sentence_starts_on": DateInput(),
                   "appeal_filed_on": DateInput(), "notes": TEXTAREA}
