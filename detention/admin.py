"""Life inside in the admin: for consultation only, every read through the audited read
service (need-to-know by role: a confidential complaint only to its addressee and the direction)."""

from django.contrib import admin

from accounts.admin_mixins import AuditedReadsAdminMixin, ReadOnlyAdminMixin
from inmates.admin import audited_admin

from . import reads
from .models import (
    Activity,
    CellLeader,
    Classification,
    Complaint,
    Enrolment,
    FacilityVisitingRule,
    FamilyNotification,
    Visit,
    Visitor,
)

for model, read_service in ((Classification, reads.open_classification), (CellLeader, reads.open_cell_leader),
                            (Visit, reads.open_visit), (Enrolment, reads.open_enrolment),
                            (FamilyNotification, reads.open_family_notification)):
    admin.site.register(model, audited_admin(model, read_service))
for model in (FacilityVisitingRule, Visitor, Activity):
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
