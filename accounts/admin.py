from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import transaction
from django.shortcuts import redirect
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken

from . import services
from .admin_mixins import AuditedReadsAdminMixin, ReadOnlyAdminMixin
from .models import AccessGeneration, AuditAction, AuditCheckpoint, AuditEntry, AuditSeal, User
from .roles import Role


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + ((_("Affectation"), {"fields": ("job_title", "facilities")}),)
    filter_horizontal = ("groups", "user_permissions", "facilities")
    list_display = ("username", "first_name", "last_name", "job_title", "is_active", "last_login")
    list_filter = ("is_active", "groups", "facilities")
    actions = ["reset_second_factor", "revoke_api_tokens"]

    def save_model(self, request, obj, form, change):
        """Through the accounts service: audited, and a deactivated account loses its API tokens."""
        changes = {}
        if change and form.changed_data:
            old = type(obj).objects.get(pk=obj.pk)
            many = {f.name for f in obj._meta.many_to_many}
            changed = [f for f in form.changed_data if f in form.cleaned_data and f != "password"]
            changes = services.diff_fields(old, {f: form.cleaned_data[f] for f in changed
                                                 if f not in many and hasattr(old, f)})
            for name in (f for f in changed if f in many):
                changes[name] = [sorted(str(x) for x in getattr(old, name).all()),
                                 sorted(str(x) for x in form.cleaned_data[name])]
        services.save_staff_account(obj, actor=request.user, changes=changes, created=not change)

    def has_delete_permission(self, request, obj=None):
        return False  # accounts are deactivated, never deleted (the audit trail points at them)

    def user_change_password(self, request, id, form_url=""):
        """The administrator sets a staff member's password: as on the password-change page,
        every API token of the account is revoked and the change is audited."""
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                user = self.get_object(request, unquote(id))
                services.record_audit(AuditAction.UPDATE, actor=request.user, target=user,
                                      reason="mot de passe réinitialisé par l'administrateur",
                                      changes={"password": [None, "********"]})
                services.revoke_api_tokens(user, actor=request.user, reason="mot de passe réinitialisé")
        return response

    @admin.action(description=_("Révoquer les jetons d'API des comptes choisis"), permissions=["revoke"])
    def revoke_api_tokens(self, request, queryset):
        count = sum(services.revoke_api_tokens(user, actor=request.user,
                                               reason="révoqué par l'administrateur système")
                    for user in queryset)
        self.message_user(request, _("%(n)d jeton(s) révoqué(s).") % {"n": count})

    def has_revoke_permission(self, request):
        return request.user.is_active and request.user.has_role(Role.ADMIN)

    @admin.action(description=_("Réinitialiser la double authentification (téléphone perdu)"))
    def reset_second_factor(self, request, queryset):
        """One account at a time, on its own page, with a reason (audited, owner notified)."""
        if queryset.count() != 1:
            self.message_user(request, _("Choisissez un seul compte."), level="error")
            return None
        return redirect("accounts:second_factor_reset", queryset.get().pk)


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("at", "actor_name", "action", "target_type", "target_repr", "facility", "ip_address")
    list_filter = ("action", "target_type", "facility")
    search_fields = ("actor_name", "target_repr", "target_id")
    date_hierarchy = "at"
    list_select_related = ("target_type", "facility")
    # The raw changes are never shown: restricted values only to the readers entitled to them.
    exclude = ("changes", "restricted_changes", "prev_hash", "digest_scheme")

    def get_readonly_fields(self, request, obj=None):
        def modifications(entry):
            return format_html_join("", "<div>{}</div>", ((row.shown,) for row in entry.change_rows(request.user))) or "—"

        modifications.short_description = _("Modifications")
        return (*super().get_readonly_fields(request, obj), modifications)


@admin.register(AuditSeal)
class AuditSealAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The chain's links, for consultation (verify with `manage.py verify_audit_chain`)."""

    list_display = ("position", "entry", "sealed_at")
    list_select_related = ("entry",)
    ordering = ("-position",)


@admin.register(AuditCheckpoint)
class AuditCheckpointAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("at", "seal_count", "last_seal_id", "key_id")
    ordering = ("-id",)


# API tokens: who holds one, since when, until when — never the token (only its hash is kept,
# and not shown either). No token is created here (each comes from its owner's own sign-in,
# with their second factor); an administrator may revoke them.
try:
    admin.site.unregister(AuthToken)
except admin.sites.NotRegistered:
    pass


@admin.register(AuthToken)
class ApiTokenAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only list; a token's hash is its primary key, so no per-token page, link or
    checkbox (revoking is an action on the staff accounts' list)."""

    list_display = ("user", "created", "expiry")
    list_display_links = None
    actions = None
    list_filter = ("expiry",)
    search_fields = ("user__username",)
    list_select_related = ("user",)
    ordering = ("-created",)

    def has_view_permission(self, request, obj=None):
        return obj is None and super().has_view_permission(request, obj)


# Pairing an authenticator goes through the owner's own verified session, or an audited reset;
# the device admin (which shows the keys and lets anyone add a device for anyone) is removed.
try:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    admin.site.unregister(TOTPDevice)
except admin.sites.NotRegistered:
    pass

# Monitors' authorisations (accounts.monitors): granted and revoked through the pages and the API
# (audited, DNAPES or administrator); the admin consults them through the audited read.
from .models import MonitorAuthorisation  # noqa: E402
from .monitors import open_monitor_authorisation  # noqa: E402


@admin.register(MonitorAuthorisation)
class MonitorAuthorisationAdmin(AuditedReadsAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    read_service = staticmethod(open_monitor_authorisation)
    list_display = ("monitor", "body", "starts_on", "ends_on", "revoked_at")
    list_select_related = ("monitor",)


# The access profiles' generation (accounts.access): consulted, never edited by hand.
admin.site.register(AccessGeneration, type("AccessGenerationAdmin", (ReadOnlyAdminMixin, admin.ModelAdmin), {}))
