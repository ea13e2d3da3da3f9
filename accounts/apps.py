from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Personnel et accès")

    def ready(self):
        from . import access, auth_events  # noqa: F401  (auth_events connects login/logout to the audit trail)

        access.connect()
