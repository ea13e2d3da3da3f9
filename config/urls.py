from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from core import health
from oversight import home

from .api import router

urlpatterns = [
    path("", home.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("comptes/", include("accounts.urls")),
    path("comptes/", include("oversight.monitor_urls")),
    path("etablissements/", include("prisons.urls")),
    path("detenus/", include("inmates.urls")),
    path("detenus/", include("oversight.subject_access_urls")),
    path("affaires/", include("casework.urls")),
    path("vie-carcerale/", include("detention.urls")),
    path("vie-carcerale/", include("oversight.own_file_urls")),
    path("suivi/", include("followup.urls")),
    path("ecrou/", include("intake.urls")),
    path("registres/", include("registers.urls")),
    path("echeances/", include("casework.deadlines.urls")),
    path("tribunal/", include("casework.court_portal.urls")),
    path("rapports/", include("oversight.urls")),
    path("echanges/", include("sync.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("config.api_urls")),
    path("api/v1/", include("sync.api_urls")),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
]

handler404 = "core.error_pages.not_found"
handler403 = "core.error_pages.permission_denied"
handler500 = "core.error_pages.server_error"
