"""Pages, API responses, exports and files with personal data carry `Cache-Control: no-store`
(item 15): every response to a signed-in user, and every API response; static files stay
cacheable."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_every_page_and_export_for_a_signed_in_user_is_no_store(client, clerk, inmate, bamako):
    from accounts.roles import Role
    from tests import factories

    director = factories.staff(Role.DIRECTOR, bamako)
    client.force_login(director)
    for url in ("/", "/detenus/", f"/detenus/{inmate.pk}/", "/comptes/journal/", "/comptes/journal/export.csv",
                "/comptes/mot-de-passe/", "/detenus/999999/", "/api/v1/inmates/", "/api/docs/"):
        response = client.get(url)
        assert "no-store" in response["Cache-Control"], (url, response.status_code)


def test_token_requests_and_token_authenticated_answers_are_no_store(clerk, inmate):
    response = APIClient().post("/api/v1/auth/token/", {"username": clerk.username, "password": PASSWORD},
                                format="json")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    for url in ("/api/v1/inmates/", f"/api/v1/inmates/{inmate.pk}/"):
        assert "no-store" in api.get(url)["Cache-Control"]
    assert "no-store" in APIClient().get("/api/v1/inmates/")["Cache-Control"]  # refused, still no-store


def test_static_files_stay_cacheable(settings, clerk):
    settings.WHITENOISE_USE_FINDERS = True
    signed_in = Client()
    signed_in.force_login(clerk)
    static = signed_in.get("/static/css/app.css")
    assert static.status_code == 200 and "no-store" not in static.get("Cache-Control", "")
