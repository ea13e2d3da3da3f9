"""Read-mostly admin for intakes: every change goes through intake.services."""

from django.contrib import admin

from accounts.admin_mixins import AuditedReadsAdminMixin

from . import reads, services
from .models import Intake, StepRecord


class StepRecordInline(admin.TabularInline):
    model = StepRecord
    extra = 0
    can_delete = False
    readonly_fields = ("step", "completed_by", "completed_at")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Intake)
class IntakeAdmin(AuditedReadsAdminMixin, admin.ModelAdmin):
    read_service = staticmethod(services.open_intake)
    person_field = "inmate_id"
    list_display = ("inmate", "facility", "status", "last_step", "opened_at", "last_activity_at")
    list_filter = ("status", "facility")
    search_fields = ("inmate__last_name", "inmate__first_name", "inmate__prisoner_number")
    inlines = [StepRecordInline]
    readonly_fields = [f.name for f in Intake._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Step data, for consultation. MedicalExamination and InterviewRecord are deliberately not
# registered: medical details and the interview's sensitive answers are read only by the
# roles entitled to them, through the step pages (need to know, even for administrators).
from accounts.admin_mixins import ReadOnlyAdminMixin  # noqa: E402

from .models import (  # noqa: E402
    AdministrationRecord,
    Fingerprint,
    Presentation,
    PropertyItem,
    RegistryRecord,
    SecurityCheck,
)

for model, read_service, person_field in (
        (StepRecord, reads.open_step_record, "intake__inmate_id"),
        (SecurityCheck, reads.open_security_check, "intake__inmate_id"),
        (AdministrationRecord, reads.open_administration_record, "intake__inmate_id"),
        (Fingerprint, reads.open_fingerprint, "intake__inmate_id"),
        (RegistryRecord, reads.open_registry_record, "intake__inmate_id"),
        (PropertyItem, reads.open_property_item, "registry__intake__inmate_id")):
    admin.site.register(model, type(f"{model.__name__}Admin",
                                    (AuditedReadsAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin),
                                    {"read_service": staticmethod(read_service), "person_field": person_field}))


def _open_presentation(pk, *, actor):
    from .presentations import open_presentation

    return open_presentation(pk, actor=actor)


@admin.register(Presentation)
class PresentationAdmin(AuditedReadsAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """The register of presentations without a valid title, for consultation: every decision
    goes through intake.presentations (the pages and the API)."""

    read_service = staticmethod(_open_presentation)
    person_field = "inmate_id"
    list_display = ("presented_at", "facility", "last_name", "first_name", "missing", "outcome")
    list_filter = ("outcome", "facility")
