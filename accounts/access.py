"""What an account may do — its roles, permissions and prisons — read once, not on every check.

Every page and API call asks the same questions several times (which roles, which permission,
which prisons); answered from the database each time they cost five to eight queries per
request before the page reads anything (issue 17, item 4). The answers are an *access profile*:

- memoised on the user object for the request;
- kept in the shared cache between requests (Redis in production), under a key holding the
  database's name, the user's id and a **generation** number;
- the generation goes up on every change that can alter any profile (an account saved, its
  roles, prisons or own permissions changed, a role's permissions changed, a migration run):
  the next request of every account reads afresh. A revoked role or prison takes effect on the
  next request, not after a delay; the cache's expiry (ACCESS_CACHE_SECONDS) is only a backstop
  for a change made outside Django (raw SQL).

Monitors' authorisations depend on the date (they expire by themselves): they are read per
request, never kept between requests.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection

GENERATION_KEY = "access:generation"
_NO_PROFILE = {
    "groups": frozenset(),
    "perms": frozenset(),
    "role_perms": frozenset(),
    "facilities": frozenset(),
}


def _generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        # A fresh number, never an old one: an evicted counter must not bring back stale profiles.
        cache.add(GENERATION_KEY, time.time_ns(), None)
        value = cache.get(GENERATION_KEY) or 0
    return value


def invalidate_all(**_kwargs) -> None:
    """Every profile is read afresh from the next request on (a signal receiver)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # no counter yet (or evicted): start a fresh one
        cache.set(GENERATION_KEY, time.time_ns(), None)


def _key(user) -> str:
    return f"access:{connection.settings_dict['NAME']}:{_generation()}:{user.pk}"


def _compute(user) -> dict:
    from django.contrib.auth.models import Permission

    groups = frozenset(user.groups.values_list("name", flat=True))
    role_rows = Permission.objects.filter(group__user=user).values_list("content_type__app_label", "codename")
    role_perms = frozenset(f"{app}.{codename}" for app, codename in role_rows)
    if user.is_superuser:
        rows = Permission.objects.values_list("content_type__app_label", "codename")
        perms = frozenset(f"{app}.{codename}" for app, codename in rows)
    else:
        own = Permission.objects.filter(user=user).values_list("content_type__app_label", "codename")
        perms = role_perms | frozenset(f"{app}.{codename}" for app, codename in own)
    facilities = frozenset(user.facilities.values_list("id", flat=True))
    return {"groups": groups, "perms": perms, "role_perms": role_perms, "facilities": facilities}


def profile(user) -> dict:
    """The account's group names, all its permissions (Django's rules), the permissions its
    roles grant, and the ids of the prisons it serves."""
    cached = getattr(user, "_access_profile", None)
    if cached is not None:
        return cached
    if not getattr(user, "pk", None):
        data = _NO_PROFILE
    else:
        key = _key(user)
        data = cache.get(key)
        if data is None:
            data = _compute(user)
            cache.set(key, data, settings.ACCESS_CACHE_SECONDS)
    user._access_profile = data
    return data


def forget(user) -> None:
    """Drop what this request remembered of `user` (after changing its roles or prisons)."""
    for name in (
        "_access_profile",
        "_visible_facility_ids",
        "_perm_cache",
        "_user_perm_cache",
        "_group_perm_cache",
    ):
        user.__dict__.pop(name, None)


def _on_members_changed(sender, instance, action, **_kwargs):
    if action.startswith("post_"):
        invalidate_all()
        forget(instance)


def _on_account_saved(sender, instance, update_fields=None, **_kwargs):
    # Signing in saves last_login only: that changes nobody's access.
    if update_fields is not None and set(update_fields) <= {"last_login", "password"}:
        return
    invalidate_all()
    forget(instance)


def connect() -> None:
    """Called by AccountsConfig.ready: every way Django changes access starts a new generation."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

    user_model = get_user_model()
    for through in (
        user_model.groups.through,
        user_model.facilities.through,
        user_model.user_permissions.through,
        Group.permissions.through,
    ):
        m2m_changed.connect(_on_members_changed, sender=through, dispatch_uid=f"access-{through._meta.label}")
    for model in (user_model, Group):
        post_save.connect(_on_account_saved, sender=model, dispatch_uid=f"access-save-{model._meta.label}")
        post_delete.connect(invalidate_all, sender=model, dispatch_uid=f"access-delete-{model._meta.label}")
    post_migrate.connect(invalidate_all, dispatch_uid="access-migrate")
