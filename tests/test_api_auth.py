import pytest
from knox.crypto import hash_token
from knox.models import AuthToken
from rest_framework.test import APIClient

from accounts.roles import Role
from tests import factories
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"


def test_a_staff_member_obtains_a_token_and_reads_the_api_with_it(clerk, inmate):
    response = APIClient().post(TOKEN, {"username": clerk.username, "password": PASSWORD}, format="json")
    assert response.status_code == 200
    token = response.data["token"]
    # Only a hash of the token is stored (django-rest-knox), never the token itself.
    assert AuthToken.objects.get(user=clerk).digest == hash_token(token)
    assert not AuthToken.objects.filter(digest=token).exists()
    assert response.data["expiry"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    listing = client.get("/api/v1/inmates/")
    assert listing.status_code == 200
    assert [row["id"] for row in listing.data["results"]] == [inmate.pk]


def test_a_token_also_carries_the_facility_scoping(other_clerk, inmate):
    token = APIClient().post(TOKEN, {"username": other_clerk.username, "password": PASSWORD},
                             format="json").data["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get(f"/api/v1/inmates/{inmate.pk}/").status_code == 404
    assert client.get("/api/v1/inmates/").data["count"] == 0


def test_a_wrong_password_gets_no_token_and_a_french_message(clerk):
    response = APIClient().post(TOKEN, {"username": clerk.username, "password": "mauvais"}, format="json")
    assert response.status_code == 400
    assert "token" not in response.data
    assert not AuthToken.objects.filter(user=clerk).exists()
    assert "Impossible de se connecter" in response.data["non_field_errors"][0]


def test_an_unknown_token_is_refused(inmate):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + "0123456789abcdef" * 4)
    response = client.get("/api/v1/inmates/")
    assert response.status_code in (401, 403)
    assert response.data["detail"] == "Token non valide."


def test_an_anonymous_request_is_refused_in_french(inmate):
    response = APIClient().get("/api/v1/inmates/")
    assert response.status_code in (401, 403)
    assert response.data["detail"] == "Informations d'authentification non fournies."


def test_a_deactivated_account_gets_no_token(bamako):
    user = factories.staff(Role.CLERK, bamako, username="ancien.agent")
    user.is_active = False
    user.save()
    response = APIClient().post(TOKEN, {"username": "ancien.agent", "password": PASSWORD}, format="json")
    assert response.status_code == 400
    assert not AuthToken.objects.filter(user=user).exists()
