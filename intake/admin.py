"""Read-mostly admin for intakes: every change goes through intake.services."""

from django.contrib import admin

from .models import Intake, StepRecord


class StepRecordInline(admin.TabularInline):
    model = StepRecord
    extra = 0
    can_delete = False
    readonly_fields = ("step", "completed_by", "completed_at")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Intake)
class IntakeAdmin(admin.ModelAdmin):
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
    PropertyItem,
    RegistryRecord,
    SecurityCheck,
)

for model in (StepRecord, SecurityCheck, AdministrationRecord, Fingerprint, RegistryRecord, PropertyItem):
    admin.site.register(model, type(f"{model.__name__}Admin", (ReadOnlyAdminMixin, admin.ModelAdmin), {}))
