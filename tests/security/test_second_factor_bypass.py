"""Attack script (issue 10, critical): with a stolen password only, try every door to get
past the second factor of an account that already has a confirmed authenticator."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.roles import Role
from tests import factories
from tests.factories import PASSWORD, totp_code

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("otp_required")]




@pytest.fixture
def victim(db):
    user = factories.staff(Role.DNAPES, username="victime.dnapes")
    TOTPDevice.objects.create(user=user, name="téléphone de l'agent", confirmed=True)
    return user


def test_password_only_cannot_pair_a_new_device_then_use_it_on_the_pages(client, victim):
    client.post("/comptes/connexion/", {"username": "victime.dnapes", "password": PASSWORD})
    # The pairing page shows no key and pairs nothing, GET or POST, whatever `next` says.
    for path in ("/comptes/double-authentification/", "/comptes/double-authentification/?next=/detenus/"):
        response = client.get(path)
        assert response.status_code == 302 and "/comptes/verification/" in response["Location"]
    # Forge a device of our own (as if a key had leaked) and try to confirm it by POST.
    forged = TOTPDevice.objects.create(user=victim, name="attaquant", confirmed=False)
    response = client.post("/comptes/double-authentification/", {"token": totp_code(forged), "next": "/detenus/"})
    assert response.status_code == 302 and "/comptes/verification/" in response["Location"]
    forged.refresh_from_db()
    assert not forged.confirmed
    # Still not verified: every page and the API refuse.
    assert client.get("/detenus/").status_code == 302
    assert client.get("/api/v1/inmates/").status_code == 403
    # The devices page and the reset page are out of reach too.
    assert client.get("/comptes/appareils/").status_code == 302
    assert client.post(f"/comptes/utilisateurs/{victim.pk}/double-authentification/reinitialiser/",
                       {"reason": "x"}).status_code in (302, 403)


def test_the_token_endpoint_refuses_codes_of_an_unconfirmed_device(client, victim):
    forged = TOTPDevice.objects.create(user=victim, name="attaquant", confirmed=False)
    response = client.post("/api/v1/auth/token/", {"username": "victime.dnapes", "password": PASSWORD,
                                                   "otp_token": totp_code(forged)})
    assert response.status_code == 400 and "otp_token" in response.json()


def test_a_superuser_flag_does_not_open_the_reset_page(client, victim):
    attacker = factories.staff(Role.DNAPES, username="super.dnapes", is_superuser=True, is_staff=True)
    device = TOTPDevice.objects.create(user=attacker, name="x", confirmed=True)
    client.post("/comptes/connexion/", {"username": "super.dnapes", "password": PASSWORD})
    client.post("/comptes/verification/", {"token": totp_code(device)})
    response = client.post(f"/comptes/utilisateurs/{victim.pk}/double-authentification/reinitialiser/",
                           {"reason": "je le veux"})
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=victim).exists()
