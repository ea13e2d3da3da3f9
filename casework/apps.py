from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = _("Procédures judiciaires")

    def ready(self):
        from . import admin_deadlines, tasks  # noqa: F401 (deadline alerts: admin and the release hook)
        tasks.register_hooks()
