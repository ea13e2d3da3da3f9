from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SyncConfig(AppConfig):
    name = "sync"
    verbose_name = _("Échanges avec le serveur national")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import capture

        capture.connect()
