from django.contrib import admin

from accounts.admin_mixins import AuditedReadsAdminMixin, ReadOnlyAdminMixin

from . import deaths, reads, services
from .models import (
    Alias,
    Custody,
    DeathInCustody,
    Inmate,
    Placement,
    PriorCustody,
    PrisonerNumberCounter,
    Relative,
    Release,
    Transfer,
)


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0


class AliasInline(ReadOnlyInline):
    model = Alias


class RelativeInline(ReadOnlyInline):
    model = Relative


@admin.register(Inmate)
class InmateAdmin(AuditedReadsAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    read_service = staticmethod(services.open_inmate_file)
    person_field = "id"
    list_display = ("prisoner_number", "last_name", "first_name", "sex", "birth_year", "region_of_origin")
    search_fields = ("prisoner_number", "last_name", "first_name", "search_text")
    list_filter = ("sex", "region_of_origin")
    inlines = [AliasInline, RelativeInline]


class PriorCustodyInline(ReadOnlyInline):
    model = PriorCustody


class PlacementInline(ReadOnlyInline):
    model = Placement


@admin.register(Custody)
class CustodyAdmin(AuditedReadsAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    read_service = staticmethod(reads.open_custody)
    person_field = "inmate_id"
    list_display = ("inmate", "facility", "status", "legal_status", "terrorism_related", "admitted_at", "released_at")
    list_filter = ("facility", "status", "legal_status", "terrorism_related")
    list_select_related = ("inmate", "facility")
    search_fields = ("inmate__last_name", "inmate__prisoner_number")
    inlines = [PriorCustodyInline, PlacementInline]



def audited_admin(model, read_service, person_field="custody__inmate_id"):
    """A consultation-only admin whose reads go through the app's read service (audited)."""
    return type(f"{model.__name__}Admin", (AuditedReadsAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin),
                {"read_service": staticmethod(read_service), "person_field": person_field})


admin.site.register(Alias, audited_admin(Alias, reads.open_alias, "inmate_id"))
admin.site.register(Relative, audited_admin(Relative, reads.open_relative, "inmate_id"))
admin.site.register(PriorCustody, audited_admin(PriorCustody, reads.open_prior_custody))
admin.site.register(Placement, audited_admin(Placement, reads.open_placement))


# Movements and the prisoner-number counters: for consultation only. (SocialProfile is not
# registered: its sensitive fields are read only through the pages, by the roles entitled.)
for model, read_service in ((Transfer, reads.open_transfer), (Release, reads.open_release)):
    admin.site.register(model, audited_admin(model, read_service))
admin.site.register(PrisonerNumberCounter, type("PrisonerNumberCounterAdmin", (ReadOnlyAdminMixin, admin.ModelAdmin), {}))


# Deaths in custody (inmates.deaths): for consultation only; recorded through the pages and the API.
admin.site.register(DeathInCustody, audited_admin(DeathInCustody, deaths.open_death))
