"""The request being served, as the audit trail and the lockout need it ("from where")."""

import ipaddress
from contextvars import ContextVar

from django.conf import settings

_current_ip: ContextVar[str | None] = ContextVar("current_ip", default=None)


def current_ip() -> str | None:
    """The client address of the request being served, for audit entries ("from where")."""
    return _current_ip.get()


def _address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The address the outermost trusted proxy saw (TRUSTED_PROXY_COUNT proxies in front).

    Each proxy appends the address it received the request from to X-Forwarded-For, so with N
    trusted proxies the N-th entry from the right is the client as our first proxy saw it;
    anything to its left was written by the client and is never trusted. Without proxies (0),
    or when the header holds fewer entries than proxies (the request came round them), the
    connection's own address (REMOTE_ADDR)."""
    remote = _address(request.META.get("REMOTE_ADDR") or "")
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies <= 0:
        return remote
    entries = [e for e in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if e.strip()]
    if len(entries) < proxies:
        return remote
    return _address(entries[-proxies]) or remote
