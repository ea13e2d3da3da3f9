import pytest

from accounts.models import AuditAction, AuditEntry
from inmates import services as inmate_services
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_director_sees_their_prisons_entries_only(client, director, inmate, koulikoro):
    factories.detainee(koulikoro, last_name="Cissé", first_name="Hamidou")
    client.force_login(director)
    response = client.get("/comptes/journal/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "TRAORÉ" in body
    assert "CISSÉ" not in body


def test_clerks_cannot_read_the_audit_trail(client, clerk):
    client.force_login(clerk)
    assert client.get("/comptes/journal/").status_code == 403
    assert client.get("/comptes/journal/export.csv").status_code == 403


def test_filters_by_detainee_and_action(client, director, inmate, clerk):
    inmate_services.open_inmate_file(inmate.pk, actor=clerk)
    client.force_login(director)
    response = client.get("/comptes/journal/", {"inmate": inmate.pk, "action": "view"})
    assert [e.action for e in response.context["page"]] == ["view"]


def test_a_bad_date_range_is_explained(client, director):
    client.force_login(director)
    response = client.get("/comptes/journal/", {"date_from": "2026-05-02", "date_to": "2026-05-01"})
    assert "La date de début doit précéder la date de fin." in response.content.decode()


def test_the_export_is_audited_and_formula_safe(client, director, inmate, clerk):
    inmate_services.update_inmate(inmate, actor=clerk, reason="=HYPERLINK(\"http://x\")", first_name="Moussa")
    client.force_login(director)
    response = client.get("/comptes/journal/export.csv")
    content = response.content.decode("utf-8-sig")
    assert response.status_code == 200
    assert "'=HYPERLINK" in content
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT, actor=director).exists()
