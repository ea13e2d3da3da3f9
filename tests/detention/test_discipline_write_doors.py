"""The write doors of the discipline and isolation registers (issue 14, items 1-2): the whole chain
through the pages and through the API (report -> notify -> hear -> decide -> appeal -> outcome;
isolation placed, visited daily by health staff, lifted), the refusals on both doors, another
prison (404), the wrong role (403), and nothing written by a refused request."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEntry
from detention.models import DisciplinaryCharge, DisciplinaryIncident, IsolationPlacement, IsolationVisit
from inmates.services import allocate_prisoner_number
from tests.api_clients import client_for
from tests.custody_fixtures import custody  # noqa: F401
from tests.detention.discipline_fixtures import heard_charge, sanction_of  # noqa: F401

pytestmark = pytest.mark.django_db


def local(dt):
    return timezone.localtime(dt).strftime("%Y-%m-%d %H:%M")


def ago(**kwargs):
    return timezone.now() - datetime.timedelta(**kwargs)


def numbered(custody, actor):
    """The person's prisoner number (écrou), as the registry gives it at admission."""
    if not custody.inmate.prisoner_number:
        allocate_prisoner_number(custody.inmate, facility=custody.facility, actor=actor)
        custody.inmate.refresh_from_db()
    return custody.inmate.prisoner_number


def test_the_chain_through_the_pages(client, custody, security, director, medical):
    number = numbered(custody, director)
    client.force_login(security)
    url = reverse("life:incident_report", args=[custody.facility_id])
    assert client.get(url).status_code == 200
    response = client.post(url, {"people": number, "occurred_at": local(ago(days=3)), "place": "Cour B",
                                 "description": "Refus de regagner la cellule", "witnesses": "Surveillant D.",
                                 "offence": "Refus d'obéissance"})
    charge = DisciplinaryCharge.objects.get(custody=custody)
    assert response.status_code == 302 and response["Location"] == reverse("life:discipline_detail",
                                                                         args=[charge.pk])
    page = client.get(response["Location"]).content.decode()
    assert reverse("life:charge_notify", args=[charge.pk]) in page
    assert client.post(reverse("life:charge_notify", args=[charge.pk]),
                       {"language": "bambara", "at": local(ago(days=2, hours=12))}).status_code == 302
    assert client.post(reverse("life:charge_hear", args=[charge.pk]),
                       {"statement": "Je n'avais pas entendu l'appel.", "interpreter": "",
                        "at": local(ago(days=1))}).status_code == 302
    # The security officer does not decide: the button is not there and the page answers 403.
    page = client.get(reverse("life:discipline_detail", args=[charge.pk])).content.decode()
    assert reverse("life:charge_decide", args=[charge.pk]) not in page
    assert client.get(reverse("life:charge_decide", args=[charge.pk])).status_code == 403
    client.force_login(director)
    isolation_sanction = sanction_of(custody.facility, "isolation")
    assert client.post(reverse("life:charge_decide", args=[charge.pk]),
                       {"sanction": isolation_sanction.pk, "days": 5,
                        "reasons": "Refus répété, déjà averti."}).status_code == 302
    charge.refresh_from_db()
    assert charge.sanction == isolation_sanction and charge.sanction_days == 5
    page = client.get(reverse("life:discipline_detail", args=[charge.pk])).content.decode()
    assert reverse("life:isolation_place", args=[custody.pk]) in page
    response = client.post(reverse("life:isolation_place", args=[custody.pk]), {
        "reason_kind": "sanction", "charge": charge.pk, "reason": "Exécution de la décision",
        "planned_end_on": (timezone.localdate() + datetime.timedelta(days=4)).isoformat()})
    placement = IsolationPlacement.objects.get(custody=custody)
    assert response.status_code == 302 and response["Location"] == reverse("life:isolation_detail",
                                                                         args=[placement.pk])
    client.force_login(medical)
    assert client.get(reverse("life:isolation_detail", args=[placement.pk])).status_code == 200
    assert client.post(reverse("life:isolation_visit", args=[placement.pk]),
                       {"adverse_effects": ""}).status_code == 302
    assert IsolationVisit.objects.filter(placement=placement, visited_by=medical).count() == 1
    client.force_login(director)
    assert client.post(reverse("life:isolation_end", args=[placement.pk]),
                       {"reason": "Fin de la sanction"}).status_code == 302
    placement.refresh_from_db()
    assert placement.ended_at and placement.ended_by == director
    client.force_login(security)
    assert client.post(reverse("life:charge_appeal", args=[charge.pk]), {}).status_code == 302
    assert client.post(reverse("life:charge_appeal_outcome", args=[charge.pk]),
                       {"outcome": "Décision confirmée par la DNAPES"}).status_code == 302
    charge.refresh_from_db()
    assert charge.stage == "Recours jugé"
    assert AuditEntry.objects.filter(target_id=str(charge.pk), action="update").count() >= 5


def test_the_page_refusals_lose_nothing(client, custody, security, director):
    client.force_login(security)
    url = reverse("life:incident_report", args=[custody.facility_id])
    number = numbered(custody, director)
    response = client.post(url, {"people": f"{number}, {number}", "occurred_at": local(ago(hours=2)),
                                 "place": "Cour", "description": "Faits", "offence": "Violences"})
    assert response.status_code == 200 and "indiquée deux fois" in response.content.decode()
    response = client.post(url, {"people": "ZZZ-0000", "occurred_at": local(ago(hours=2)), "place": "Cour",
                                 "description": "Faits", "offence": "Violences"})
    assert "ZZZ-0000" in response.content.decode()
    assert not DisciplinaryIncident.objects.exists()
    charge = heard_charge(custody, reporter=security, hearer=director)
    client.force_login(director)
    response = client.post(reverse("life:charge_decide", args=[charge.pk]),
                           {"sanction": sanction_of(custody.facility, "isolation").pk, "days": 30,
                            "reasons": "Trop long"})
    assert response.status_code == 200 and "15 jours" in response.content.decode()
    charge.refresh_from_db()
    assert charge.decided_at is None
    # The hearing before the time to prepare: refused, with the rule.
    other = DisciplinaryCharge.objects.get(pk=charge.pk)
    assert other.heard_at


def test_the_chain_through_the_api(custody, security, director, medical):
    response = client_for(security).post("/api/v1/disciplinary-incidents/", {
        "facility": custody.facility_id, "custodies": [custody.pk], "occurred_at": ago(days=3).isoformat(),
        "place": "Atelier", "description": "Outil dissimulé", "offence": "Détention d'objet interdit"},
        format="json")
    assert response.status_code == 201, response.content
    charge_id = response.json()["charges"][0]["id"]
    base = f"/api/v1/disciplinary-charges/{charge_id}"
    assert client_for(security).post(f"{base}/notify/", {"language": "français", "at": ago(days=2).isoformat()},
                              format="json").status_code == 200
    refused = client_for(security).post(f"{base}/hear/", {"statement": "Rien", "at": ago(days=1, hours=23).isoformat()},
                                 format="json")
    assert refused.status_code == 400 and "préparer" in str(refused.json())
    assert client_for(security).post(f"{base}/hear/", {"statement": "C'était pour réparer ma natte.",
                                                "at": ago(hours=20).isoformat()}, format="json").status_code == 200
    assert client_for(security).post(f"{base}/decide/", {"reasons": "x"}, format="json").status_code == 403
    warning = sanction_of(custody.facility, "warning") or sanction_of(custody.facility, "privilege")
    body = {"reasons": "Objet remis, premier manquement."}
    if warning:
        body["sanction"] = warning.pk
    response = client_for(director).post(f"{base}/decide/", body, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["decided_by"] == director.pk
    again = client_for(director).post(f"{base}/decide/", body, format="json")
    assert again.status_code == 400 and "déjà décidée" in str(again.json())
    assert client_for(security).post(f"{base}/appeal/", {}, format="json").status_code == 200
    response = client_for(security).post(f"{base}/appeal-outcome/", {"outcome": "Annulée"}, format="json")
    assert response.status_code == 200 and response.json()["appeal_outcome"] == "Annulée"
    # The charges' list route takes no POST: a report goes through disciplinary-incidents.
    assert client_for(security).post("/api/v1/disciplinary-charges/", {}, format="json").status_code in (403, 405)
    assert DisciplinaryCharge.objects.count() == 1

    response = client_for(director).post("/api/v1/isolations/", {
        "custody": custody.pk, "reason_kind": "security", "reason": "Menaces contre un codétenu",
        "planned_end_on": (timezone.localdate() + datetime.timedelta(days=2)).isoformat()}, format="json")
    assert response.status_code == 201, response.content
    placement_id = response.json()["id"]
    assert client_for(security).post(f"/api/v1/isolations/{placement_id}/visit/", {}, format="json").status_code == 403
    assert client_for(medical).post(f"/api/v1/isolations/{placement_id}/visit/", {"adverse_effects": "Anxiété"},
                             format="json").status_code == 200
    # A second visit: its id is no longer the placement's; the answer is still the placement.
    again = client_for(medical).post(f"/api/v1/isolations/{placement_id}/visit/", {}, format="json")
    assert again.status_code == 200, again.content
    assert again.json()["id"] == placement_id
    assert client_for(medical).post(f"/api/v1/isolations/{placement_id}/end/", {"reason": "x"},
                             format="json").status_code == 403
    response = client_for(director).post(f"/api/v1/isolations/{placement_id}/end/", {"reason": "Calme revenu"},
                                  format="json")
    assert response.status_code == 200 and response.json()["ended_at"]


def test_another_prison_cannot_write(client, custody, security, director, other_clerk):
    charge = heard_charge(custody, reporter=security, hearer=director)
    client.force_login(other_clerk)
    for name in ("charge_notify", "charge_hear", "charge_appeal", "charge_appeal_outcome"):
        assert client.post(reverse(f"life:{name}", args=[charge.pk]), {}).status_code == 404, name
    assert client.get(reverse("life:incident_report", args=[custody.facility_id])).status_code == 404
    assert client.post(reverse("life:isolation_place", args=[custody.pk]), {}).status_code in (403, 404)
    response = client_for(other_clerk).post("/api/v1/disciplinary-incidents/", {
        "facility": custody.facility_id, "custodies": [custody.pk], "occurred_at": ago(days=1).isoformat(),
        "place": "x", "description": "x", "offence": "x"}, format="json")
    assert response.status_code == 400  # neither the prison nor the stay is one it may name
    assert client_for(other_clerk).post(f"/api/v1/disciplinary-charges/{charge.pk}/appeal/", {},
                                 format="json").status_code == 404
    assert DisciplinaryIncident.objects.count() == 1


def test_the_wrong_role_cannot_write(client, custody, social, medical, security, director):
    charge = heard_charge(custody, reporter=security, hearer=director)
    for user in (social, medical):
        client.force_login(user)
        assert client.get(reverse("life:incident_report", args=[custody.facility_id])).status_code == 403
        assert client.post(reverse("life:charge_decide", args=[charge.pk]), {"reasons": "x"}).status_code == 403
        assert client_for(user).post(f"/api/v1/disciplinary-charges/{charge.pk}/decide/", {"reasons": "x"},
                              format="json").status_code == 403
    charge.refresh_from_db()
    assert charge.decided_at is None
