import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db
PASSWORD = "motdepasse-solide-2026"


@pytest.fixture(autouse=True)
def _otp_required(settings):
    settings.OTP_REQUIRED = True


def _code(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _login(client, username):
    return client.post("/comptes/connexion/", {"username": username, "password": PASSWORD})


def test_a_manager_without_a_device_is_sent_to_set_one_up_before_any_page(client):
    factories.staff(Role.DNAPES, username="dnapes1")
    _login(client, "dnapes1")
    response = client.get("/detenus/")
    assert response.status_code == 302 and "/comptes/verification/" in response["Location"]
    response = client.get(response["Location"])
    assert "/comptes/double-authentification/" in response["Location"]
    page = client.get("/comptes/double-authentification/")
    assert "<svg" in page.content.decode()


def test_setting_up_then_using_the_second_factor_opens_the_pages(client):
    user = factories.staff(Role.DNAPES, username="dnapes2")
    _login(client, "dnapes2")
    client.get("/comptes/double-authentification/")
    device = TOTPDevice.objects.get(user=user)
    response = client.post("/comptes/double-authentification/", {"token": _code(device), "next": "/detenus/"})
    assert response.status_code == 302
    assert client.get("/detenus/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_a_wrong_code_is_refused_with_a_clear_message(client):
    user = factories.staff(Role.DNAPES, username="dnapes4")
    _login(client, "dnapes4")
    client.get("/comptes/double-authentification/")
    device = TOTPDevice.objects.get(user=user)
    wrong = "000000" if _code(device) != "000000" else "111111"
    response = client.post("/comptes/double-authentification/", {"token": wrong})
    assert "Code incorrect" in response.content.decode()
    assert client.get("/detenus/").status_code == 302


def test_the_api_refuses_a_password_only_session_of_an_administrator(client):
    factories.staff(Role.ADMIN, username="admin2")
    _login(client, "admin2")
    response = client.get("/api/v1/facilities/")
    assert response.status_code == 403


def test_the_token_endpoint_needs_the_code_for_national_accounts(client):
    user = factories.staff(Role.DNAPES, username="dnapes3")
    device = TOTPDevice.objects.create(user=user, name="tel", confirmed=True)
    no_code = client.post("/api/v1/auth/token/", {"username": "dnapes3", "password": PASSWORD})
    assert no_code.status_code == 400 and "otp_token" in no_code.json()
    ok = client.post("/api/v1/auth/token/", {"username": "dnapes3", "password": PASSWORD, "otp_token": _code(device)})
    assert ok.status_code == 200 and "token" in ok.json()


def test_prison_staff_are_not_asked_for_a_second_factor(client, bamako):
    factories.staff(Role.CLERK, bamako, username="greffe1")
    _login(client, "greffe1")
    assert client.get("/detenus/").status_code == 200
