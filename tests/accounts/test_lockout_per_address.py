"""One address may not spray many usernames: a per-address limit on both doors (item 7)."""

import pytest
from django.test import Client

from accounts.roles import Role
from tests import factories
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
SPRAYER, BYSTANDER = "198.51.100.7", "203.0.113.20"


def _page(ip):
    return Client(REMOTE_ADDR=ip)


def _token_request(client, username, password):
    return client.post("/api/v1/auth/token/", {"username": username, "password": password},
                       content_type="application/json")


def test_thirty_usernames_with_one_wrong_password_each_lock_the_address_on_the_login_page(bamako):
    factories.staff(Role.CLERK, bamako, username="victime.page")
    sprayer = _page(SPRAYER)
    statuses = [sprayer.post("/comptes/connexion/", {"username": f"agent{i}.spray", "password": "Bamako2026"}).status_code
                for i in range(30)]
    assert statuses[0] == 200 and statuses[-1] == 429
    # Locked: even the right password of a real account is refused from that address…
    response = sprayer.post("/comptes/connexion/", {"username": "victime.page", "password": PASSWORD})
    assert response.status_code == 429 and "_auth_user_id" not in sprayer.session
    assert "depuis ce poste" in response.content.decode()
    # …and through the other door too.
    assert _token_request(sprayer, "victime.page", PASSWORD).status_code == 429
    # Another address is not affected.
    other = _page(BYSTANDER)
    assert other.post("/comptes/connexion/", {"username": "victime.page", "password": PASSWORD}).status_code == 302


def test_thirty_usernames_at_the_token_endpoint_lock_the_address_on_both_doors(bamako):
    factories.staff(Role.CLERK, bamako, username="victime.api")
    sprayer = _page(SPRAYER)
    statuses = [_token_request(sprayer, f"agent{i}.api", "Bamako2026").status_code for i in range(30)]
    assert statuses[0] == 400 and statuses[-1] == 429
    locked = _token_request(sprayer, "victime.api", PASSWORD)
    assert locked.status_code == 429 and "token" not in locked.json() and "bloqué" in locked.json()["detail"]
    assert sprayer.post("/comptes/connexion/", {"username": "victime.api", "password": PASSWORD}).status_code == 429
    assert _token_request(_page(BYSTANDER), "victime.api", PASSWORD).status_code == 200


def test_a_valid_sign_in_from_the_address_does_not_reset_the_spray_count(bamako):
    """Otherwise one account of the attacker's own would reset the address between sprays."""
    factories.staff(Role.CLERK, bamako, username="complice")
    sprayer = _page(SPRAYER)
    for round_ in range(2):
        for i in range(12):
            sprayer.post("/comptes/connexion/", {"username": f"r{round_}.agent{i}", "password": "x"})
        if round_ == 0:
            assert _token_request(sprayer, "complice", PASSWORD).status_code == 200
    assert sprayer.post("/comptes/connexion/", {"username": "complice", "password": PASSWORD}).status_code == 429


def test_a_few_typing_errors_from_a_shared_office_do_not_lock_it(bamako):
    for i in range(6):
        factories.staff(Role.CLERK, bamako, username=f"collegue{i}")
    office = _page(SPRAYER)
    for i in range(6):
        office.post("/comptes/connexion/", {"username": f"collegue{i}", "password": "faute-de-frappe"})
        office.post("/comptes/connexion/", {"username": f"collegue{i}", "password": "faute-de-frappe"})
    assert office.post("/comptes/connexion/", {"username": "collegue0", "password": PASSWORD}).status_code == 302
