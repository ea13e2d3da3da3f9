"""Imports every app's API module so that each registers its viewsets on the router."""

from django.urls import path

import casework.api  # noqa: F401
import casework.court_portal.api  # noqa: F401  (registers court/cases/, court/submissions/, court/notices/)
import casework.deadlines.api  # noqa: F401  (registers alerts/)
import casework.releases.api  # noqa: F401  (registers release-orders/)
import detention.api  # noqa: F401  (classifications/, visits/, complaints/, activities/…)
import followup.api  # noqa: F401  (followup/assessments/, plans/, committee-sessions/…)
import inmates.api  # noqa: F401
import inmates.death_api  # noqa: F401  (registers deaths/)
import intake.api  # noqa: F401  (registers arrivals/ and intakes/)
import intake.presentations.api  # noqa: F401  (registers presentations/)
import oversight.api  # explicit paths reports/<occupancy|roll|separation|activities|profiles>/
import oversight.export_api  # noqa: F401  (registers export-jobs/)
import oversight.monitor_api  # noqa: F401  (registers monitor-authorisations/)
import oversight.own_file_api  # noqa: F401  (registers own-file-requests/)
import prisons.api  # noqa: F401
import registers.api  # noqa: F401  (registers imports/ and imports/records/)
from accounts.api import LogoutAllView, LogoutView, ObtainTokenView

urlpatterns = [
    path("reports/backlog/", casework.deadlines.api.BacklogReportView.as_view(), name="backlog-report"),
    path("reports/late-releases/", casework.releases.api.LateReleaseView.as_view(), name="late-releases"),
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("auth/logout/", LogoutView.as_view(), name="api-logout"),
    path("auth/logout-all/", LogoutAllView.as_view(), name="api-logout-all"),
    *oversight.api.urlpatterns,
    # Before the router's inmates/<pk>/ (config/urls.py includes this module first).
    path("inmates/matches/", intake.api.InmateMatchesView.as_view(), name="inmate-matches"),
]
