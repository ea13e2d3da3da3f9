import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.roles import Role
from tests import factories
from tests.factories import PASSWORD, totp_code

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("otp_required")]




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
    response = client.post("/comptes/double-authentification/", {"token": totp_code(device), "next": "/detenus/"})
    assert response.status_code == 302
    assert client.get("/detenus/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_a_wrong_code_is_refused_with_a_clear_message(client):
    user = factories.staff(Role.DNAPES, username="dnapes4")
    _login(client, "dnapes4")
    client.get("/comptes/double-authentification/")
    device = TOTPDevice.objects.get(user=user)
    wrong = "000000" if totp_code(device) != "000000" else "111111"
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
    ok = client.post("/api/v1/auth/token/", {"username": "dnapes3", "password": PASSWORD, "otp_token": totp_code(device)})
    assert ok.status_code == 200 and "token" in ok.json()


def test_prison_staff_are_not_asked_for_a_second_factor(client, bamako):
    factories.staff(Role.CLERK, bamako, username="greffe1")
    _login(client, "greffe1")
    assert client.get("/detenus/").status_code == 200


def _paired(user, name="tel"):
    device = TOTPDevice.objects.create(user=user, name=name, confirmed=True)
    return device


def _verify(client, device):
    return client.post("/comptes/verification/", {"token": totp_code(device)})


def test_with_the_password_alone_an_account_that_has_an_authenticator_cannot_pair_another(client):
    user = factories.staff(Role.DNAPES, username="dnapes5")
    _paired(user)
    _login(client, "dnapes5")
    page = client.get("/comptes/double-authentification/")
    assert page.status_code == 302 and "/comptes/verification/" in page["Location"]
    assert not TOTPDevice.objects.filter(user=user, confirmed=False).exists()  # no key was even shown
    post = client.post("/comptes/double-authentification/", {"token": "123456"})
    assert post.status_code == 302 and "/comptes/verification/" in post["Location"]
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_a_verified_session_may_add_a_second_authenticator_and_the_pairing_is_audited(client):
    from accounts.models import AuditEntry

    user = factories.staff(Role.DNAPES, username="dnapes6")
    first = _paired(user)
    _login(client, "dnapes6")
    _verify(client, first)
    page = client.get("/comptes/double-authentification/")
    assert page.status_code == 200
    pending = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post("/comptes/double-authentification/", {"token": totp_code(pending), "name": "Téléphone de secours"})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.confirmed and pending.name == "Téléphone de secours"
    entry = AuditEntry.objects.filter(reason="appareil de double authentification activé").latest("id")
    assert entry.actor == user and entry.changes["device_id"] == pending.pk


def test_a_user_sees_their_devices_and_removes_one_but_not_the_last(client):
    user = factories.staff(Role.DNAPES, username="dnapes7")
    first, second = _paired(user, "A"), _paired(user, "B")
    _login(client, "dnapes7")
    _verify(client, first)
    page = client.get("/comptes/appareils/").content.decode()
    assert "A" in page and "B" in page
    client.post("/comptes/appareils/", {"device": second.pk})
    assert list(TOTPDevice.objects.filter(user=user)) == [first]
    response = client.post("/comptes/appareils/", {"device": first.pk}, follow=True)
    assert "seul appareil" in response.content.decode()
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_another_users_device_cannot_be_removed(client):
    owner = factories.staff(Role.DNAPES, username="dnapes8")
    theirs = _paired(owner)
    me = factories.staff(Role.DNAPES, username="dnapes9")
    mine = _paired(me)
    _login(client, "dnapes9")
    _verify(client, mine)
    assert client.post("/comptes/appareils/", {"device": theirs.pk}).status_code == 404
    assert TOTPDevice.objects.filter(pk=theirs.pk).exists()


def test_an_administrator_resets_a_lost_phone_with_a_reason_audited_and_the_owner_is_told(client, mailoutbox,
                                                                                             django_capture_on_commit_callbacks):
    from accounts.models import AuditEntry

    owner = factories.staff(Role.DNAPES, username="dnapes10", email="agent@example.ml")
    _paired(owner)
    admin_user = factories.staff(Role.ADMIN, username="admin10")
    admin_device = _paired(admin_user)
    _login(client, "admin10")
    _verify(client, admin_device)
    url = f"/comptes/utilisateurs/{owner.pk}/double-authentification/reinitialiser/"
    refused = client.post(url, {"reason": " "})
    assert "motif" in refused.content.decode()
    assert TOTPDevice.objects.filter(user=owner).exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"reason": "téléphone perdu, signalé en personne"})
    assert not TOTPDevice.objects.filter(user=owner).exists()
    entry = AuditEntry.objects.filter(target_id=str(owner.pk), reason__startswith="téléphone perdu").get()
    assert entry.actor == admin_user and entry.changes["second_factor_reset"]
    assert mailoutbox and mailoutbox[0].to == ["agent@example.ml"]


def test_only_the_administrator_role_resets_not_a_superuser_or_a_manager(client):
    owner = factories.staff(Role.DNAPES, username="dnapes11")
    _paired(owner)
    manager = factories.staff(Role.DNAPES, username="dnapes12")
    device = _paired(manager)
    _login(client, "dnapes12")
    _verify(client, device)
    url = f"/comptes/utilisateurs/{owner.pk}/double-authentification/reinitialiser/"
    assert client.post(url, {"reason": "x"}).status_code == 403
    assert TOTPDevice.objects.filter(user=owner).exists()


def test_the_admin_site_no_longer_offers_the_device_table(client):
    from django.contrib import admin
    from django_otp.plugins.otp_totp.models import TOTPDevice as Device

    assert Device not in admin.site._registry
