from django.contrib import admin

from accounts.admin_mixins import ReadOnlyAdminMixin

from .models import OccupancySnapshot

admin.site.register(OccupancySnapshot, type("OccupancySnapshotAdmin", (ReadOnlyAdminMixin, admin.ModelAdmin), {}))
