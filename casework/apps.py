from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = _("Procédures judiciaires")

    def ready(self):
        from casework import tasks
        from casework.deadlines import admin  # noqa: F401 (the deadline side's admin pages)

        tasks.register_hooks()
