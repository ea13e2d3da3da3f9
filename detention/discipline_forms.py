"""Forms of the discipline and isolation registers: the incident report, each step of a charge
(notification, hearing, decision, appeal), a placement in isolation, its end, the medical visit."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from detention.models import Sanction
from detention.models.discipline import IsolationReason
from inmates.forms import text_field, when_field
from inmates.models import Custody
from prisons.models import Unit, UnitKind


class IncidentReportForm(forms.Form):
    people = text_field(_("Personne(s) mise(s) en cause : numéros d'écrou"), max_length=400,
                        help_text=_("Un numéro d'écrou par personne, séparés par des virgules. Chaque personne "
                                    "reçoit sa propre poursuite, décidée séparément (Règle 43)."))
    occurred_at = when_field(_("Survenu le"), required=True)
    place = text_field(_("Lieu"), max_length=160)
    description = text_field(_("Faits"), rows=4)
    witnesses = text_field(_("Témoins"), required=False, rows=2)
    offence = text_field(_("Manquement reproché"), max_length=200)

    def __init__(self, *args, facility, **kwargs):
        super().__init__(*args, **kwargs)
        self.facility = facility

    def clean_people(self):
        numbers = [n.strip() for n in self.cleaned_data["people"].replace(";", ",").split(",") if n.strip()]
        if not numbers:
            raise ValidationError(_("Indiquez la ou les personnes mises en cause."))
        if len(set(numbers)) != len(numbers):
            raise ValidationError(_("Une même personne est indiquée deux fois."))
        found = {c.inmate.prisoner_number: c for c in Custody.objects.current().filter(
            facility=self.facility, inmate__prisoner_number__in=numbers).select_related("inmate")}
        missing = [n for n in numbers if n not in found]
        if missing:
            raise ValidationError(_("Aucune personne détenue ici sous ce numéro d'écrou : %(n)s.")
                                  % {"n": ", ".join(missing)})
        return [found[n] for n in numbers]


class NotifyForm(forms.Form):
    language = text_field(_("Langue dans laquelle la poursuite a été notifiée"), max_length=60,
                          help_text=_("Une langue que la personne comprend (Règle 41)."))
    at = when_field(_("Notifiée le"))


class HearingForm(forms.Form):
    statement = text_field(_("Déclaration de la personne"), rows=4,
                           help_text=_("Ce que la personne a dit pour sa défense, ou son refus de parler."))
    interpreter = text_field(_("Interprète (nom), s'il y en a eu un"), required=False, max_length=120)
    at = when_field(_("Entendue le"))


class DecisionForm(forms.Form):
    sanction = forms.ModelChoiceField(label=_("Sanction"), queryset=Sanction.objects.none(), required=False,
                                      empty_label=_("Aucune sanction"))
    days = forms.IntegerField(label=_("Durée (jours)"), required=False, min_value=1, max_value=365)
    reasons = text_field(_("Motifs de la décision"), rows=4)
    at = when_field(_("Décidée le"))

    def __init__(self, *args, facility, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sanction"].queryset = Sanction.objects.filter(facility=facility, is_active=True).order_by("name")


class AppealForm(forms.Form):
    at = when_field(_("Recours formé le"))


class AppealOutcomeForm(forms.Form):
    outcome = text_field(_("Issue du recours"), rows=3)
    at = when_field(_("Recours jugé le"))


class IsolationForm(forms.Form):
    reason_kind = forms.ChoiceField(label=_("Fondement"), choices=IsolationReason.choices)
    charge = forms.ModelChoiceField(label=_("Décision disciplinaire exécutée"), required=False, queryset=None,
                                    empty_label=_("— (mesure de sécurité)"))
    reason = text_field(_("Motif"), rows=3)
    planned_end_on = forms.DateField(label=_("Fin prévue le"), widget=forms.DateInput(attrs={"type": "date"}))
    is_pregnant = forms.BooleanField(label=_("Femme enceinte"), required=False)
    with_infant = forms.BooleanField(label=_("Femme avec un nourrisson"), required=False)
    condition_worsened = forms.BooleanField(label=_("État de santé que l'isolement aggraverait"), required=False)

    def __init__(self, *args, custody, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["charge"].queryset = custody.disciplinary_charges.filter(
            decided_at__isnull=False, sanction__isnull=False).select_related("sanction")
        self.fields["charge"].label_from_instance = lambda c: f"n° {c.pk} — {c.sanction.name} ({c.offence})"


class IsolationEndForm(forms.Form):
    reason = text_field(_("Motif de la fin de l'isolement"), max_length=200)
    back_to = forms.ModelChoiceField(label=_("Retour dans l'unité"), required=False, queryset=None,
                                     empty_label=_("— (pas de changement d'unité)"))
    at = when_field(_("Fin le"))

    def __init__(self, *args, facility, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["back_to"].queryset = (Unit.objects.filter(facility=facility, is_active=True)
                                           .exclude(kind=UnitKind.ISOLATION).order_by("code"))


class IsolationVisitForm(forms.Form):
    adverse_effects = text_field(_("Effets néfastes constatés"), required=False, rows=3,
                                 help_text=_("À signaler à la direction (Règle 46)."))
    at = when_field(_("Visite du"))
