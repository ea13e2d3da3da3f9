from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import second_factor
from .exports import csv_response
from .forms import AuditFilterForm
from .models import AuditAction, AuditEntry
from .services import change_password, record_audit, revoke_api_tokens


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
    reader = request.user
    rows = (
        (e.at.isoformat(), e.actor_name, e.get_action_display(), e.target_type.model if e.target_type else "",
         e.target_id, e.target_repr, e.inmate_id or "", e.facility.code if e.facility else "",
         e.ip_address or "", " ; ".join(row.shown for row in e.change_rows(reader)), e.reason)
        for e in entries.iterator(chunk_size=2000)
    )
    header = ["date", "agent", "action", "type", "id", "objet", "détenu", "établissement", "adresse IP",
              "modifications", "motif"]
    return csv_response("journal-audit.csv", header, rows)


def _next_url(request):
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("home")


def _session_verified(request) -> bool:
    return bool(getattr(request.user, "is_verified", lambda: False)())


@require_http_methods(["GET", "POST"])
def second_factor_setup(request):
    """Pair an authenticator application (TOTP) with the account, confirmed by a first code.

    With the password alone only a first authenticator can be paired; an account that already
    has one must validate its code first (otherwise a stolen password pairs the thief's phone)."""
    verified = _session_verified(request)
    if not second_factor.may_pair(request.user, verified=verified):
        messages.warning(request, _(
            "Votre compte a déjà une application d'authentification : saisissez d'abord son code "
            "pour en ajouter une autre."))
        return redirect(f"{reverse('accounts:second_factor_verify')}?next={reverse('accounts:second_factor_setup')}")
    device = second_factor.pending_device(request.user, verified=verified)
    error = ""
    if request.method == "POST":
        if second_factor.confirm_device(device, request.POST.get("token", ""), actor=request.user,
                                        verified=verified, name=request.POST.get("name", "")):
            device.refresh_from_db()
            otp_login(request, device)
            messages.success(request, _("La double authentification est activée pour votre compte."))
            return redirect(_next_url(request))
        error = _("Code incorrect. Vérifiez l'heure du téléphone et saisissez le code à 6 chiffres affiché.")
    return render(request, "accounts/second_factor_setup.html", {
        "qr_svg": mark_safe(second_factor.qr_svg(device)),  # generated locally by qrcode, no user input
        "secret": second_factor.secret_base32(device),
        "error": error, "next": _next_url(request), "adding": second_factor.has_confirmed_device(request.user),
        "device_name": device.name,
    })


@require_http_methods(["GET", "POST"])
def second_factor_devices(request):
    """The signed-in user's authenticators: see them, add one, remove one (verified session)."""
    verified = _session_verified(request)
    if request.method == "POST":
        device = TOTPDevice.objects.filter(user=request.user, pk=request.POST.get("device") or 0).first()
        if device is None:
            raise Http404
        try:
            second_factor.remove_device(device, actor=request.user, verified=verified)
        except PermissionDenied:
            return redirect(f"{reverse('accounts:second_factor_verify')}?next={reverse('accounts:second_factor_devices')}")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("L'appareil « %(name)s » a été retiré.") % {"name": device.name})
        return redirect("accounts:second_factor_devices")
    return render(request, "accounts/second_factor_devices.html", {
        "devices": second_factor.confirmed_devices(request.user), "verified": verified,
        "required": second_factor.requires_second_factor(request.user),
    })


@require_http_methods(["GET", "POST"])
def second_factor_verify(request):
    """Ask for the 6-digit code of the account's authenticator application."""
    if not second_factor.has_confirmed_device(request.user):
        return redirect(f"{reverse('accounts:second_factor_setup')}?next={_next_url(request)}")
    error = ""
    if request.method == "POST":
        device = second_factor.verify(request.user, request.POST.get("token", ""))
        if device is not None:
            otp_login(request, device)
            return redirect(_next_url(request))
        record_audit(AuditAction.LOGIN_FAILED, actor=request.user, target=request.user,
                     reason="code de double authentification incorrect")
        error = _("Code incorrect ou expiré. Saisissez le code à 6 chiffres affiché par votre application.")
    return render(request, "accounts/second_factor_verify.html", {"error": error, "next": _next_url(request)})


@require_http_methods(["GET", "POST"])
def second_factor_reset(request, user_id):
    """The system administrator resets a staff member's authenticators (lost phone)."""
    from .models import User
    from .roles import Role

    if not request.user.has_role(Role.ADMIN):
        raise PermissionDenied
    target = User.objects.filter(pk=user_id).first()
    if target is None:
        raise Http404
    error, reason = "", ""
    if request.method == "POST":
        reason = request.POST.get("reason", "")
        try:
            count = second_factor.reset_second_factor(target, actor=request.user, reason=reason)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("Double authentification réinitialisée pour %(name)s (%(n)d appareil(s) retiré(s)).")
                             % {"name": target.get_username(), "n": count})
            return redirect("admin:accounts_user_change", target.pk)
    return render(request, "accounts/second_factor_reset.html", {
        "target": target, "device_count": TOTPDevice.objects.filter(user=target).count(),
        "error": error, "reason": reason,
    })


@require_http_methods(["GET", "POST"])
def password_change(request):
    """Staff change their own password: the current one, then the new one twice (Django's
    validators). Their other sessions end and every API token of theirs is revoked; this
    session stays signed in. Audited."""
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        change_password(request.user, new_password=form.cleaned_data["new_password1"], actor=request.user)
        update_session_auth_hash(request, request.user)
        messages.success(request, _(
            "Votre mot de passe a été changé. Vos autres sessions sont fermées et vos jetons d'API révoqués."))
        return redirect("home")
    return render(request, "accounts/password_change.html", {"form": form})


class LogoutView(auth_views.LogoutView):
    """Sign-out from the pages also revokes the account's API tokens (audited)."""

    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            revoke_api_tokens(request.user, actor=request.user, reason="déconnexion des pages")
        return super().post(request, *args, **kwargs)
