from django.urls import path

from . import api

urlpatterns = [
    path("sync/push/", api.PushView.as_view(), name="sync-push"),
    path("sync/changes/", api.ChangesView.as_view(), name="sync-changes"),
    path("sync/health/", api.HealthView.as_view(), name="sync-health"),
]
