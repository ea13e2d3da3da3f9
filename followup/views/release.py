"""Preparing release: who is due a checklist in a prison, and each person's checklist."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.reads import record_list
from inmates.models import Custody
from inmates.views import custody_or_404, facility_or_404

from .. import reads, services
from ..forms import ChecklistItemForm
from ..models import ChecklistItem, ReintegrationChecklist


@require_GET
@permission_required("followup.view_reintegrationchecklist", raise_exception=True)
def due_list(request, pk):
    """The people of a prison whose release is foreseeable: due a checklist, and those open."""
    facility = facility_or_404(request, pk)
    due = services.due_for_checklist(Custody.objects.filter(facility=facility))
    open_lists = (ReintegrationChecklist.objects.filter(custody__facility=facility, custody__status__in=("intake", "held"))
                  .select_related("custody__inmate").prefetch_related("items"))
    record_list(request.user, kind=_("préparations à la sortie"), query=request.GET,
                count=len(due) + open_lists.count(), target=facility, facility_id=facility.pk)
    return render(request, "followup/due_list.html", {
        "facility": facility, "rows": due, "open_lists": open_lists, "months": services.reintegration.months_before(),
        "pretrial_months": services.reintegration.long_pretrial_months()})


@require_POST
@permission_required("followup.change_reintegrationchecklist", raise_exception=True)
def checklist_open(request, pk):
    custody = custody_or_404(request, pk)
    try:
        checklist = services.open_checklist(custody, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(reverse("followup:person", args=[custody.pk]))
    messages.success(request, _("La préparation à la sortie est ouverte."))
    return redirect(reverse("followup:checklist_detail", args=[checklist.pk]))


@require_GET
def checklist_detail(request, pk):
    checklist = reads.open_checklist(pk, actor=request.user)
    return render(request, "followup/checklist_detail.html", {
        "checklist": checklist, "custody": checklist.custody, "inmate": checklist.custody.inmate,
        "items": checklist.items.select_related("done_by"), "form": ChecklistItemForm(),
        "can_change": request.user.has_perm("followup.change_reintegrationchecklist")})


@require_POST
def item_complete(request, pk):
    item = get_object_or_404(ChecklistItem.objects.filter(
        checklist__in=ReintegrationChecklist.objects.visible_to(request.user)), pk=pk)
    checklist = reads.open_checklist(item.checklist_id, actor=request.user)
    if not request.user.has_perm("followup.change_reintegrationchecklist"):
        raise PermissionDenied
    form = ChecklistItemForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Dites ce qui est prévu."))
        services.complete_item(item, note=form.cleaned_data["note"], actor=request.user)
        messages.success(request, _("Le point est réglé."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect(reverse("followup:checklist_detail", args=[checklist.pk]))
