from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Personnel et accès")

    def ready(self):
        from . import auth_events  # noqa: F401  (connects Django's login/logout signals to the audit trail)
