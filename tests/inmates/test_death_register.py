"""The register of deaths in custody (LAW.md, Rules 69–72): one page per prison and the API list,
audited; the independent inquiry followed to its outcome (Rule 71) and the body's handling and
return to the family (Rule 72) recorded through both doors, with refusals that write nothing."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import AuditAction, AuditEntry
from accounts.roles import Role
from inmates import deaths
from inmates.models import DeathInCustody
from tests import factories
from tests.api_clients import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def death(inmate, clerk):
    died_at = timezone.now() - datetime.timedelta(days=3)
    return deaths.record_death(inmate.custodies.get(), died_at=died_at, place="Infirmerie",
                               circumstances="Malaise pendant la nuit", actor=clerk)


def test_the_register_lists_the_prisons_deaths_with_what_is_missing_and_the_read_is_audited(
        client, clerk, death, bamako, koulikoro, other_clerk):
    other = factories.detainee(koulikoro, actor=other_clerk, last_name="KONATE")
    deaths.record_death(other.custodies.get(), died_at=timezone.now() - datetime.timedelta(days=1),
                        place="Cour", circumstances="Chute", actor=other_clerk)
    client.force_login(clerk)
    html = client.get(f"/vie-carcerale/etablissements/{bamako.pk}/deces/").content.decode()
    assert "Malaise pendant la nuit" in html and "KONATE" not in html
    for missing in ("non prévenue", "non informée", "non inscrite", "remise non inscrite"):
        assert missing in html
    entry = AuditEntry.objects.filter(actor=clerk, action=AuditAction.LIST).latest("id")
    assert entry.changes["liste"] == "registre des décès" and entry.changes["personnes"] == 1
    assert client.get(f"/vie-carcerale/etablissements/{koulikoro.pk}/deces/").status_code == 404
    listed = client_for(clerk).get("/api/v1/deaths/", {"facility": bamako.pk}).data["results"]
    assert [d["id"] for d in listed] == [death.pk]
    assert "Remise de la dépouille non inscrite (Règle 72)" in listed[0]["missing_follow_up"]
    assert client_for(clerk).get("/api/v1/deaths/", {"facility": koulikoro.pk}).status_code == 404


def test_the_inquiry_and_the_body_are_recorded_on_the_page_and_audited(client, clerk, death):
    client.force_login(clerk)
    url = f"/vie-carcerale/deces/{death.pk}/suivi/"
    assert client.get(url).status_code == 200
    refused = client.post(url, {"inquiry_opened_on": timezone.localdate().isoformat()})
    assert refused.status_code == 200
    assert "Indiquez la référence de l" in refused.content.decode()
    assert DeathInCustody.objects.get(pk=death.pk).inquiry_opened_on is None
    returned = (timezone.localtime() - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    ok = client.post(url, {
        "inquiry_authority": "Procureur de la République, TGI Commune III", "inquiry_reference": "PV 2026/431",
        "inquiry_opened_on": (timezone.localdate() - datetime.timedelta(days=2)).isoformat(),
        "body_handling": "Autopsie à l'hôpital Gabriel Touré", "body_returned_to": "Awa Traoré (épouse)",
        "body_returned_at": returned})
    assert ok.status_code == 302
    death.refresh_from_db()
    assert (death.inquiry_reference, death.body_returned_to) == ("PV 2026/431", "Awa Traoré (épouse)")
    assert death.missing_follow_up == ["Enquête en cours : conclusions attendues"]
    entry = AuditEntry.objects.filter(action=AuditAction.UPDATE, target_type__model="deathincustody").latest("id")
    assert entry.changes["inquiry_reference"] == [None, "PV 2026/431"]


def test_the_api_closes_the_inquiry_with_its_outcome_and_refuses_what_does_not_hold(clerk, death):
    url = f"/api/v1/deaths/{death.pk}/follow-up/"
    opened = (timezone.localdate() - datetime.timedelta(days=2)).isoformat()
    base = {"inquiry_authority": "Procureur", "inquiry_reference": "PV 1", "inquiry_opened_on": opened}
    no_outcome = client_for(clerk).post(url, {**base, "inquiry_closed_on": timezone.localdate().isoformat()}, format="json")
    assert no_outcome.status_code == 400 and "inquiry_outcome" in no_outcome.data
    before = client_for(clerk).post(url, {**base, "inquiry_closed_on": (timezone.localdate() - datetime.timedelta(days=3))
                                    .isoformat(), "inquiry_outcome": "Mort naturelle"}, format="json")
    assert before.status_code == 400
    future = client_for(clerk).post(url, {"body_returned_to": "Famille",
                                    "body_returned_at": (timezone.now() + datetime.timedelta(days=2)).isoformat()},
                              format="json")
    assert future.status_code == 400 and "body_returned_at" in future.data
    assert DeathInCustody.objects.get(pk=death.pk).inquiry_reference == ""
    done = client_for(clerk).post(url, {**base, "inquiry_closed_on": timezone.localdate().isoformat(),
                                  "inquiry_outcome": "Mort naturelle (rapport d'autopsie)"}, format="json")
    assert done.status_code == 200, done.data
    assert done.data["inquiry_outcome"].startswith("Mort naturelle")
    assert done.data["missing_follow_up"] == ["Remise de la dépouille non inscrite (Règle 72)"]


def test_who_may_record_the_follow_up(bamako, death, other_clerk):
    medical = factories.staff(Role.MEDICAL, bamako)
    url = f"/api/v1/deaths/{death.pk}/follow-up/"
    assert client_for(medical).post(url, {"inquiry_reference": "X"}, format="json").status_code == 403
    assert client_for(other_clerk).post(url, {"inquiry_reference": "X", "inquiry_authority": "Y"},
                                  format="json").status_code == 404
    assert DeathInCustody.objects.get(pk=death.pk).inquiry_reference == ""
