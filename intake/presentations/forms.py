"""Page forms of the register of presentations without a valid title. They shape input for
the services (intake.presentations), which say what is required — the same messages as the API."""

import copy

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.models import Court
from prisons.models import Facility, Unit, occupancy_text

from ..forms import DATETIME, ArrivalForm, _opt, offer_own_prisons
from ..models import Presentation

TEXTAREA = forms.Textarea(attrs={"rows": 3})


class PresentationForm(forms.ModelForm):
    facility = forms.ModelChoiceField(Facility.objects.none(), label=_("Établissement"))

    class Meta:
        model = Presentation
        fields = ["facility", "presented_at", "escort_force", "escort_unit", "escort_names", "last_name",
                  "first_name", "sex", "birth_year", "declared", "missing", "missing_details", "document_shown",
                  "prosecutor"]
        widgets = {"presented_at": DATETIME, "declared": TEXTAREA, "missing_details": TEXTAREA}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        offer_own_prisons(self.fields["facility"], user)
        self.fields["presented_at"].input_formats = ["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"]
        self.fields["prosecutor"].queryset = Court.objects.order_by("name")

    def _post_clean(self):  # the service validates the row (with the facility and the author)
        pass


class RefuseForm(forms.Form):
    legend = _("Remettre la personne à l'escorte")
    handed_to = forms.CharField(label=_("Remise à (agent de l'escorte : nom, grade, matricule)"), max_length=160,
                                required=False)
    reason = forms.CharField(label=_("Motif du refus"), widget=TEXTAREA, required=False)
    at = _opt(forms.DateTimeField, _("Date et heure de la remise (maintenant si vide)"), widget=DATETIME)


class HoldForm(forms.Form):
    legend = _("Retenir en attente de régularisation (décision de la direction)")
    reason = forms.CharField(label=_("Motif de la décision"), widget=TEXTAREA, required=False,
                             help_text=_("Pourquoi la personne ne peut être remise à l'escorte (blessée, escorte "
                                         "repartie, mineure, danger…)."))
    unit = _opt(forms.ModelChoiceField, _("Unité / cellule d'affectation"), queryset=Unit.objects.none())
    override_reason = _opt(forms.CharField, _("Motif malgré l'avertissement (unité pleine ou catégories "
                                              "mélangées)"), widget=forms.Textarea(attrs={"rows": 2}))
    at = _opt(forms.DateTimeField, _("Date et heure de la décision (maintenant si vide)"), widget=DATETIME)

    def __init__(self, *args, facility, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.filter(facility=facility, is_active=True).with_occupancy()
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = lambda u: _("%(unit)s — %(occupancy)s") % {
            "unit": u.name, "occupancy": occupancy_text(u.occupants, u.capacity)}


class ReleaseForm(forms.Form):
    legend = _("Libérer : aucun titre produit")
    authority = forms.CharField(label=_("Décidée par (parquet, direction)"), max_length=160, required=False)
    reason = forms.CharField(label=_("Motif"), widget=TEXTAREA, required=False)
    left_at = _opt(forms.DateTimeField, _("Date et heure de sortie (maintenant si vide)"), widget=DATETIME)


TITLE_FORM_FIELDS = ["warrant_number", "warrant_kind", "issued_by", "issued_on", "valid_until", "court",
                     "case_number", "investigating_judge", "arresting_force", "arresting_unit", "arrested_at",
                     "arrest_place", "arrest_region", "region_of_origin", "date_of_birth", "birth_year",
                     "father_name", "mother_name"]


class TitleForm(forms.Form):
    """The title received: the arrival form's warrant and arrest fields, and what the person's
    identity still lacks (region of origin, birth)."""

    legend = _("Titre reçu : régulariser")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        base = ArrivalForm.base_fields
        for name in TITLE_FORM_FIELDS:
            self.fields[name] = copy.deepcopy(base[name])
