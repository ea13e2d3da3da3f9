"""Attack script (issue 10, high, items 3 and 4): API tokens that never die and secrets shown in
the admin. Driven through the real token endpoint, the API, the pages and the admin site."""

import datetime

import pytest
import time_machine
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.crypto import hash_token
from knox.models import AuthToken
from rest_framework.test import APIClient

from accounts.models import AuditAction, AuditEntry
from accounts.roles import Role
from tests import factories
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
TOKEN, LOGOUT, LOGOUT_ALL = "/api/v1/auth/token/", "/api/v1/auth/logout/", "/api/v1/auth/logout-all/"


def _token(username, password=PASSWORD, **extra):
    response = APIClient().post(TOKEN, {"username": username, "password": password, **extra}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def _api(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def _works(token) -> bool:
    status = _api(token).get("/api/v1/inmates/").status_code
    assert status in (200, 401, 403)
    return status == 200


@pytest.fixture
def admin_user(db):
    return factories.staff(Role.ADMIN, username="admin.systeme", is_staff=True)


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def _admin_form_data(response):
    """The admin change form's current values, as the browser would post them back."""
    form = response.context["adminform"].form
    data = {}
    for name, _field in form.fields.items():
        value = form[name].value()
        if isinstance(value, datetime.datetime):
            local = timezone.localtime(value)
            data[f"{name}_0"], data[f"{name}_1"] = local.strftime("%Y-%m-%d"), local.strftime("%H:%M:%S")
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, (list, tuple)):
            data[name] = [str(v) for v in value]
        elif value is not None:
            data[name] = value
    return data


# --- Tokens die ----------------------------------------------------------------------------

def test_a_token_is_stored_only_as_a_hash_and_expires_after_the_working_day(clerk, settings):
    body = _token(clerk.username)
    stored = AuthToken.objects.get(user=clerk)
    assert stored.digest == hash_token(body["token"]) and body["token"] not in (stored.digest, stored.token_key)
    hours = (stored.expiry - timezone.now()).total_seconds() / 3600
    assert settings.API_TOKEN_TTL_HOURS == 8 and 7.9 < hours <= 8
    assert _works(body["token"])
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=8, minutes=1)):
        assert not _works(body["token"])
    assert not AuthToken.objects.filter(user=clerk).exists()  # expired tokens are removed


def test_the_token_lifetime_is_a_setting(clerk, settings):
    settings.REST_KNOX = {**settings.REST_KNOX, "TOKEN_TTL": datetime.timedelta(hours=1)}
    body = _token(clerk.username)
    assert (AuthToken.objects.get(user=clerk).expiry - timezone.now()) < datetime.timedelta(hours=1, minutes=1)
    assert body["expiry"]


def test_each_sign_in_gets_its_own_token_and_api_logout_revokes_only_that_one(clerk):
    phone, laptop = _token(clerk.username)["token"], _token(clerk.username)["token"]
    assert phone != laptop and AuthToken.objects.filter(user=clerk).count() == 2
    assert _api(phone).post(LOGOUT).status_code == 204
    assert not _works(phone) and _works(laptop)
    assert _api(phone).post(LOGOUT).status_code in (401, 403)  # a replay of the revoked token


def test_logout_all_revokes_every_device(clerk):
    tokens = [_token(clerk.username)["token"] for _ in range(3)]
    assert _api(tokens[0]).post(LOGOUT_ALL).status_code == 204
    assert not any(_works(t) for t in tokens)
    assert AuditEntry.objects.filter(action=AuditAction.LOGOUT, actor=clerk,
                                     reason__contains="tous les appareils").exists()


def test_logout_needs_the_token_itself_not_a_session(client, clerk):
    token = _token(clerk.username)["token"]
    client.force_login(clerk)
    assert client.post(LOGOUT).status_code in (401, 403)
    assert _works(token)


def test_signing_out_of_the_pages_revokes_the_api_tokens(client, clerk):
    token = _token(clerk.username)["token"]
    client.post("/comptes/connexion/", {"username": clerk.username, "password": PASSWORD})
    assert client.post("/comptes/deconnexion/").status_code == 302
    assert not _works(token)


def test_a_password_change_revokes_every_token_and_every_other_session(client, clerk):
    token = _token(clerk.username)["token"]
    other = type(client)()
    other.post("/comptes/connexion/", {"username": clerk.username, "password": PASSWORD})
    assert other.get("/detenus/").status_code == 200
    client.post("/comptes/connexion/", {"username": clerk.username, "password": PASSWORD})
    response = client.post("/comptes/mot-de-passe/", {
        "old_password": PASSWORD, "new_password1": "Nouveau-Secret-2027", "new_password2": "Nouveau-Secret-2027"})
    assert response.status_code == 302
    assert not _works(token)
    assert other.get("/detenus/").status_code == 302  # the other session is signed out
    assert client.get("/detenus/").status_code == 200  # this one stays
    assert _token(clerk.username, "Nouveau-Secret-2027")["token"]


def test_deactivating_the_account_in_the_admin_revokes_its_tokens_and_sessions(admin_client, client, bamako):
    agent = factories.staff(Role.CLERK, bamako, username="agent.parti")
    token = _token("agent.parti")["token"]
    session = type(client)()
    session.post("/comptes/connexion/", {"username": "agent.parti", "password": PASSWORD})
    url = f"/admin/accounts/user/{agent.pk}/change/"
    data = _admin_form_data(admin_client.get(url))
    data.pop("is_active", None)
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    agent.refresh_from_db()
    assert not agent.is_active
    assert not AuthToken.objects.filter(user=agent).exists() and not _works(token)
    assert session.get("/detenus/").status_code == 302
    assert AuditEntry.objects.filter(target_id=str(agent.pk), action=AuditAction.LOGOUT,
                                     reason="compte désactivé").exists()


def test_an_administrator_setting_a_password_revokes_the_tokens(admin_client, bamako):
    agent = factories.staff(Role.CLERK, bamako, username="agent.oubli")
    token = _token("agent.oubli")["token"]
    response = admin_client.post(f"/admin/accounts/user/{agent.pk}/password/", {
        "password1": "Mot-De-Passe-Neuf-2027", "password2": "Mot-De-Passe-Neuf-2027", "set_usable_password": "true"})
    assert response.status_code == 302
    assert not _works(token)


def test_an_old_drf_token_and_garbage_headers_are_refused_cleanly(clerk):
    for header in ("Token 0123456789abcdef0123456789abcdef01234567", "Token " + "é" * 20, "Token", "Token a b"):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=header)
        assert client.get("/api/v1/inmates/").status_code in (401, 403), header


# --- Audited like page sign-ins -----------------------------------------------------------

def test_issuing_a_token_and_every_refused_code_are_audited(settings):
    settings.OTP_REQUIRED = True
    manager = factories.staff(Role.DNAPES, username="dnapes.jeton")
    device = TOTPDevice.objects.create(user=manager, name="téléphone", confirmed=True)
    for code in ("", "000000", "12"):
        response = APIClient().post(TOKEN, {"username": "dnapes.jeton", "password": PASSWORD, "otp_token": code},
                                    format="json")
        assert response.status_code == 400 and "otp_token" in response.json()
    refused = AuditEntry.objects.filter(action=AuditAction.LOGIN_FAILED, actor=manager)
    assert refused.count() == 3 and all("double authentification" in e.reason for e in refused)
    device.refresh_from_db()
    device.throttle_reset()  # django-otp slows down guessing after a wrong code
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    _token("dnapes.jeton", otp_token=code)
    issued = AuditEntry.objects.get(action=AuditAction.LOGIN, actor=manager)
    assert issued.reason == "jeton d'API émis" and "token_expiry" in issued.changes
    APIClient().post(TOKEN, {"username": "dnapes.jeton", "password": "faux"}, format="json")
    assert AuditEntry.objects.filter(action=AuditAction.LOGIN_FAILED, actor_name="dnapes.jeton",
                                     actor__isnull=True).exists()


# --- Secrets in the admin -------------------------------------------------------------------

def test_no_token_and_no_totp_key_is_ever_shown_in_the_admin(admin_client, admin_user, bamako):
    agent = factories.staff(Role.CLERK, bamako, username="agent.jeton")
    token = _token("agent.jeton")["token"]
    device = TOTPDevice.objects.create(user=agent, name="téléphone", confirmed=True)
    stored = AuthToken.objects.get(user=agent)
    pages = ["/admin/", "/admin/knox/authtoken/", "/admin/knox/authtoken/?q=agent",
             f"/admin/accounts/user/{agent.pk}/change/",
             "/admin/accounts/user/", "/admin/accounts/auditentry/"]
    pages += [f"/admin/accounts/auditentry/{e.pk}/change/" for e in AuditEntry.objects.filter(actor=agent)]
    for page in pages:
        response = admin_client.get(page)
        assert response.status_code == 200, page
        html = response.content.decode()
        for secret in (token, stored.digest, stored.token_key, device.key):
            assert secret not in html, (page, secret[:6])
    # The token list shows who holds one and until when, and nothing opens a token's own page.
    listing = admin_client.get("/admin/knox/authtoken/").content.decode()
    assert "agent.jeton" in listing or str(agent) in listing
    assert admin_client.get(f"/admin/knox/authtoken/{stored.pk}/change/").status_code in (302, 403, 404)
    # No token is created for someone else, and the TOTP device admin does not exist.
    assert admin_client.get("/admin/knox/authtoken/add/").status_code == 403
    assert admin_client.get("/admin/otp_totp/totpdevice/").status_code == 404
    assert admin_client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/").status_code == 404


def test_an_administrator_revokes_a_token_from_the_admin_and_it_is_audited(admin_client, admin_user, bamako):
    agent = factories.staff(Role.CLERK, bamako, username="agent.revoque")
    token = _token("agent.revoque")["token"]
    response = admin_client.post("/admin/accounts/user/", {"action": "revoke_api_tokens",
                                                           "_selected_action": [agent.pk]})
    assert response.status_code == 302
    assert not _works(token)
    assert AuditEntry.objects.filter(actor=admin_user, action=AuditAction.LOGOUT, target_id=str(agent.pk)).exists()


def test_a_superuser_without_the_administrator_role_cannot_revoke_tokens(client, bamako):
    boss = factories.staff(Role.DNAPES, username="super.sans.role", is_superuser=True, is_staff=True)
    agent = factories.staff(Role.CLERK, bamako, username="agent.garde")
    token = _token("agent.garde")["token"]
    client.force_login(boss)
    client.post("/admin/accounts/user/", {"action": "revoke_api_tokens", "_selected_action": [agent.pk]})
    assert _works(token)
