"""Forms of the pages of life inside. They check input; the views call detention.services."""

import uuid

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from detention.models import (
    Activity,
    ActivityKind,
    ComplainantKind,
    ComplaintChannel,
    IdDocumentKind,
    NotificationChoice,
    NotificationEvent,
    Risk,
    VisitorKind,
    Weekday,
)
from inmates.forms import DateInput, text_field, when_field
from inmates.models import Custody, NotificationMethod
from prisons.models import Regime


class ClassificationForm(forms.Form):
    # No level is preselected: the officer chooses one, after assessing the person (Rule 8).
    risk = forms.ChoiceField(label=_("Niveau de risque"), choices=[("", _("— Choisissez le niveau —")), *Risk.choices])
    reasons = text_field(_("Motifs de l'évaluation individuelle"), rows=4)
    assessed_on = forms.DateField(label=_("Évalué le"), required=False, widget=DateInput(),
                                  help_text=_("Laisser vide pour aujourd'hui."))
    next_review_on = forms.DateField(label=_("Prochaine révision le"), widget=DateInput())


class CellLeaderForm(forms.Form):
    custody = forms.ModelChoiceField(label=_("Chef de cellule choisi par les détenus"), queryset=Custody.objects.none())
    agreement_noted = forms.BooleanField(label=_("Le personnel donne son accord"), required=False)
    agreement_notes = text_field(_("Comment le choix a été fait"), required=False, rows=2)

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["custody"].queryset = (
            Custody.objects.current().filter(placements__unit=unit, placements__ended_at__isnull=True)
            .select_related("inmate").order_by("inmate__last_name", "inmate__first_name"))
        self.fields["custody"].label_from_instance = lambda c: str(c.inmate)


class VisitForm(forms.Form):
    last_name = text_field(_("Nom du visiteur"), max_length=80)
    first_name = text_field(_("Prénom(s)"), max_length=120)
    id_document_kind = forms.ChoiceField(label=_("Pièce d'identité"), choices=IdDocumentKind.choices)
    id_document_number = text_field(_("Numéro de la pièce"), max_length=40)
    phone = text_field(_("Téléphone"), required=False, max_length=40)
    organisation = text_field(_("Organisation / barreau"), required=False, max_length=120)
    kind = forms.ChoiceField(label=_("Qualité du visiteur"), choices=VisitorKind.choices)
    relation = text_field(_("Lien avec le détenu"), required=False, max_length=80)
    arrived_at = when_field(_("Entrée"))
    items_brought = text_field(_("Objets apportés (nourriture, vêtements…)"), required=False, rows=2)
    notes = text_field(_("Observations"), required=False, rows=2)
    exception_reason = text_field(
        _("Exception autorisée par la direction : motif"), required=False, rows=2,
        help_text=_("Seulement pour une visite de famille hors des jours de visite (décès, parent venu de "
                    "loin…) ; la direction, qui l'autorise, est nommée au registre."))

    VISITOR_FIELDS = ("last_name", "first_name", "id_document_kind", "id_document_number", "phone", "organisation")

    def __init__(self, *args, may_authorise_exception=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_authorise_exception:
            del self.fields["exception_reason"]

    def split(self):
        data = dict(self.cleaned_data)
        visitor = {name: data.pop(name) for name in self.VISITOR_FIELDS}
        return visitor, data


class VisitingDaysForm(forms.Form):
    days = forms.TypedMultipleChoiceField(label=_("Jours de visite des familles"), choices=Weekday.choices,
                                          coerce=int, widget=forms.CheckboxSelectMultiple)
    notes = text_field(_("Horaires, conditions"), required=False, rows=2)


class ComplaintForm(forms.Form):
    complainant_kind = forms.ChoiceField(label=_("Déposée par"), choices=ComplainantKind.choices)
    complainant_name = text_field(_("Nom de l'auteur (si autre que le détenu)"), required=False, max_length=160)
    channel = forms.ChoiceField(label=_("Voie"), choices=ComplaintChannel.choices)
    subject = text_field(_("Objet"), max_length=200)
    details = text_field(_("Exposé"), rows=4)
    is_allegation = forms.BooleanField(
        label=_("Allégation de torture ou de mauvais traitements"), required=False,
        help_text=_("Signalée immédiatement à la direction et à la DNAPES (Règle 57)."))
    is_confidential = forms.BooleanField(label=_("Confidentielle"), required=False,
                                         help_text=_("Lue seulement par la direction et le destinataire."))
    addressed_to = forms.ModelChoiceField(label=_("Adressée à"), required=False, queryset=None,
                                          empty_label=_("La direction"))
    # One key per displayed form: submitting it twice (double click, resent page) saves once.
    request_key = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, facility, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("request_key", uuid.uuid4().hex)
        self.fields["addressed_to"].queryset = (
            get_user_model().objects.filter(is_active=True, facilities=facility).order_by("last_name", "username"))
        self.fields["addressed_to"].label_from_instance = lambda u: u.get_full_name() or u.username


class AnswerForm(forms.Form):
    answer = text_field(_("Réponse"), rows=3)


class ReferralForm(forms.Form):
    authority = text_field(_("Autorité saisie (procureur, juge, inspection…)"), max_length=160)
    reference = text_field(_("Référence de la saisine"), required=False, max_length=80)


class ActivityForm(forms.Form):
    name = text_field(_("Nom"), max_length=120)
    kind = forms.ChoiceField(label=_("Type"), choices=ActivityKind.choices)
    open_to_regimes = forms.MultipleChoiceField(label=_("Régimes admis"), choices=Regime.choices,
                                                widget=forms.CheckboxSelectMultiple, required=False)
    open_to_untried = forms.BooleanField(label=_("Ouverte aux prévenus"), required=False, initial=True)
    open_to_convicted = forms.BooleanField(label=_("Ouverte aux condamnés"), required=False, initial=True)
    open_to_terrorism_related = forms.BooleanField(
        label=_("Ouverte aux personnes poursuivies ou condamnées pour terrorisme"), required=False)
    capacity = forms.IntegerField(label=_("Places"), required=False, min_value=1)


class EnrolForm(forms.Form):
    prisoner_number = text_field(_("Numéro d'écrou ou nom"), max_length=120,
                                 help_text=_("Le numéro d'écrou, ou le nom (et le prénom) d'une personne détenue ici."))

    def __init__(self, *args, activity: Activity, **kwargs):
        super().__init__(*args, **kwargs)
        self.activity = activity

    def clean_prisoner_number(self):
        number = self.cleaned_data["prisoner_number"].strip()
        here = Custody.objects.current().filter(facility_id=self.activity.facility_id).select_related("inmate")
        custody = here.filter(Q(inmate__prisoner_number__iexact=number)).first()
        if custody is None:  # a name, alias or spelling variant: the header's search (issue 11: name look-up)
            from inmates.search import rank_search

            found = list(rank_search(here, number, prefix="inmate__",
                                     ordering=("inmate__last_name", "inmate__first_name"))[:6]) if number else []
            if len(found) == 1:
                custody = found[0]
            elif found:
                raise forms.ValidationError(
                    _("Plusieurs personnes détenues ici portent ce nom : %(who)s. Précisez, ou tapez le numéro d'écrou.")
                    % {"who": " ; ".join(f"{c.inmate} ({c.inmate.prisoner_number})" for c in found[:5])})
        if custody is None:
            raise forms.ValidationError(_("Aucune personne détenue dans cet établissement sous ce numéro ou ce nom."))
        self.custody = custody
        return custody.inmate.prisoner_number


class FamilyNotificationForm(forms.Form):
    event = forms.ChoiceField(label=_("Événement"), choices=NotificationEvent.choices)
    transfer = forms.ModelChoiceField(label=_("Transfert concerné"), required=False, queryset=None)
    choice = forms.ChoiceField(label=_("Choix de la personne"), choices=NotificationChoice.choices)
    relative = forms.ModelChoiceField(label=_("Contact à prévenir"), required=False, queryset=None)
    contact_name = text_field(_("Autre contact : nom"), required=False, max_length=160)
    contact_phone = text_field(_("Téléphone du contact"), required=False, max_length=40)
    told_now = forms.BooleanField(label=_("Le contact vient d'être prévenu"), required=False)
    method = forms.ChoiceField(label=_("Moyen"), required=False, choices=[("", "—"), *NotificationMethod.choices])
    notes = text_field(_("Observations"), required=False, rows=2)

    def __init__(self, *args, custody, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["transfer"].queryset = custody.transfers.select_related("from_facility", "to_facility")
        self.fields["relative"].queryset = custody.inmate.relatives.all()


class ToldForm(forms.Form):
    method = forms.ChoiceField(label=_("Moyen"), choices=NotificationMethod.choices)
