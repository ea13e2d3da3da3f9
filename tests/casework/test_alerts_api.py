"""Alert pages, the art. 129 notice, the limits table page, and GET /api/v1/alerts/:
facility scoping (another prison's alert → absent or 404), roles (403), audit of reads."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditAction, AuditEntry
from accounts.roles import Role
from casework import services as case_services
from casework.deadlines.sweep import sweep
from casework.models import AlertKind, DeadlineAlert, DetentionLimit, LegalClass
from inmates.models import Custody
from tests import factories
from tests.api_clients import client_for

pytestmark = pytest.mark.django_db


def held_case(facility, clerk, *, days, **kw):
    inmate = factories.detainee(facility, actor=clerk, admitted_at=timezone.now() - dt.timedelta(days=days), **kw)
    return Custody.objects.get(inmate=inmate).cases.get()


@pytest.fixture
def alerts(bamako, koulikoro, clerk, other_clerk):
    """An overdue délit in Bamako, an overdue crime-free approaching one in Bamako, an overdue one in Koulikoro."""
    bko = held_case(bamako, clerk, days=200, last_name="TRAORÉ")
    klk = held_case(koulikoro, other_clerk, days=200, last_name="KOULIBALY")
    case_services.update_case(klk, actor=other_clerk, investigating_judge="Mme Sangaré")
    sweep()
    return {
        "bko": DeadlineAlert.objects.get(case=bko, kind=AlertKind.OVERDUE),
        "klk": DeadlineAlert.objects.get(case=klk, kind=AlertKind.OVERDUE),
    }


def test_clerk_sees_only_their_prisons_alerts(client, clerk, alerts):
    client.force_login(clerk)
    response = client.get(reverse("deadlines:alert_list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "TRAORÉ" in body and "KOULIBALY" not in body
    # legal status beside every entry, and the link to the file
    assert "Inculpé, en attente de jugement" in body
    assert reverse("inmates:inmate_detail", args=[alerts["bko"].case.custody.inmate_id]) in body


def test_dnapes_sees_every_prison_and_can_filter(client, manager, alerts):
    client.force_login(manager)
    body = client.get(reverse("deadlines:alert_list")).content.decode()
    assert "TRAORÉ" in body and "KOULIBALY" in body
    body = client.get(reverse("deadlines:alert_list"), {"judge": "sangar", "kind": "overdue"}).content.decode()
    assert "KOULIBALY" in body and "TRAORÉ" not in body
    court = alerts["bko"].case.court
    body = client.get(reverse("deadlines:alert_list"), {"court": court.pk, "kind": "overdue"}).content.decode()
    assert "TRAORÉ" in body


def test_alerts_sort_by_days_overdue(client, manager, bamako, clerk):
    held_case(bamako, clerk, days=190, last_name="RECENT")
    held_case(bamako, clerk, days=300, last_name="ANCIEN")
    sweep()
    client.force_login(manager)
    body = client.get(reverse("deadlines:alert_list"), {"kind": "overdue"}).content.decode()
    assert body.index("ANCIEN") < body.index("RECENT")
    body = client.get(reverse("deadlines:alert_list"), {"kind": "overdue", "sort": "-overdue"}).content.decode()
    assert body.index("RECENT") < body.index("ANCIEN")


def test_a_role_without_the_permission_gets_403(client, bamako, alerts):
    guard = factories.staff(Role.SECURITY, bamako)
    client.force_login(guard)
    assert client.get(reverse("deadlines:alert_list")).status_code == 403
    assert client.get(reverse("deadlines:art129_notice", args=[alerts["bko"].pk])).status_code == 403


def test_art129_notice_is_a_printable_pdf_and_the_read_is_audited(client, clerk, alerts):
    client.force_login(clerk)
    response = client.get(reverse("deadlines:art129_notice", args=[alerts["bko"].pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    entry = AuditEntry.objects.filter(action=AuditAction.EXPORT, actor=clerk).latest("id")
    assert entry.inmate_id == alerts["bko"].case.custody.inmate_id


def test_art129_notice_of_another_prison_is_404(client, clerk, alerts):
    client.force_login(clerk)
    assert client.get(reverse("deadlines:art129_notice", args=[alerts["klk"].pk])).status_code == 404


def test_no_art129_notice_for_a_crime(client, clerk, bamako):
    case = held_case(bamako, clerk, days=400, terrorism=True)  # crime: 12 months
    sweep()
    alert = DeadlineAlert.objects.get(case=case, kind=AlertKind.OVERDUE)
    client.force_login(clerk)
    assert client.get(reverse("deadlines:art129_notice", args=[alert.pk])).status_code == 404


# --- API --------------------------------------------------------------------------------------

def test_api_lists_only_the_users_prisons(client, clerk, manager, alerts):
    client.force_login(clerk)
    data = client.get("/api/v1/alerts/", {"kind": "overdue"}).json()
    ids = {row["id"] for row in data["results"]}
    assert alerts["bko"].pk in ids and alerts["klk"].pk not in ids
    row = next(r for r in data["results"] if r["id"] == alerts["bko"].pk)
    assert row["legal_status"] == "charged" and row["terrorism_related"] is False
    assert row["days_overdue"] > 0 and row["art129_notice_url"]
    assert client.get(f"/api/v1/alerts/{alerts['klk'].pk}/").status_code == 404
    client.force_login(manager)
    data = client.get("/api/v1/alerts/", {"kind": "overdue", "judge": "sangar"}).json()
    assert [r["id"] for r in data["results"]] == [alerts["klk"].pk]


def test_api_filters_open_and_closed(client, clerk, alerts):
    case = alerts["bko"].case
    case_services.record_judgment(case, actor=clerk, decided_on=timezone.localdate(), verdict="convicted",
                                  sentence_months=12)
    sweep()
    client.force_login(clerk)
    open_ids = {r["id"] for r in client.get("/api/v1/alerts/", {"open": "true"}).json()["results"]}
    closed = client.get("/api/v1/alerts/", {"open": "false"}).json()["results"]
    assert alerts["bko"].pk not in open_ids
    assert {r["close_reason"] for r in closed} == {"judgment"}


def test_api_refuses_a_role_without_the_permission(client, bamako):
    client.force_login(factories.staff(Role.MEDICAL, bamako))
    assert client.get("/api/v1/alerts/").status_code == 403


# --- the limits table ---------------------------------------------------------------------------

def test_limits_page_says_which_values_await_a_jurist(client, clerk):
    client.force_login(clerk)
    body = client.get(reverse("deadlines:limit_list")).content.decode()
    assert "12 valeurs attendent la confirmation d’un juriste malien" in body.replace("'", "’").replace("&#x27;", "’")
    assert "art. 127" in body and "CPP-2024" in body
    assert "Modifier" not in body  # clerks read, administrators edit


def test_admin_edits_a_limit_with_a_reason(client):
    admin = factories.staff(Role.ADMIN)
    client.force_login(admin)
    limit = DetentionLimit.objects.get(key="flagrant", code_version="CPP-2024")
    url = reverse("deadlines:limit_edit", args=[limit.pk])
    form = client.get(url)
    assert form.status_code == 200
    data = {name: ("" if value is None else value) for name, value in form.context["form"].initial.items()}
    data.update(initial_amount=2, max_amount=2, awaiting_confirmation="", valid_from="2025-06-13", valid_to="")
    refused = client.post(url, {**data, "reason": ""})
    assert refused.status_code == 200 and DetentionLimit.objects.get(pk=limit.pk).initial_amount == 3
    response = client.post(url, {**data, "reason": "Confirmé par Me Diallo, 20/11/2026"})
    assert response.status_code == 302
    limit.refresh_from_db()
    assert (limit.initial_amount, limit.awaiting_confirmation) == (2, False)
    entry = AuditEntry.objects.filter(action=AuditAction.UPDATE, actor=admin).latest("id")
    assert entry.reason.startswith("Confirmé") and "initial_amount" in entry.changes


def test_clerk_cannot_edit_a_limit(client, clerk):
    client.force_login(clerk)
    limit = DetentionLimit.objects.first()
    assert client.get(reverse("deadlines:limit_edit", args=[limit.pk])).status_code == 403


def test_update_limit_rejects_unknown_fields(db):
    from django.core.exceptions import ValidationError

    from casework.deadlines.alerts import update_limit

    with pytest.raises(ValidationError):
        update_limit(DetentionLimit.objects.first(), actor=None, reason="x", key="crime")
    assert LegalClass.CRIME == "crime"


def test_overdue_classification_reviews_stand_beside_the_deadline_alerts(client, clerk, inmate, bamako):
    import datetime

    from detention.models import Classification

    custody = inmate.custodies.get()
    Classification.objects.create(custody=custody, risk="medium", assessed_on=datetime.date(2026, 1, 5),
                                  assessed_by=clerk, reasons="Évaluation initiale",
                                  next_review_on=datetime.date(2026, 4, 5))
    client.force_login(clerk)
    html = client.get("/echeances/").content.decode()
    assert "Révisions de classement en retard" in html
    assert f"/vie-carcerale/etablissements/{bamako.pk}/classements/?en_retard=1" in html


# --- the limits table through the API ----------------------------------------------------------


def test_the_limits_table_is_read_through_the_api_with_its_code_version_and_dates(clerk):
    rows = client_for(clerk).get("/api/v1/detention-limits/?code_version=CPP-2024").data["results"]
    flagrant = next(r for r in rows if r["key"] == "flagrant")
    assert flagrant["code_version"] == "CPP-2024" and flagrant["valid_from"]
    assert flagrant["awaiting_confirmation"] is True and flagrant["key_label"]
    assert client_for(clerk).get(f"/api/v1/detention-limits/{flagrant['id']}/").data["initial_amount"] == 3


def test_an_administrator_corrects_a_limit_through_the_api_with_a_reason_audited(db):
    admin = factories.staff(Role.ADMIN)
    limit = DetentionLimit.objects.get(key="flagrant", code_version="CPP-2024")
    url = f"/api/v1/detention-limits/{limit.pk}/"
    refused = client_for(admin).patch(url, {"initial_amount": 2}, format="json")
    assert refused.status_code == 400 and "reason" in refused.data
    bad = client_for(admin).patch(url, {"initial_amount": 2, "valid_to": "2000-01-01", "reason": "x"}, format="json")
    assert bad.status_code == 400
    assert DetentionLimit.objects.get(pk=limit.pk).initial_amount == 3
    ok = client_for(admin).patch(url, {"initial_amount": 2, "awaiting_confirmation": False,
                                 "reason": "Confirmé par Me Diallo"}, format="json")
    assert ok.status_code == 200 and ok.data["initial_amount"] == 2
    entry = AuditEntry.objects.filter(action=AuditAction.UPDATE, actor=admin).latest("id")
    assert entry.reason == "Confirmé par Me Diallo" and "initial_amount" in entry.changes


def test_a_clerk_or_director_cannot_change_a_limit_through_the_api_nor_replace_it(clerk, bamako):
    limit = DetentionLimit.objects.first()
    url = f"/api/v1/detention-limits/{limit.pk}/"
    director = factories.staff(Role.DIRECTOR, bamako)
    for user in (clerk, director):
        assert client_for(user).patch(url, {"initial_amount": 1, "reason": "x"}, format="json").status_code == 403
    admin = factories.staff(Role.ADMIN)
    assert client_for(admin).put(url, {"initial_amount": 1, "reason": "x"}, format="json").status_code == 405
    assert client_for(admin).delete(url).status_code == 405
    assert client_for(admin).post("/api/v1/detention-limits/", {}, format="json").status_code == 405
    medical = factories.staff(Role.MEDICAL, bamako)
    assert client_for(medical).get("/api/v1/detention-limits/").status_code == 403
    assert DetentionLimit.objects.get(pk=limit.pk).initial_amount == limit.initial_amount


def test_one_row_per_person_with_all_their_alerts_and_no_destroyed_prison_to_filter(client, manager, bamako,
                                                                                    clerk, alerts):
    from prisons.models import Facility, FacilityStatus

    custody = alerts["bko"].custody
    present = set(DeadlineAlert.objects.filter(case=alerts["bko"].case).values_list("kind", flat=True))
    spare = next(k for k in (AlertKind.NO_HEARING, AlertKind.APPROACHING, AlertKind.BEYOND_MAXIMUM) if k not in present)
    DeadlineAlert.objects.create(custody=custody, case=alerts["bko"].case, kind=spare, opened_at=timezone.now())
    open_kinds = DeadlineAlert.objects.filter(custody=custody, closed_at__isnull=True).count()
    assert open_kinds >= 2
    ruins = factories.FacilityFactory(code="RUI", name="Prison détruite de Ruines", status=FacilityStatus.DESTROYED)
    client.force_login(manager)
    response = client.get(reverse("deadlines:alert_list"))
    [row] = [r for r in response.context["rows"] if r["custody"].pk == custody.pk]
    assert len(row["alerts"]) == open_kinds
    body = response.content.decode()
    assert body.count(f'href="{row["file_url"]}"') == 1  # the man once, with his alerts
    assert "TRAORÉ" in body and "KOULIBALY" in body
    choices = list(response.context["form"].fields["facility"].queryset)
    assert ruins not in choices and bamako in choices
    assert all(f.status == FacilityStatus.OPERATIONAL or f.custodies.filter(
        deadline_alerts__closed_at__isnull=True).exists() for f in choices)
    assert Facility.objects.filter(status=FacilityStatus.DESTROYED).exists()


# --- GET /api/v1/alerts/by-person/ (one entry per person, as the page) ------------------------

def _second_alert(alerts):
    """A second open alert on Bamako's man, so that he has several."""
    case = alerts["bko"].case
    present = set(DeadlineAlert.objects.filter(case=case).values_list("kind", flat=True))
    spare = next(k for k in (AlertKind.NO_HEARING, AlertKind.APPROACHING, AlertKind.BEYOND_MAXIMUM) if k not in present)
    DeadlineAlert.objects.create(custody=case.custody, case=case, kind=spare, opened_at=timezone.now())
    return DeadlineAlert.objects.filter(custody=case.custody, closed_at__isnull=True)


def test_api_by_person_gives_one_entry_per_person_with_all_their_open_alerts(client, clerk, alerts):
    open_alerts = _second_alert(alerts)
    custody = alerts["bko"].custody
    client.force_login(clerk)
    before = AuditEntry.objects.filter(action=AuditAction.LIST).count()
    response = client.get("/api/v1/alerts/by-person/")
    assert response.status_code == 200
    data = response.json()
    mine = [p for p in data["results"] if p["custody"] == custody.pk]
    assert len(mine) == 1  # the man once
    [person] = mine
    assert person["alert_count"] == open_alerts.count() >= 2
    assert {a["id"] for a in person["alerts"]} == set(open_alerts.values_list("pk", flat=True))
    # legal status beside the terrorism flag; the longest overdue of his alerts
    assert person["legal_status"] == "charged" and person["terrorism_related"] is False
    assert person["legal_status_label"] and person["prisoner_number"] == custody.inmate.prisoner_number
    assert person["days_overdue"] == max(a["days_overdue"] for a in person["alerts"] if a["days_overdue"] is not None)
    # the count is of people, and the other prison's man is not there
    assert data["count"] == len(data["results"])
    assert all(p["facility"] == custody.facility.code for p in data["results"])
    assert alerts["klk"].custody_id not in {p["custody"] for p in data["results"]}
    # the reading is audited, as the page's
    assert AuditEntry.objects.filter(action=AuditAction.LIST).count() == before + 1
    # the existing endpoint still answers one entry per alert
    per_alert = client.get("/api/v1/alerts/", {"open": "true"}).json()["results"]
    assert sum(1 for a in per_alert if a["custody"] == custody.pk) == open_alerts.count()


def test_api_by_person_is_in_the_pages_order_and_filters_like_it(client, manager, alerts):
    client.force_login(manager)
    api = [p["custody"] for p in client.get("/api/v1/alerts/by-person/").json()["results"]]
    page = [r["custody"].pk for r in client.get(reverse("deadlines:alert_list")).context["rows"]]
    assert api == page
    data = client.get("/api/v1/alerts/by-person/", {"judge": "sangar", "kind": "overdue"}).json()
    assert [p["custody"] for p in data["results"]] == [alerts["klk"].custody_id]
    assert client.get("/api/v1/alerts/by-person/", {"kind": "nonsense"}).status_code == 400
    assert client.get("/api/v1/alerts/by-person/", {"facility": ""}).status_code == 400


def test_api_by_person_attack_other_prison_and_other_role(client, clerk, alerts, bamako, koulikoro):
    client.force_login(clerk)
    # another prison named in the filter: nothing of it comes back
    data = client.get("/api/v1/alerts/by-person/", {"facility": koulikoro.pk}).json()
    assert data["count"] == 0 and data["results"] == []
    client.force_login(factories.staff(Role.MEDICAL, bamako))
    assert client.get("/api/v1/alerts/by-person/").status_code == 403
    client.logout()
    assert client.get("/api/v1/alerts/by-person/").status_code in (401, 403)
