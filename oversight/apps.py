from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    """Reports that read across every app (occupancy, roll, separation, activities, profiles)."""

    name = "oversight"
    verbose_name = _("Rapports de supervision")
