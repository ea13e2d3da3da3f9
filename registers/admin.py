"""Import jobs and imported records in the admin: read-only, reads audited like the pages."""

from django.contrib import admin

from accounts.admin_mixins import AuditedReadsAdminMixin, ReadOnlyAdminMixin

from .models import ImportedRecord, ImportJob
from .reads import open_import_job, open_imported_record


@admin.register(ImportJob)
class ImportJobAdmin(AuditedReadsAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    read_service = staticmethod(open_import_job)
    list_display = ["uploaded_at", "facility", "file_name", "status", "total_rows", "imported_rows"]
    list_filter = ["status", "facility"]
    exclude = ["row_results"]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)


@admin.register(ImportedRecord)
class ImportedRecordAdmin(AuditedReadsAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    read_service = staticmethod(open_imported_record)
    person_field = "inmate_id"
    list_display = ["register_volume", "register_page", "register_line", "facility", "inmate", "status"]
    list_filter = ["status", "facility"]
    raw_id_fields = ["inmate", "custody", "case"]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)
