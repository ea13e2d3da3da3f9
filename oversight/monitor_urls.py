"""Monitors' authorisations (granted by DNAPES or an administrator) and the monitor's home, under
/comptes/ beside the staff's own account pages; the model and services are accounts'."""

from django.urls import path

from . import monitor_views

app_name = "monitors"
urlpatterns = [
    path("autorisations/", monitor_views.authorisation_list, name="authorisation_list"),
    path("autorisations/<int:pk>/", monitor_views.authorisation_detail, name="authorisation_detail"),
    path("autorisations/<int:pk>/revoquer/", monitor_views.authorisation_revoke, name="authorisation_revoke"),
    path("observateur/", monitor_views.monitor_home, name="monitor_home"),
]
