"""Logins, logouts and failed logins go to the audit trail (issue: security)."""

import time

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .models import AuditAction
from .services import record_audit


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    record_audit(AuditAction.LOGIN, actor=user, target=user)
    session = getattr(request, "session", None)
    if session is not None:  # the sign-in saves the session: its sliding expiry starts here
        from .middleware import SlidingSessionMiddleware

        session[SlidingSessionMiddleware.KEY] = int(time.time())


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record_audit(AuditAction.LOGOUT, actor=user, target=user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    record_audit(AuditAction.LOGIN_FAILED, actor_name=str(credentials.get("username", ""))[:150])
