from django.contrib import admin

from accounts.admin_mixins import AuditedAdminMixin

from .models import Facility, Region, Unit


@admin.register(Region)
class RegionAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name", "zone")
    list_filter = ("zone",)


class UnitInline(admin.TabularInline):
    model = Unit
    fk_name = "facility"
    extra = 0
    fields = ("code", "name", "kind", "parent", "capacity", "regime", "category", "is_active")
    show_change_link = True


@admin.register(Facility)
class FacilityAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name", "kind", "region", "official_capacity", "status")
    list_filter = ("status", "kind", "region")
    search_fields = ("code", "name", "town")


@admin.register(Unit)
class UnitAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name", "facility", "kind", "parent", "capacity", "regime", "category", "is_active")
    list_filter = ("facility", "kind", "regime", "is_active")
    search_fields = ("code", "name")
    list_select_related = ("facility", "parent")
