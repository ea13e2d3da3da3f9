from django.contrib import admin

from accounts.admin_mixins import AuditedAdminMixin, ReadOnlyAdminMixin

from .models import Case, Charge, Court, DetentionOrder, Hearing, Judgment


@admin.register(Court)
class CourtAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name", "kind", "town")
    list_filter = ("kind",)
    search_fields = ("code", "name")


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0


class ChargeInline(ReadOnlyInline):
    model = Charge


class OrderInline(ReadOnlyInline):
    model = DetentionOrder
    fk_name = "case"


class HearingInline(ReadOnlyInline):
    model = Hearing


class JudgmentInline(ReadOnlyInline):
    model = Judgment


@admin.register(Case)
class CaseAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("case_number", "court", "custody", "investigating_judge", "legal_status", "opened_on")
    list_filter = ("court", "legal_status")
    search_fields = ("case_number", "investigating_judge", "custody__inmate__last_name")
    list_select_related = ("court", "custody__inmate", "custody__facility")
    inlines = [ChargeInline, OrderInline, HearingInline, JudgmentInline]


for model in (Charge, DetentionOrder, Hearing, Judgment):
    admin.site.register(model, type(f"{model.__name__}Admin", (ReadOnlyAdminMixin, admin.ModelAdmin), {}))

from .models import CaseDeadline  # noqa: E402

admin.site.register(CaseDeadline, type("CaseDeadlineAdmin", (ReadOnlyAdminMixin, admin.ModelAdmin), {}))

# Release orders (casework.releases): for consultation only; recorded through the pages and the API.
from .models import ReleaseOrder  # noqa: E402

admin.site.register(ReleaseOrder, type("ReleaseOrderAdmin", (ReadOnlyAdminMixin, admin.ModelAdmin), {}))
