"""The request being served, as the audit trail needs it ("from where")."""

from contextvars import ContextVar

from django.conf import settings

_current_ip: ContextVar[str | None] = ContextVar("current_ip", default=None)


def current_ip() -> str | None:
    """The client address of the request being served, for audit entries ("from where")."""
    return _current_ip.get()


def client_ip(request) -> str | None:
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR") or None
