"""Pages for a death in custody: the declaration and the notifications (Rules 69 and 71)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from core.pages import add_service_errors, form_page

from . import deaths
from .forms import DATETIME_INPUT_FORMATS, DateTimeInput
from .models import Custody, DeathInCustody


class NotificationsForm(forms.Form):
    """Plain form over the model's fields: the service sets who told whom and validates the row."""

    field_names = deaths.NOTIFICATION_FIELDS
    help_texts = {"kin_told_at": gettext_lazy("Le plus proche parent est prévenu sans délai (Règle 69)."),
                  "authority_informed_at": gettext_lazy(
                      "Une autorité judiciaire indépendante de l'établissement est informée sans délai (Règle 71).")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(forms.fields_for_model(DeathInCustody, fields=self.field_names, help_texts=self.help_texts))
        for field in self.fields.values():
            if isinstance(field, forms.DateTimeField):
                field.widget, field.input_formats = DateTimeInput(), DATETIME_INPUT_FORMATS
        for name in deaths.NOTIFICATION_FIELDS:
            self.fields[name].required = False


class DeathForm(NotificationsForm):
    field_names = ("died_at", "place", "circumstances", *deaths.NOTIFICATION_FIELDS)


def _back(custody):
    return redirect(reverse("inmates:inmate_detail", args=[custody.inmate_id]) + f"#sejour-{custody.pk}")


@require_http_methods(["GET", "POST"])
@permission_required("inmates.add_deathincustody", raise_exception=True)
def death_add(request, pk):
    custody = get_object_or_404(Custody.objects.visible_to(request.user).select_related("inmate", "facility"), pk=pk)
    form = DeathForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            deaths.record_death(custody, actor=request.user, died_at=data.pop("died_at"), place=data.pop("place"),
                                circumstances=data.pop("circumstances"), **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Le décès est enregistré ; le séjour est clos."))
            return _back(custody)
    return form_page(request, title=_("Déclarer un décès en détention"), forms=[form], inmate=custody.inmate,
                     custody=custody, intro=_("Règles Nelson Mandela 69 à 72 : la famille est prévenue et une "
                                              "autorité judiciaire informée sans délai."))


@require_http_methods(["GET", "POST"])
@permission_required("inmates.change_deathincustody", raise_exception=True)
def death_notifications(request, pk):
    death = deaths.open_death(pk, actor=request.user)
    form = NotificationsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            deaths.record_death_notifications(death, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Les informations sont enregistrées."))
            return _back(death.custody)
    return form_page(request, title=_("Information de la famille et de l'autorité judiciaire"), forms=[form],
                     inmate=death.custody.inmate, custody=death.custody,
                     intro=", ".join(str(m) for m in death.missing_notifications))
