"""Pages of the exchange: its health (a prison's own, or every prison's at the national server),
the refused actions to send again, and the cross-prison duplicates DNAPES decides."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.roles import Role

from . import duplicates, health, services
from .models import DuplicateCandidate, OutboxAction
from .reads import list_duplicates, may_decide_duplicates


@require_GET
def health_page(request):
    if settings.SITE_MODE == "single":
        raise Http404(_("Ce serveur est un site unique : il n'échange avec aucun autre."))
    if not may_view(request.user):
        raise PermissionDenied
    return render(request, "sync/health.html", {
        "report": health.report(request.user),
        "may_resend": services.may_resend(request.user),
        "may_decide": may_decide_duplicates(request.user),
    })


@require_POST
def resend(request, seq):
    action = get_object_or_404(OutboxAction, seq=seq, state=OutboxAction.State.REJECTED)
    services.resend_rejected(action, actor=request.user)  # 403 for anyone but the direction and admin
    messages.success(request, _("L'action sera envoyée de nouveau au prochain échange."))
    return redirect("sync:health")


@require_GET
def duplicate_list(request):
    if settings.SITE_MODE != "national":
        raise Http404(_("Les doublons entre établissements se décident au serveur national."))
    if not may_decide_duplicates(request.user):
        raise PermissionDenied
    return render(request, "sync/duplicate_list.html", {"rows": list_duplicates(request.user)[:200]})


@require_POST
def duplicate_decide(request, pk):
    if not may_decide_duplicates(request.user):
        raise PermissionDenied
    candidate = get_object_or_404(DuplicateCandidate, pk=pk)
    try:
        duplicates.decide(candidate, same=request.POST.get("decision") == "same",
                          reason=request.POST.get("reason", ""), actor=request.user)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("Décision enregistrée."))
    return redirect("sync:duplicates")


def may_view(user):
    return settings.SITE_MODE != "single" and user.is_authenticated and (user.has_role(Role.DNAPES, Role.ADMIN, Role.DIRECTOR, Role.CLERK))
