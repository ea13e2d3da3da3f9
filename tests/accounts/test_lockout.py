import pytest

from accounts.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db


def test_five_failed_logins_lock_the_account_even_with_the_right_password(client, bamako):
    factories.staff(Role.CLERK, bamako, username="moussa")
    for _ in range(5):
        client.post("/comptes/connexion/", {"username": "moussa", "password": "faux"})
    response = client.post("/comptes/connexion/", {"username": "moussa", "password": "motdepasse-solide-2026"})
    assert response.status_code == 429
    assert "bloqué" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_api_token_endpoint_is_locked_too(client, bamako):
    factories.staff(Role.CLERK, bamako, username="fanta")
    for _ in range(5):
        client.post("/api/v1/auth/token/", {"username": "fanta", "password": "faux"})
    response = client.post("/api/v1/auth/token/", {"username": "fanta", "password": "motdepasse-solide-2026"})
    # Locked: the right password no longer yields a token.
    assert response.status_code in (400, 403, 429)
    assert "token" not in response.json()


def test_a_successful_login_before_the_limit_resets_the_count(client, bamako):
    factories.staff(Role.CLERK, bamako, username="ibrahim")
    for _ in range(4):
        client.post("/comptes/connexion/", {"username": "ibrahim", "password": "faux"})
    response = client.post("/comptes/connexion/", {"username": "ibrahim", "password": "motdepasse-solide-2026"})
    assert response.status_code == 302
