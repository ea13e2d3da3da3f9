from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .models import AuditAction


class LoginForm(AuthenticationForm):
    """Django's sign-in form; a monitor outside their authorisation is refused with a clear message."""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if user.outside_authorisation:
            from .monitors import refused_sign_in_message

            raise forms.ValidationError(refused_sign_in_message(), code="outside_authorisation")


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("Agent (identifiant)"), required=False)
    inmate = forms.IntegerField(label=_("Détenu (n° de fiche)"), required=False, min_value=1)
    action = forms.ChoiceField(label=_("Action"), required=False,
                               choices=[("", _("Toutes"))] + list(AuditAction.choices))
    date_from = forms.DateField(label=_("Du"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Au"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("La date de début doit précéder la date de fin."))
        return data
