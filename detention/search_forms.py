"""Forms of the searches and use-of-force registers. They check input; the views call the services."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from detention.models.searches import ForceMeans, ForceReason, ItemOutcome, SearchKind
from inmates.forms import text_field, when_field
from inmates.models import Custody, Sex
from prisons.models import Unit

ITEM_ROWS = 3


def _staff_of(facility):
    return (get_user_model().objects.filter(facilities=facility, is_active=True)
            .order_by("last_name", "username"))


class _PersonByNumber(forms.Form):
    prisoner_number = text_field(_("Numéro d'écrou de la personne"), required=False, max_length=32)

    def __init__(self, *args, facility, **kwargs):
        super().__init__(*args, **kwargs)
        self.facility = facility
        self.custody = None

    def clean_prisoner_number(self):
        number = (self.cleaned_data.get("prisoner_number") or "").strip()
        if number:
            self.custody = (Custody.objects.current().filter(facility=self.facility)
                            .filter(Q(inmate__prisoner_number__iexact=number)).select_related("inmate").first())
            if self.custody is None:
                raise forms.ValidationError(_("Aucune personne détenue dans cet établissement sous ce numéro."))
        return number


class SearchForm(_PersonByNumber):
    kind = forms.ChoiceField(label=_("Nature de la fouille"), choices=SearchKind.choices)
    unit = forms.ModelChoiceField(label=_("Cellule fouillée (fouille de cellule)"), queryset=Unit.objects.none(),
                                  required=False)
    searched_at = when_field(_("Fouille du"))
    reason = text_field(_("Motif"), rows=2)
    searched_by = forms.ModelChoiceField(label=_("Fouille effectuée par"), queryset=None, required=False,
                                         help_text=_("Laisser vide si c'est vous."))
    searcher_sex = forms.ChoiceField(label=_("Sexe de l'agent qui a fouillé"),
                                     choices=[("", "—"), *Sex.choices], required=False)
    witnesses = text_field(_("Personnes présentes"), required=False, rows=2)
    authorised_by = text_field(_("Fouille intime autorisée par (nom, qualité)"), required=False, max_length=160)
    authorisation_reference = text_field(_("Référence de l'autorisation"), required=False, max_length=80)

    def __init__(self, *args, facility, **kwargs):
        super().__init__(*args, facility=facility, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(facility=facility, is_active=True).order_by("code")
        self.fields["searched_by"].queryset = _staff_of(facility)
        for n in range(1, ITEM_ROWS + 1):
            self.fields[f"item_{n}"] = text_field(_("Objet trouvé %(n)s") % {"n": n}, required=False,
                                                  max_length=240)
            self.fields[f"item_{n}_outcome"] = forms.ChoiceField(
                label=_("Sort de l'objet %(n)s") % {"n": n}, choices=[("", "—"), *ItemOutcome.choices],
                required=False)
            self.fields[f"item_{n}_reference"] = text_field(_("Référence (objet %(n)s)") % {"n": n},
                                                            required=False, max_length=120)

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        items = [{"description": data.pop(f"item_{n}"), "outcome": data.pop(f"item_{n}_outcome"),
                  "reference": data.pop(f"item_{n}_reference")} for n in range(1, ITEM_ROWS + 1)]
        data.pop("prisoner_number", None)
        data["at"] = data.pop("searched_at")
        return {**data, "custody": self.custody, "items": items}


class UseOfForceForm(_PersonByNumber):
    prisoner_number = text_field(_("Numéro d'écrou de la personne"), max_length=32)
    occurred_at = when_field(_("Le"))
    place = text_field(_("Lieu"), max_length=160)
    staff = forms.ModelMultipleChoiceField(label=_("Agents intervenus"), queryset=None, required=False)
    other_staff = text_field(_("Autres intervenants (noms, qualité)"), required=False, rows=2)
    reason_kind = forms.ChoiceField(label=_("Fondement (Règle 82)"), choices=ForceReason.choices)
    reason = text_field(_("Circonstances et motif"), rows=3)
    means = forms.ChoiceField(label=_("Moyen employé"), choices=ForceMeans.choices)
    means_detail = text_field(_("Précision sur le moyen"), required=False, max_length=160)
    duration_minutes = forms.IntegerField(label=_("Durée (minutes)"), min_value=0, required=False,
                                          help_text=_("Laisser vide tant que la contrainte dure."))
    injuries = text_field(_("Blessures constatées (sans détail médical)"), required=False, rows=2)

    def __init__(self, *args, facility, **kwargs):
        super().__init__(*args, facility=facility, **kwargs)
        self.fields["staff"].queryset = _staff_of(facility)

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("prisoner_number", None)
        data["at"] = data.pop("occurred_at")
        return data


class ExaminationForm(forms.Form):
    examined_at = when_field(_("Examen du"))


class ReportForm(forms.Form):
    reported_at = when_field(_("Rapport fait au directeur le"))


class ReviewForm(forms.Form):
    review_outcome = text_field(_("Issue du contrôle (maintien motivé, levée…)"), rows=3)
    reviewed_at = when_field(_("Contrôle du"))


class DurationForm(forms.Form):
    duration_minutes = forms.IntegerField(label=_("Durée de la contrainte (minutes)"), min_value=0)
