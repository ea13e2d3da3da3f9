"""Pages of monitors' authorisations: DNAPES/admin grant, list and revoke; the monitor's home page."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.pages import call_service

from . import monitors
from .forms import MonitorAuthorisationForm, RevokeForm
from .reads import record_list


@require_http_methods(["GET", "POST"])
@permission_required("accounts.view_monitorauthorisation", raise_exception=True)
def authorisation_list(request):
    """The authorisations (DNAPES/admin: all, with the form to grant one; a monitor: their own)."""
    can_grant = monitors.may_grant(request.user)
    form = None
    if can_grant:
        form = MonitorAuthorisationForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            created = call_service(form, lambda: monitors.grant_monitor_authorisation(
                data["monitor"], actor=request.user, **{k: v for k, v in data.items() if k != "monitor"}))
            if created is not None:
                messages.success(request, _("Autorisation accordée."))
                return redirect("accounts:authorisation_detail", created.pk)
    elif request.method == "POST":
        raise PermissionDenied(_("Seules la DNAPES et l'administration accordent ou révoquent une autorisation."))
    qs = monitors.authorisations_for(request.user)
    record_list(request.user, kind=_("autorisations d'observateurs"), query=request.GET, count=qs.count())
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/authorisation_list.html", {"page": page, "form": form, "can_grant": can_grant})


@require_GET
def authorisation_detail(request, pk):
    authorisation = monitors.open_monitor_authorisation(pk, actor=request.user)
    return render(request, "accounts/authorisation_detail.html", {
        "authorisation": authorisation, "revoke_form": RevokeForm() if monitors.may_grant(request.user) else None})


@require_POST
def authorisation_revoke(request, pk):
    authorisation = monitors.open_monitor_authorisation(pk, actor=request.user)
    form = RevokeForm(request.POST)
    if form.is_valid() and call_service(form, lambda: monitors.revoke_monitor_authorisation(
            authorisation, actor=request.user, reason=form.cleaned_data["reason"])):
        messages.success(request, _("Autorisation révoquée."))
        return redirect("accounts:authorisation_detail", authorisation.pk)
    return render(request, "accounts/authorisation_detail.html",
                  {"authorisation": authorisation, "revoke_form": form}, status=400)


@require_GET
def monitor_home(request):
    """A monitor's home: their prisons and the period of each valid authorisation, and what they may read."""
    if not request.user.is_monitor:
        raise PermissionDenied(_("Cette page est celle des observateurs extérieurs."))
    authorisations = list(request.user.current_authorisations())
    # No work queues (the home page's for prison staff): a monitor reads, never acts.
    return render(request, "accounts/monitor_home.html", {"authorisations": authorisations, "queues": []})
