"""Imports every app's API module so that each registers its viewsets on the router."""

from django.urls import path

import casework.api  # noqa: F401
import inmates.api  # noqa: F401
import prisons.api  # noqa: F401
from accounts.api import ObtainTokenView

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
]
