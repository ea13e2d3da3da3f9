from django.contrib import admin

from accounts.admin_mixins import ReadOnlyAdminMixin

from .models import Alias, Custody, Inmate, Placement, PriorCustody, Relative


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0


class AliasInline(ReadOnlyInline):
    model = Alias


class RelativeInline(ReadOnlyInline):
    model = Relative


@admin.register(Inmate)
class InmateAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("prisoner_number", "last_name", "first_name", "sex", "birth_year", "region_of_origin")
    search_fields = ("prisoner_number", "last_name", "first_name", "search_text")
    list_filter = ("sex", "region_of_origin")
    inlines = [AliasInline, RelativeInline]


class PriorCustodyInline(ReadOnlyInline):
    model = PriorCustody


class PlacementInline(ReadOnlyInline):
    model = Placement


@admin.register(Custody)
class CustodyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("inmate", "facility", "status", "legal_status", "terrorism_related", "admitted_at", "released_at")
    list_filter = ("facility", "status", "legal_status", "terrorism_related")
    list_select_related = ("inmate", "facility")
    search_fields = ("inmate__last_name", "inmate__prisoner_number")
    inlines = [PriorCustodyInline, PlacementInline]


for model in (Alias, Relative, PriorCustody, Placement):
    admin.site.register(model, type(f"{model.__name__}Admin", (ReadOnlyAdminMixin, admin.ModelAdmin), {}))


# Custody life and the prisoner-number counters: for consultation only. (SocialProfile is not
# registered: its sensitive fields are read only through the pages, by the roles entitled.)
from .models import (  # noqa: E402
    Activity,
    CellLeader,
    Classification,
    Complaint,
    Enrolment,
    FacilityVisitingRule,
    FamilyNotification,
    PrisonerNumberCounter,
    Release,
    Transfer,
    Visit,
    Visitor,
)

for model in (Transfer, Release, Classification, CellLeader, FacilityVisitingRule, Visitor, Visit,
              Activity, Enrolment, FamilyNotification, PrisonerNumberCounter):
    admin.site.register(model, type(f"{model.__name__}Admin", (ReadOnlyAdminMixin, admin.ModelAdmin), {}))


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Complaints as the pages show them: a confidential one only to its addressee and the
    direction (accounts.need_to_know, by role, never by `is_superuser`); facility scoping too."""

    list_display = ("subject", "facility", "status", "is_allegation", "received_at")
    list_filter = ("status", "is_allegation", "facility")
    list_select_related = ("facility",)

    def get_queryset(self, request):
        return Complaint.objects.visible_to(request.user).select_related("facility")

# Deaths in custody (inmates.deaths): for consultation only; recorded through the pages and the API.
from .models import DeathInCustody  # noqa: E402

admin.site.register(DeathInCustody, type("DeathInCustodyAdmin", (ReadOnlyAdminMixin, admin.ModelAdmin), {}))
