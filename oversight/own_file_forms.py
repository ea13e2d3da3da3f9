"""Forms of the register of requests to see one's own file (shape only; the service decides)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from inmates.forms import text_field, when_field

from .models import OwnFileChannel, OwnFileRequester


class OwnFileRequestForm(forms.Form):
    requester = forms.ChoiceField(label=_("Demandée par"), choices=OwnFileRequester.choices)
    requester_name = text_field(_("Nom du demandeur (si autre que la personne)"), required=False, max_length=160)
    channel = forms.ChoiceField(label=_("Voie"), choices=OwnFileChannel.choices)
    requested_at = when_field(_("Demandée le"))


class OwnFileAnswerForm(forms.Form):
    extract_handed_over = forms.BooleanField(
        label=_("Extrait remis à la personne"), required=False,
        help_text=_("Imprimez l'extrait, remettez-le, puis cochez."))
    note = text_field(_("Observations (obligatoires si l'extrait n'est pas remis)"), required=False, rows=3)
