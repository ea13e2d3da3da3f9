"""Admin for the limits table (administrators edit it), the alerts and the snapshots (read-only)."""

from django.contrib import admin

from accounts.admin_mixins import AuditedReadsAdminMixin, ReadOnlyAdminMixin
from casework import reads
from casework.models import BacklogSnapshot, DeadlineAlert, DetentionLimit, SweepRun


@admin.register(DetentionLimit)
class DetentionLimitAdmin(admin.ModelAdmin):
    list_display = ("key", "code_version", "valid_from", "valid_to", "initial_amount", "initial_unit",
                    "renewal_count", "max_amount", "max_unit", "article", "awaiting_confirmation")
    list_filter = ("code_version", "awaiting_confirmation")

    def save_model(self, request, obj, form, change):
        from casework.deadlines.alerts import save_limit

        save_limit(obj, actor=request.user, changed=form.changed_data)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DeadlineAlert)
class DeadlineAlertAdmin(AuditedReadsAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    read_service = staticmethod(reads.open_alert)
    person_field = "custody__inmate_id"
    list_display = ("case", "custody", "kind", "due_on", "opened_at", "closed_at", "close_reason")
    list_filter = ("kind", "close_reason")
    raw_id_fields = ("case", "custody")


@admin.register(BacklogSnapshot)
class BacklogSnapshotAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("day", "facility", "created_at")


@admin.register(SweepRun)
class SweepRunAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("day", "full", "started_at", "finished_at", "refreshed", "done", "total", "opened", "closed")
    list_filter = ("full",)
