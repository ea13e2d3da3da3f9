"""The exchange's doors: its health (page and API, both modes, by role), the refused actions sent
again, the cross-prison duplicates DNAPES decides, the silent-prison alert, and the attacks (a
staff token on the site doors, a site token elsewhere, a forged or missing credential)."""

import datetime
import gzip
import json

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from accounts.models import AuditAction, AuditEntry
from accounts.roles import Role
from inmates.models import Inmate
from prisons.models import Facility
from sync import tasks
from sync.models import DuplicateCandidate, OutboxAction, Site
from tests.factories import UnitFactory, detainee, staff

pytestmark = pytest.mark.django_db(transaction=True)


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_a_single_site_has_no_exchange_pages(db):
    director = staff(Role.DIRECTOR, Facility.objects.get(code="BKO"))
    client = _client(director)
    assert client.get("/echanges/").status_code == 404
    assert client.get("/api/v1/sync/health/").status_code == 404
    assert "Échanges" not in client.get("/").content.decode()


def test_a_prison_shows_what_waits_and_what_was_refused_and_only_acknowledged_counts_as_sent(sites):
    b = sites.people["bamako"]
    with sites.at("bamako"):
        detainee(b["facility"], actor=b["clerk"], unit=b["unit"])
        waiting = OutboxAction.objects.count()
        client = _client(b["clerk"])
        page = client.get("/echanges/").content.decode()
        assert "Actions en attente d'envoi" in page and f"<td>{waiting} — " in page
        assert "Dernier envoi acquitté" in page and "jamais" in page
        assert '<a href="/echanges/">Échanges</a>' in client.get("/").content.decode()
        api = client.get("/api/v1/sync/health/").json()
        assert api["waiting"] == waiting and api["last_push_at"] is None and api["mode"] == "prison"
        # A security officer, a doctor: no exchange pages.
        assert _client(b["security"]).get("/echanges/").status_code == 403
        assert _client(b["security"]).get("/api/v1/sync/health/").status_code == 403
        # A refused action stays, with its reason, until the director sends it again (audited).
        action = OutboxAction.objects.order_by("seq").first()
        OutboxAction.objects.filter(pk=action.pk).update(state=OutboxAction.State.REJECTED, rejection="Juridiction inconnue")
        assert "Juridiction inconnue" in client.get("/echanges/").content.decode()
        assert client.post(f"/echanges/actions/{action.seq}/renvoyer/").status_code == 403  # the clerk
        director = _client(b["director"])
        assert director.post(f"/echanges/actions/{action.seq}/renvoyer/").status_code == 302
        action.refresh_from_db()
        assert action.state == OutboxAction.State.WAITING and action.rejection == ""
        assert AuditEntry.objects.filter(action=AuditAction.UPDATE, reason="Juridiction inconnue").exists()
    sites.exchange("bamako")
    with sites.at("bamako"):
        api = _client(b["clerk"]).get("/api/v1/sync/health/").json()
        assert api["waiting"] == 0 and api["last_push_at"] and api["acknowledged_total"] == waiting


def test_the_national_server_shows_every_prison_and_flags_the_silent_ones(sites):
    sites.exchange("bamako")
    with sites.at("national"):
        Site.objects.filter(facility__code="KLK").update(last_push_at=timezone.now() - datetime.timedelta(hours=30),
                                                         last_pull_at=timezone.now() - datetime.timedelta(hours=30))
        staff(Role.DNAPES, username="dnapes.mail", email="dnapes@example.ml")
        rows = {r["facility"]: r for r in _client(sites.dnapes).get("/api/v1/sync/health/").json()["sites"]}
        assert rows["BKO"]["silent"] is False and rows["KLK"]["silent"] is True
        page = _client(sites.dnapes).get("/echanges/").content.decode()
        assert "Silencieux" in page and "À jour" in page
        # Bamako's director sees Bamako only.
        director = staff(Role.DIRECTOR, sites.people["bamako"]["facility"], username="dir.bko.nat")
        assert [r["facility"] for r in _client(director).get("/api/v1/sync/health/").json()["sites"]] == ["BKO"]
        assert tasks.alert_silent_prisons() == 1
        assert tasks.alert_silent_prisons() == 0  # once per silence
        assert any("KLK" in m.subject or "Koulikoro" in m.subject for m in mail.outbox)


def test_duplicates_across_prisons_are_queued_for_dnapes_and_decided_with_a_reason(sites):
    for name in ("bamako", "koulikoro"):
        p = sites.people[name]
        with sites.at(name):
            detainee(p["facility"], actor=p["clerk"], unit=p["unit"], last_name="SANOGO", first_name="Adama",
                     birth_year=1988)
        sites.exchange(name)
    with sites.at("national"):
        candidate = DuplicateCandidate.objects.get()
        assert {candidate.inmate.last_name, candidate.other.last_name} == {"SANOGO"}
        dnapes = _client(sites.dnapes)
        page = dnapes.get("/echanges/doublons/").content.decode()
        assert "SANOGO" in page
        assert AuditEntry.objects.filter(action=AuditAction.LIST, changes__liste="doublons entre établissements").exists()
        assert _client(sites.people["bamako"]["director"]).get("/echanges/doublons/").status_code == 403
        refused = dnapes.post(f"/echanges/doublons/{candidate.pk}/decision/", {"decision": "same", "reason": " "},
                              follow=True)
        assert "Indiquez le motif" in refused.content.decode()
        dnapes.post(f"/echanges/doublons/{candidate.pk}/decision/", {"decision": "same",
                                                                   "reason": "Même photo, mêmes parents"})
        candidate.refresh_from_db()
        assert candidate.decision == DuplicateCandidate.Decision.SAME
        assert Inmate.objects.filter(last_name="SANOGO").count() == 2  # nothing merged by itself


def test_reference_data_is_written_at_the_national_server_only_and_reaches_the_prisons(sites):
    with sites.at("bamako"), pytest.raises(PermissionDenied):
        UnitFactory(facility=sites.people["bamako"]["facility"], code="X-1")
    with sites.at("national"):
        UnitFactory(facility=sites.people["bamako"]["facility"], code="NEW-1", name="Nouveau quartier")
    sites.exchange("bamako")
    with sites.at("bamako"):
        from prisons.models import Unit

        assert Unit.objects.filter(facility__code="BKO", code="NEW-1", name="Nouveau quartier").exists()


def test_the_site_doors_refuse_staff_tokens_forged_credentials_and_other_prisons(sites):
    with sites.at("national"):
        clerk = _client(sites.people["bamako"]["clerk"])
        assert clerk.post("/api/v1/sync/push/", data="{}", content_type="application/json").status_code in (401, 403)
        assert clerk.get("/api/v1/sync/changes/").status_code in (401, 403)
        forged = Client().get("/api/v1/sync/changes/", HTTP_AUTHORIZATION="Site faux-jeton")
        assert forged.status_code == 401 and "Jeton de site inconnu" in forged.json()["detail"]
        # A site credential opens nothing else.
        token = sites.tokens["bamako"]
        assert Client().get("/api/v1/inmates/", HTTP_AUTHORIZATION=f"Site {token}").status_code in (401, 403)
        # A body that is not gzip/JSON is refused with a reason, nothing applied.
        bad = Client().post("/api/v1/sync/push/", data=b"\x1f\x8bnot-gzip", content_type="application/json",
                            HTTP_CONTENT_ENCODING="gzip", HTTP_AUTHORIZATION=f"Site {token}")
        assert bad.status_code == 400
    # Koulikoro cannot pull with Bamako's database id once Bamako has claimed it.
    sites.exchange("bamako")
    with sites.at("bamako"):
        from sync import prison

        bamako_id = prison.site_id()
    with sites.at("national"):
        answer = Client().post("/api/v1/sync/push/", data=gzip.compress(json.dumps(
            {"schema_version": 2, "site_id": bamako_id, "facility": "BKO", "actions": []}).encode()),
            content_type="application/json", HTTP_CONTENT_ENCODING="gzip",
            HTTP_AUTHORIZATION=f"Site {sites.tokens['koulikoro']}")
        assert answer.status_code == 403  # Koulikoro's credential naming Bamako
