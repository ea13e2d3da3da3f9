"""An account's roles, permissions and prisons are read once and kept in the cache between
requests (accounts.access) — and every change to them takes effect on the very next request,
through both doors. These tests try to keep an access that was taken away."""

import pytest
from django.contrib.auth.models import Group, Permission, update_last_login
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from accounts import access
from accounts.models import AccessGeneration, User
from accounts.roles import Role
from accounts.services import issue_api_token
from tests import factories

pytestmark = pytest.mark.django_db

ACCESS_TABLES = ("accounts_accessgeneration", "auth_group", "auth_permission", "accounts_user_facilities",
                 "django_content_type")


def _api(user):
    _instance, token = issue_api_token(user, actor=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def _file(inmate):
    return reverse("inmates:inmate_detail", args=[inmate.pk])


def test_a_signed_in_page_reads_the_access_tables_once_with_the_account(client, clerk, inmate):
    client.force_login(clerk)
    client.get(_file(inmate))
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(_file(inmate)).status_code == 200
    touched = [q["sql"] for q in ctx.captured_queries if any(f'"{t}"' in q["sql"] for t in ACCESS_TABLES)]
    assert len(touched) == 1 and touched[0].startswith('SELECT "accounts_user"."id"')  # the generation, as a subquery


def test_a_role_taken_away_is_refused_on_the_next_request_on_both_doors(client, clerk, inmate):
    client.force_login(clerk)
    api = _api(clerk)
    url = reverse("inmate-detail", args=[inmate.pk])
    assert client.get(_file(inmate)).status_code == 200
    assert api.get(url).status_code == 200
    User.objects.get(pk=clerk.pk).groups.clear()
    assert client.get(_file(inmate)).status_code in (403, 404)
    assert api.get(url).status_code in (403, 404)


def test_a_prison_taken_away_hides_its_files_on_the_next_request(client, clerk, inmate, bamako):
    client.force_login(clerk)
    api = _api(clerk)
    url = reverse("inmate-detail", args=[inmate.pk])
    assert client.get(_file(inmate)).status_code == 200
    assert api.get(url).status_code == 200
    bamako.staff.remove(clerk)  # from the prison's side of the relation
    assert client.get(_file(inmate)).status_code == 404
    assert api.get(url).status_code == 404


def test_a_permission_taken_from_a_role_is_refused_to_every_member_at_once(client, clerk, inmate):
    client.force_login(clerk)
    assert client.get(_file(inmate)).status_code == 200
    view = Permission.objects.get(codename="view_inmate", content_type__app_label="inmates")
    group = Group.objects.get(name=Role.CLERK.value)
    group.permissions.remove(view)
    try:
        assert client.get(_file(inmate)).status_code == 403
    finally:
        group.permissions.add(view)
    assert client.get(_file(inmate)).status_code == 200


def test_a_deactivated_account_is_signed_out_at_once(client, clerk, inmate):
    client.force_login(clerk)
    assert client.get(_file(inmate)).status_code == 200
    User.objects.filter(pk=clerk.pk).update(is_active=False)  # even without a signal
    response = client.get(_file(inmate))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


class _DeadCache:
    def get(self, *args, **kwargs):
        raise ConnectionError("Redis down")

    set = get


def test_with_the_cache_down_pages_serve_and_a_change_still_takes_effect(client, clerk, inmate, monkeypatch):
    client.force_login(clerk)
    assert client.get(_file(inmate)).status_code == 200  # the profile is now in the cache
    with monkeypatch.context() as m:
        m.setattr(access, "cache", _DeadCache())
        assert client.get(_file(inmate)).status_code == 200  # read from the database instead
        # The prison is taken away while the cache is unreachable ...
        User.objects.get(pk=clerk.pk).facilities.clear()
        assert client.get(_file(inmate)).status_code == 404
    # ... and the profile kept before is never used again once the cache is back.
    assert client.get(_file(inmate)).status_code == 404


def test_profiles_of_two_databases_never_mix(clerk, settings):
    """Sites and parallel test workers share one Redis: the key holds the database's name."""
    key = access._key(clerk)
    assert connection.settings_dict["NAME"] in key and key.endswith(f":{clerk.pk}")


def test_signing_in_does_not_start_a_new_generation(client, clerk):
    before = AccessGeneration.objects.get().value
    client.force_login(clerk)
    update_last_login(None, User.objects.get(pk=clerk.pk))
    assert AccessGeneration.objects.get().value == before


def test_a_national_account_made_a_prison_clerk_stops_reading_nationally(client, manager, bamako, koulikoro):
    klk_clerk = factories.staff(Role.CLERK, koulikoro)
    person = factories.detainee(koulikoro, actor=klk_clerk)
    client.force_login(manager)
    assert client.get(_file(person)).status_code == 200
    account = User.objects.get(pk=manager.pk)
    account.groups.set([Group.objects.get(name=Role.CLERK.value)])
    account.facilities.set([bamako])
    assert client.get(_file(person)).status_code == 404
