from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .models import AuditAction, MonitorBody


class LoginForm(AuthenticationForm):
    """Django's sign-in form; a monitor outside their authorisation is refused with a clear message."""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if user.outside_authorisation:
            from .monitors import refused_sign_in_message

            raise forms.ValidationError(refused_sign_in_message(), code="outside_authorisation")


class MonitorAuthorisationForm(forms.Form):
    monitor = forms.ModelChoiceField(label=_("Compte de l'observateur"), queryset=None)
    body = forms.ChoiceField(label=_("Organisme"), choices=MonitorBody.choices)
    body_detail = forms.CharField(label=_("Précision sur l'organisme"), required=False, max_length=160)
    facilities = forms.ModelMultipleChoiceField(label=_("Établissements"), queryset=None)
    starts_on = forms.DateField(label=_("Du"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Au"), widget=forms.DateInput(attrs={"type": "date"}))
    reference = forms.CharField(label=_("Référence de l'autorisation"), max_length=80)
    reason = forms.CharField(label=_("Motif"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    medical_access = forms.BooleanField(label=_("Accès aux données médicales (médecin du CICR)"), required=False)
    medical_access_authorised_by = forms.CharField(label=_("Accès médical autorisé par"), required=False,
                                                   max_length=160)

    def __init__(self, *args, **kwargs):
        from prisons.models import Facility

        from .monitors import monitor_accounts

        super().__init__(*args, **kwargs)
        self.fields["monitor"].queryset = monitor_accounts()
        self.fields["facilities"].queryset = Facility.objects.order_by("name")


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Motif de la révocation"), widget=forms.Textarea(attrs={"rows": 2}),
                             max_length=2000)


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
