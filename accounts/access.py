"""What an account may do — its roles, permissions and prisons — read once, not on every check.

Every page and API call asks the same questions several times (which roles, which permission,
which prisons); answered from the database each time they cost five to eight queries per
request before the page reads anything (issue 17, item 4). The answers are an *access profile*:

- memoised on the user object for the request;
- kept in the shared cache between requests (Redis in production), under a key holding the
  database's name, a **generation** number and the user's id;
- the generation is a random number in one database row (`AccessGeneration`), read with the account itself
  (`AccessProfileBackend.get_user`: no extra query on a page), and drawn afresh in the
  same transaction as every change that can alter any profile: an account saved, its roles,
  prisons or own permissions changed, a role's permissions changed, a migration run. A revoked
  role or prison is refused on the very next request — even when the change was made while
  the cache was unreachable. The cache's expiry (ACCESS_CACHE_SECONDS) is only a backstop for
  a change made outside Django (raw SQL).
- the cache down, the profile is read from the database on every request: pages still serve.

Monitors' authorisations depend on the date (they expire by themselves): they are read per
request, never kept between requests.
"""

import logging
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import connection

logger = logging.getLogger(__name__)
_NO_PROFILE = {"groups": frozenset(), "perms": frozenset(), "role_perms": frozenset(), "facilities": frozenset()}


def generation_subquery():
    """The current generation, as a subquery to annotate a user with (`access_generation`)."""
    from django.db.models import Subquery

    from .models import AccessGeneration

    return Subquery(AccessGeneration.objects.order_by("pk").values("value")[:1])


def _generation(user) -> int | None:
    """The generation read with the account, or read now; None when there is no generation row
    (a database just emptied): then nothing is taken from the cache."""
    if not hasattr(user, "access_generation"):  # not loaded by the backend (API token, shell)
        from .models import AccessGeneration

        user.access_generation = AccessGeneration.objects.order_by("pk").values_list("value", flat=True).first()
    return user.access_generation


def invalidate_all(**_kwargs) -> None:
    """Every profile is read afresh from the next request on (a signal receiver), in the
    transaction of the change itself.

    The new generation is a random number, not the old one plus one: a transaction rolled back
    puts the old number back, and a counter would then hand out again a number under which
    the rolled-back state's profiles may have been kept."""
    from .models import AccessGeneration

    value = secrets.randbits(62)
    if not AccessGeneration.objects.update(value=value):
        AccessGeneration.objects.create(value=value)


def _key(user) -> str | None:
    generation = _generation(user)
    if generation is None:
        return None
    return f"access:{connection.settings_dict['NAME']}:{generation}:{user.pk}"


def _cache_get(key):
    try:
        return cache.get(key)
    except Exception:  # the cache unreachable: read from the database instead
        logger.warning("access profile: cache unreachable", exc_info=True)
        return None


def _cache_set(key, data) -> None:
    try:
        cache.set(key, data, settings.ACCESS_CACHE_SECONDS)
    except Exception:
        logger.warning("access profile: cache unreachable", exc_info=True)


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
        data = _cache_get(key) if key else None
        if data is None:
            data = _compute(user)
            if key:
                _cache_set(key, data)
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
    post_migrate.connect(_after_migrate, dispatch_uid="access-migrate")


def _after_migrate(sender, **_kwargs):
    if sender.name == "accounts":
        invalidate_all()
