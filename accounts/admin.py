from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .admin_mixins import AuditedAdminMixin, ReadOnlyAdminMixin
from .models import AuditEntry, User


@admin.register(User)
class UserAdmin(AuditedAdminMixin, BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + ((_("Affectation"), {"fields": ("job_title", "facilities")}),)
    filter_horizontal = ("groups", "user_permissions", "facilities")
    list_display = ("username", "first_name", "last_name", "job_title", "is_active", "last_login")
    list_filter = ("is_active", "groups", "facilities")


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("at", "actor_name", "action", "target_type", "target_repr", "facility", "ip_address")
    list_filter = ("action", "target_type", "facility")
    search_fields = ("actor_name", "target_repr", "target_id")
    date_hierarchy = "at"
    list_select_related = ("target_type", "facility")
