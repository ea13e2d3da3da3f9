"""The assessment instrument: every member of staff who assesses reads it; DNAPES drafts a new
version, edits the draft and publishes it (a published version never changes)."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.pages import call_service, record_form_page

from .. import services
from ..forms import ItemForm
from ..models import Instrument, InstrumentVersion, InterventionType


def version_url(version):
    return reverse("followup:version_detail", args=[version.pk])


@require_GET
@permission_required("followup.view_instrumentversion", raise_exception=True)
def instrument_list(request):
    return render(request, "followup/instrument_list.html", {
        "instruments": Instrument.objects.prefetch_related("versions"),
        "catalogue": InterventionType.objects.all()})


@require_GET
@permission_required("followup.view_instrumentversion", raise_exception=True)
def version_detail(request, pk):
    version = get_object_or_404(InstrumentVersion.objects.select_related("instrument", "published_by"), pk=pk)
    return render(request, "followup/version_detail.html", {
        "version": version, "domains": version.domains.prefetch_related("items__scale"),
        "scales": version.scales.all(),
        "can_edit": version.is_editable and request.user.has_perm("followup.change_instrumentversion")})


def _report(request, call, done):
    try:
        result = call()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return None
    messages.success(request, done)
    return result


@require_POST
@permission_required("followup.add_instrumentversion", raise_exception=True)
def version_draft(request, pk):
    instrument = get_object_or_404(Instrument, pk=pk)
    draft = _report(request, lambda: services.draft_new_version(
        instrument, actor=request.user, change_note=request.POST.get("change_note", "")),
        _("Une nouvelle version en brouillon est créée (copie de la dernière)."))
    return redirect(version_url(draft) if draft else reverse("followup:instrument_list"))


@require_POST
@permission_required("followup.publish_instrumentversion", raise_exception=True)
def version_publish(request, pk):
    version = get_object_or_404(InstrumentVersion, pk=pk)
    _report(request, lambda: services.publish_version(version, actor=request.user),
            _("La version est publiée : elle ne change plus."))
    return redirect(version_url(version))


@require_http_methods(["GET", "POST"])
@permission_required("followup.change_instrumentversion", raise_exception=True)
def item_add(request, pk):
    version = get_object_or_404(InstrumentVersion.objects.select_related("instrument"), pk=pk)
    if not version.is_editable:
        messages.error(request, services.instruments.IMMUTABLE)
        return redirect(version_url(version))
    form = ItemForm(request.POST or None, version=version)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        domain = data.pop("domain")
        if call_service(form, lambda: services.add_item(domain, actor=request.user, **data)):
            messages.success(request, _("L'élément est ajouté au brouillon."))
            return redirect(version_url(version))
    return record_form_page(request, title=_("Ajouter un élément — %(v)s") % {"v": version}, form=form,
                            cancel_url=version_url(version))
