"""Forms of the custody-life pages. They check input; the views call inmates.services."""

import uuid

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from prisons.models import Facility, Regime, Unit

from .forms import DATETIME_INPUT_FORMATS, DateInput, DateTimeInput
from .models import (
    Activity,
    ActivityKind,
    ComplainantKind,
    ComplaintChannel,
    Custody,
    IdDocumentKind,
    NotificationChoice,
    NotificationEvent,
    NotificationMethod,
    ReceiptAcknowledgement,
    ReleaseReason,
    Risk,
    VisitorKind,
    Weekday,
)


def _when(label, required=False, help_text=_("Laisser vide pour maintenant.")):
    return forms.DateTimeField(label=label, required=required, widget=DateTimeInput(),
                               input_formats=DATETIME_INPUT_FORMATS, help_text=help_text if not required else "")


def _text(label, required=True, rows=None, max_length=None, help_text=""):
    widget = forms.Textarea(attrs={"rows": rows}) if rows else None
    return forms.CharField(label=label, required=required, widget=widget, max_length=max_length,
                           help_text=help_text)


def _units_with_occupancy(facility_id):
    return Unit.objects.filter(facility_id=facility_id, is_active=True).with_occupancy().order_by("code")


def _unit_label(unit):
    return _("%(code)s — %(name)s (%(n)d / %(c)d places, %(regime)s)") % {
        "code": unit.code, "name": unit.name, "n": unit.occupants, "c": unit.capacity,
        "regime": unit.get_regime_display()}


class TransferRequestForm(forms.Form):
    to_facility = forms.ModelChoiceField(label=_("Établissement d'accueil"), queryset=Facility.objects.none())
    reason = _text(_("Motif du transfert"), rows=2)
    escort = _text(_("Escorte prévue"), required=False, max_length=200)
    property_seal_number = _text(_("Scellé des effets"), required=False, max_length=40)
    property_notes = _text(_("Effets qui suivent la personne"), required=False, rows=2)

    def __init__(self, *args, custody, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_facility"].queryset = Facility.objects.operational().exclude(pk=custody.facility_id)


class TransferDepartForm(forms.Form):
    escort = _text(_("Escorte (unité, chef d'escorte, véhicule)"), max_length=200)
    property_seal_number = _text(_("Scellé des effets"), required=False, max_length=40)
    property_notes = _text(_("Effets remis à l'escorte"), required=False, rows=2)


class TransferArriveForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unité d'arrivée"), queryset=Unit.objects.none())
    property_received_notes = _text(_("Effets reçus (scellé intact ?)"), required=False, rows=2)
    override_reason = _text(_("Motif malgré l'avertissement"), required=False, rows=2,
                            help_text=_("Seulement si l'unité est pleine ou mélange des catégories (Règle 11)."))

    def __init__(self, *args, transfer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units_with_occupancy(transfer.to_facility_id)
        self.fields["unit"].label_from_instance = _unit_label


class ReasonForm(forms.Form):
    reason = _text(_("Motif"), rows=2)


class CellMoveForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Nouvelle unité / cellule"), queryset=Unit.objects.none())
    reason = _text(_("Motif du déplacement"), max_length=255)
    override_reason = _text(_("Motif malgré l'avertissement"), required=False, rows=2,
                            help_text=_("Seulement si l'unité est pleine ou mélange des catégories (Règle 11)."))

    def __init__(self, *args, custody, current_unit_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = _units_with_occupancy(custody.facility_id)
        if current_unit_id:
            units = units.exclude(pk=current_unit_id)
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = _unit_label


class ReleaseForm(forms.Form):
    # A death is recorded in the death register (its own form), never as a bare release.
    reason = forms.ChoiceField(label=_("Motif de la sortie"),
                               choices=[c for c in ReleaseReason.choices if c[0] != ReleaseReason.DEATH])
    authority = _text(_("Autorité ayant ordonné la sortie"), required=False, max_length=160)
    order_reference = _text(_("Référence de la décision"), required=False, max_length=80)
    order_received_at = _when(_("Décision reçue le"), required=True)
    left_at = _when(_("Sortie effective le"))
    property_returned = forms.BooleanField(label=_("Effets restitués"), required=False)
    receipt = forms.ChoiceField(label=_("Reçu des effets"), required=False,
                                choices=[("", "—"), *ReceiptAcknowledgement.choices])
    witness_name = _text(_("Témoin (si refus de signer)"), required=False, max_length=160)
    property_notes = _text(_("Effets restitués / observations"), required=False, rows=2)
    file_extract_given = forms.BooleanField(label=_("Extrait du dossier remis à la personne (Règle 9)"),
                                            required=False)
    notes = _text(_("Observations"), required=False, rows=2)


class ClassificationForm(forms.Form):
    risk = forms.ChoiceField(label=_("Niveau de risque"), choices=Risk.choices)
    reasons = _text(_("Motifs de l'évaluation individuelle"), rows=4)
    assessed_on = forms.DateField(label=_("Évalué le"), required=False, widget=DateInput(),
                                  help_text=_("Laisser vide pour aujourd'hui."))
    next_review_on = forms.DateField(label=_("Prochaine révision le"), widget=DateInput())


class CellLeaderForm(forms.Form):
    custody = forms.ModelChoiceField(label=_("Chef de cellule choisi par les détenus"), queryset=Custody.objects.none())
    agreement_noted = forms.BooleanField(label=_("Le personnel donne son accord"), required=False)
    agreement_notes = _text(_("Comment le choix a été fait"), required=False, rows=2)

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["custody"].queryset = (
            Custody.objects.current().filter(placements__unit=unit, placements__ended_at__isnull=True)
            .select_related("inmate").order_by("inmate__last_name", "inmate__first_name"))
        self.fields["custody"].label_from_instance = lambda c: str(c.inmate)


class VisitForm(forms.Form):
    last_name = _text(_("Nom du visiteur"), max_length=80)
    first_name = _text(_("Prénom(s)"), max_length=120)
    id_document_kind = forms.ChoiceField(label=_("Pièce d'identité"), choices=IdDocumentKind.choices)
    id_document_number = _text(_("Numéro de la pièce"), max_length=40)
    phone = _text(_("Téléphone"), required=False, max_length=40)
    organisation = _text(_("Organisation / barreau"), required=False, max_length=120)
    kind = forms.ChoiceField(label=_("Qualité du visiteur"), choices=VisitorKind.choices)
    relation = _text(_("Lien avec le détenu"), required=False, max_length=80)
    arrived_at = _when(_("Entrée"))
    items_brought = _text(_("Objets apportés (nourriture, vêtements…)"), required=False, rows=2)
    notes = _text(_("Observations"), required=False, rows=2)

    VISITOR_FIELDS = ("last_name", "first_name", "id_document_kind", "id_document_number", "phone", "organisation")

    def split(self):
        data = dict(self.cleaned_data)
        visitor = {name: data.pop(name) for name in self.VISITOR_FIELDS}
        return visitor, data


class VisitingDaysForm(forms.Form):
    days = forms.TypedMultipleChoiceField(label=_("Jours de visite des familles"), choices=Weekday.choices,
                                          coerce=int, widget=forms.CheckboxSelectMultiple)
    notes = _text(_("Horaires, conditions"), required=False, rows=2)


class ComplaintForm(forms.Form):
    complainant_kind = forms.ChoiceField(label=_("Déposée par"), choices=ComplainantKind.choices)
    complainant_name = _text(_("Nom de l'auteur (si autre que le détenu)"), required=False, max_length=160)
    channel = forms.ChoiceField(label=_("Voie"), choices=ComplaintChannel.choices)
    subject = _text(_("Objet"), max_length=200)
    details = _text(_("Exposé"), rows=4)
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
    answer = _text(_("Réponse"), rows=3)


class ReferralForm(forms.Form):
    authority = _text(_("Autorité saisie (procureur, juge, inspection…)"), max_length=160)
    reference = _text(_("Référence de la saisine"), required=False, max_length=80)


class ActivityForm(forms.Form):
    name = _text(_("Nom"), max_length=120)
    kind = forms.ChoiceField(label=_("Type"), choices=ActivityKind.choices)
    open_to_regimes = forms.MultipleChoiceField(label=_("Régimes admis"), choices=Regime.choices,
                                                widget=forms.CheckboxSelectMultiple, required=False)
    open_to_untried = forms.BooleanField(label=_("Ouverte aux prévenus"), required=False, initial=True)
    open_to_convicted = forms.BooleanField(label=_("Ouverte aux condamnés"), required=False, initial=True)
    open_to_terrorism_related = forms.BooleanField(
        label=_("Ouverte aux personnes poursuivies ou condamnées pour terrorisme"), required=False)
    capacity = forms.IntegerField(label=_("Places"), required=False, min_value=1)


class EnrolForm(forms.Form):
    prisoner_number = _text(_("Numéro d'écrou"), max_length=32)

    def __init__(self, *args, activity: Activity, **kwargs):
        super().__init__(*args, **kwargs)
        self.activity = activity

    def clean_prisoner_number(self):
        number = self.cleaned_data["prisoner_number"].strip()
        custody = (Custody.objects.current().filter(facility_id=self.activity.facility_id)
                   .filter(Q(inmate__prisoner_number__iexact=number)).first())
        if custody is None:
            raise forms.ValidationError(_("Aucune personne détenue dans cet établissement sous ce numéro."))
        self.custody = custody
        return number


class FamilyNotificationForm(forms.Form):
    event = forms.ChoiceField(label=_("Événement"), choices=NotificationEvent.choices)
    transfer = forms.ModelChoiceField(label=_("Transfert concerné"), required=False, queryset=None)
    choice = forms.ChoiceField(label=_("Choix de la personne"), choices=NotificationChoice.choices)
    relative = forms.ModelChoiceField(label=_("Contact à prévenir"), required=False, queryset=None)
    contact_name = _text(_("Autre contact : nom"), required=False, max_length=160)
    contact_phone = _text(_("Téléphone du contact"), required=False, max_length=40)
    told_now = forms.BooleanField(label=_("Le contact vient d'être prévenu"), required=False)
    method = forms.ChoiceField(label=_("Moyen"), required=False, choices=[("", "—"), *NotificationMethod.choices])
    notes = _text(_("Observations"), required=False, rows=2)

    def __init__(self, *args, custody, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["transfer"].queryset = custody.transfers.select_related("from_facility", "to_facility")
        self.fields["relative"].queryset = custody.inmate.relatives.all()


class ToldForm(forms.Form):
    method = forms.ChoiceField(label=_("Moyen"), choices=NotificationMethod.choices)
