from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .exports import csv_response
from .forms import AuditFilterForm
from .models import AuditAction, AuditEntry
from .services import record_audit


def audit_entries_visible_to(user):
    """Administrators and national roles see every entry; a director, their prisons' entries
    and the entries of their own staff's sign-ins."""
    entries = AuditEntry.objects.select_related("target_type", "facility")
    ids = user.visible_facility_ids()
    if ids is None:
        return entries
    return entries.filter(Q(facility_id__in=ids) | Q(facility__isnull=True, actor__facilities__in=ids)).distinct()


def _filtered(request):
    form = AuditFilterForm(request.GET or None)
    entries = audit_entries_visible_to(request.user)
    if form.is_valid():
        data = form.cleaned_data
        if data["actor"]:
            entries = entries.filter(actor_name__iexact=data["actor"].strip())
        if data["inmate"]:
            entries = entries.filter(inmate_id=data["inmate"])
        if data["action"]:
            entries = entries.filter(action=data["action"])
        if data["date_from"]:
            entries = entries.filter(at__date__gte=data["date_from"])
        if data["date_to"]:
            entries = entries.filter(at__date__lte=data["date_to"])
    return form, entries.order_by("-at", "-id")


@require_GET
@permission_required("accounts.view_auditentry", raise_exception=True)
def audit_list(request):
    form, entries = _filtered(request)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "accounts/audit_list.html",
                  {"form": form, "page": page, "query": query.urlencode()})


@require_GET
@permission_required("accounts.view_auditentry", raise_exception=True)
def audit_export(request):
    form, entries = _filtered(request)
    record_audit(AuditAction.EXPORT, actor=request.user, reason="journal d'audit",
                 changes={"filters": {k: v for k, v in request.GET.items() if v}})
    rows = (
        (e.at.isoformat(), e.actor_name, e.get_action_display(), e.target_type.model if e.target_type else "",
         e.target_id, e.target_repr, e.inmate_id or "", e.facility.code if e.facility else "",
         e.ip_address or "", e.reason)
        for e in entries.iterator(chunk_size=2000)
    )
    header = ["date", "agent", "action", "type", "id", "objet", "détenu", "établissement", "adresse IP", "motif"]
    return csv_response("journal-audit.csv", header, rows)
