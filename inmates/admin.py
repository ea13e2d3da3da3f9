from django.contrib import admin

from accounts.admin_mixins import AuditedReadsAdminMixin, ReadOnlyAdminMixin

from . import reads, services
from .models import Alias, Custody, Inmate, Placement, PriorCustody, Relative


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



def _audited_admin(model, read_service, person_field="custody__inmate_id"):
    """A consultation-only admin whose reads go through the app's read service (audited)."""
    return type(f"{model.__name__}Admin", (AuditedReadsAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin),
                {"read_service": staticmethod(read_service), "person_field": person_field})


admin.site.register(Alias, _audited_admin(Alias, reads.open_alias, "inmate_id"))
admin.site.register(Relative, _audited_admin(Relative, reads.open_relative, "inmate_id"))
admin.site.register(PriorCustody, _audited_admin(PriorCustody, reads.open_prior_custody))
admin.site.register(Placement, _audited_admin(Placement, reads.open_placement))


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

for model, read_service in ((Transfer, reads.open_transfer), (Release, reads.open_release),
                            (Classification, reads.open_classification), (CellLeader, reads.open_cell_leader),
                            (Visit, reads.open_visit),
                            (Enrolment, reads.open_enrolment), (FamilyNotification, reads.open_family_notification)):
    admin.site.register(model, _audited_admin(model, read_service))
for model in (FacilityVisitingRule, Visitor, Activity, PrisonerNumberCounter):
    admin.site.register(model, type(f"{model.__name__}Admin", (ReadOnlyAdminMixin, admin.ModelAdmin), {}))


@admin.register(Complaint)
class ComplaintAdmin(AuditedReadsAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Complaints as the pages show them: a confidential one only to its addressee and the
    direction (accounts.need_to_know, by role, never by `is_superuser`); facility scoping too;
    every read through the audited read service."""

    read_service = staticmethod(reads.open_complaint)
    person_field = "custody__inmate_id"

    list_display = ("subject", "facility", "status", "is_allegation", "received_at")
    list_filter = ("status", "is_allegation", "facility")
    list_select_related = ("facility",)

    def get_queryset(self, request):
        return Complaint.objects.visible_to(request.user).select_related("facility")

# Deaths in custody (inmates.deaths): for consultation only; recorded through the pages and the API.
from . import deaths  # noqa: E402
from .models import DeathInCustody  # noqa: E402

admin.site.register(DeathInCustody, _audited_admin(DeathInCustody, deaths.open_death))
