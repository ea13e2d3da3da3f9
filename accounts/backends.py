from axes.backends import AxesStandaloneBackend
from django.contrib.auth.backends import ModelBackend

from . import access


class LockoutBackend(AxesStandaloneBackend):
    """django-axes lockout for every login that comes with a request (pages, API token).

    Authentication without a request (shell, the test client's login()) has no client
    address to lock and goes straight to the model backend.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class AccessProfileBackend(ModelBackend):
    """Django's model backend, its permissions read from the account's access profile
    (`accounts.access`): one cached answer per account instead of two queries per request."""

    def get_user(self, user_id):
        """The signed-in account, with the access generation read in the same query."""
        from django.contrib.auth import get_user_model

        user_model = get_user_model()
        try:
            user = user_model._default_manager.annotate(access_generation=access.generation_subquery()).get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        return set(access.profile(user_obj)["perms"])

    def get_group_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        return set(access.profile(user_obj)["role_perms"])
