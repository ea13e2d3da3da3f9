from django.contrib import admin

from accounts.admin_mixins import AuditedReadsAdminMixin, ReadOnlyAdminMixin

from .models import FollowupSnapshot, OccupancySnapshot

admin.site.register(OccupancySnapshot, type("OccupancySnapshotAdmin", (ReadOnlyAdminMixin, admin.ModelAdmin), {}))
# Counts per prison and category only (no person): the follow-up trend's nightly figures.
admin.site.register(FollowupSnapshot, type("FollowupSnapshotAdmin", (ReadOnlyAdminMixin, admin.ModelAdmin), {}))

# Requests to see one's own file (Rule 9): consultation only, read through the audited service.
from . import own_file  # noqa: E402
from .models import OwnFileRequest  # noqa: E402

admin.site.register(OwnFileRequest, type("OwnFileRequestAdmin", (
    AuditedReadsAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin), {
    "read_service": staticmethod(own_file.open_own_file_request), "person_field": "custody__inmate_id",
    "list_display": ("pk", "custody", "requested_at", "channel", "answered_at")}))
