"""Staff change their own password outside the admin (item 13)."""

import pytest
from django.test import Client

from accounts.models import AuditAction, AuditEntry
from accounts.roles import Role
from tests import factories
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
URL = "/comptes/mot-de-passe/"
NEW = "Cellule-Bleue-Koulikoro-7"


@pytest.fixture
def signed_in(client, clerk):
    client.post("/comptes/connexion/", {"username": clerk.username, "password": PASSWORD})
    return client


def test_the_page_is_linked_in_the_header_and_in_french(signed_in):
    assert f'href="{URL}"' in signed_in.get("/").content.decode()
    page = signed_in.get(URL).content.decode()
    assert "Changer de mot de passe" in page and "Mot de passe actuel" in page


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/comptes/connexion/")


def test_a_wrong_current_password_is_refused_in_french(signed_in, clerk):
    response = signed_in.post(URL, {"old_password": "pas-le-bon", "new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 200
    assert "ancien mot de passe est incorrect" in response.content.decode()
    clerk.refresh_from_db()
    assert clerk.check_password(PASSWORD)


@pytest.mark.parametrize("new, message", [
    ("court-1", "trop court"),
    ("motdepasse", "trop courant"),
    ("20262026202620", "entièrement numérique"),
])
def test_django_validators_apply_with_french_messages(signed_in, clerk, new, message):
    response = signed_in.post(URL, {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert response.status_code == 200 and message in response.content.decode()
    clerk.refresh_from_db()
    assert clerk.check_password(PASSWORD)


def test_the_two_new_passwords_must_match(signed_in):
    response = signed_in.post(URL, {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW + "x"})
    assert "Les deux mots de passe ne correspondent pas." in response.content.decode()


def test_a_change_keeps_this_session_ends_the_others_and_is_audited(signed_in, clerk):
    elsewhere = Client()
    elsewhere.post("/comptes/connexion/", {"username": clerk.username, "password": PASSWORD})
    assert elsewhere.get("/detenus/").status_code == 200
    response = signed_in.post(URL, {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302
    assert signed_in.get("/detenus/").status_code == 200
    assert elsewhere.get("/detenus/").status_code == 302
    clerk.refresh_from_db()
    assert clerk.check_password(NEW)
    entry = AuditEntry.objects.get(action=AuditAction.UPDATE, target_id=str(clerk.pk), reason="mot de passe changé")
    assert entry.actor == clerk and NEW not in str(entry.changes) and clerk.password not in str(entry.changes)
    # The old password no longer opens anything.
    assert not Client().login(username=clerk.username, password=PASSWORD)


def test_a_session_waiting_for_its_second_factor_cannot_change_the_password(client, settings):
    settings.OTP_REQUIRED = True
    manager = factories.staff(Role.DNAPES, username="dnapes.mdp")
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=manager, name="téléphone", confirmed=True)
    client.post("/comptes/connexion/", {"username": "dnapes.mdp", "password": PASSWORD})
    response = client.post(URL, {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302 and "/comptes/verification/" in response["Location"]
    manager.refresh_from_db()
    assert manager.check_password(PASSWORD)
