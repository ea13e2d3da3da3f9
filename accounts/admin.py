from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from .admin_mixins import AuditedAdminMixin, ReadOnlyAdminMixin
from .models import AuditEntry, User


@admin.register(User)
class UserAdmin(AuditedAdminMixin, BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + ((_("Affectation"), {"fields": ("job_title", "facilities")}),)
    filter_horizontal = ("groups", "user_permissions", "facilities")
    list_display = ("username", "first_name", "last_name", "job_title", "is_active", "last_login")
    list_filter = ("is_active", "groups", "facilities")
    actions = ["reset_second_factor"]

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


# Pairing an authenticator goes through the owner's own verified session, or an audited reset;
# the device admin (which shows the keys and lets anyone add a device for anyone) is removed.
try:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    admin.site.unregister(TOTPDevice)
except admin.sites.NotRegistered:
    pass
