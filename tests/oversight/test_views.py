"""Both doors (pages, API) and the exports: access, scoping, audit, formats."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import AuditEntry
from accounts.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db

REPORTS = ["occupancy", "roll", "separation", "activities", "profiles", "register"]


@pytest.fixture
def people(bamako, koulikoro, clerk, cell):
    factories.detainee(bamako, actor=clerk, unit=cell, last_name="=HYPERLINK(\"http://x\")")
    factories.detainee(koulikoro, actor=factories.staff(Role.CLERK, koulikoro), last_name="KONATE")


@pytest.mark.parametrize("key", REPORTS)
def test_a_director_opens_each_report_for_their_prison_and_the_read_is_audited(client, director, bamako, people,
                                                                               key):
    client.force_login(director)
    response = client.get(reverse("oversight:report", args=[key]))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'style="' not in content and "<script>" not in content  # strict CSP: no inline code
    if key in ("roll", "register"):
        assert "=HYPERLINK" in content and "KONATE" not in content  # their own prison only
    entry = AuditEntry.objects.filter(actor=director, action="view").latest("id")
    assert entry.changes["report"] == key and entry.changes["facilities"] == [bamako.pk]


@pytest.mark.parametrize("key", REPORTS)
def test_a_dnapes_manager_sees_every_prison(client, manager, koulikoro, people, key):
    client.force_login(manager)
    params = {"etablissement": koulikoro.pk} if key in ("roll", "register") else {}
    response = client.get(reverse("oversight:report", args=[key]), params)
    assert response.status_code == 200
    if key == "occupancy":
        assert "Maison centrale d&#x27;arrêt de Koulikoro" in response.content.decode()
        assert "Maison d&#x27;arrêt de Kidal" in response.content.decode()  # destroyed: listed apart


def test_the_national_roll_asks_for_a_prison(client, manager, people):
    client.force_login(manager)
    response = client.get(reverse("oversight:report", args=["roll"]))
    assert response.status_code == 200
    assert "Choisissez un établissement" in response.content.decode()


@pytest.mark.parametrize("key", REPORTS)
def test_other_roles_are_refused_and_another_prison_is_not_found(client, clerk, director, koulikoro, key):
    client.force_login(factories.staff(Role.MEDICAL, koulikoro, username="medecin.kkoro"))
    assert client.get(reverse("oversight:report", args=[key])).status_code == 403
    assert client.get(f"/api/v1/reports/{key}/").status_code == 403
    assert client.get(reverse("oversight:export", args=[key, "csv"])).status_code == 403
    if key != "roll":  # the roll is the registry's too (test below)
        client.force_login(clerk)
        assert client.get(reverse("oversight:report", args=[key])).status_code == 403
        assert client.get(f"/api/v1/reports/{key}/").status_code == 403
        assert client.get(reverse("oversight:export", args=[key, "csv"])).status_code == 403
    client.force_login(director)
    assert client.get(reverse("oversight:report", args=[key]), {"etablissement": koulikoro.pk}).status_code == 404
    assert client.get(f"/api/v1/reports/{key}/", {"etablissement": koulikoro.pk}).status_code == 404
    assert client.get(reverse("oversight:export", args=[key, "pdf"]),
                      {"etablissement": koulikoro.pk}).status_code == 404


def test_the_api_is_scoped_validated_and_audited(client, director, manager, bamako, people):
    client.force_login(director)
    data = client.get("/api/v1/reports/occupancy/").json()
    assert [f["code"] for f in data["facilities"]] == ["BKO"]
    assert data["facilities"][0]["held"] == 1
    roll = client.get("/api/v1/reports/roll/").json()
    assert roll["facility"]["code"] == "BKO" and roll["count"] == 1
    bad = client.get("/api/v1/reports/occupancy/", {"date": "2026-13-40"})
    assert bad.status_code == 400 and "Date invalide" in bad.json()["date"][0]
    future = client.get("/api/v1/reports/separation/", {"date": "2999-01-01"})
    assert future.status_code == 400 and "futur" in future.json()["date"][0]
    client.force_login(manager)
    national = client.get("/api/v1/reports/occupancy/").json()
    assert national["totals"]["held"] == 2
    assert client.get("/api/v1/reports/roll/").status_code == 400  # which prison?
    assert AuditEntry.objects.filter(actor=manager, action="view", changes__report="occupancy").exists()
    assert client.get("/api/v1/reports/backlog-not-mine/").status_code == 404


def test_a_bad_date_on_a_page_is_explained_and_today_shown(client, director, people):
    client.force_login(director)
    response = client.get(reverse("oversight:report", args=["occupancy"]), {"date": "hier"})
    assert response.status_code == 200
    assert "Date invalide" in response.content.decode()


def test_csv_export_is_formula_safe_and_audited(client, director, people):
    client.force_login(director)
    response = client.get(reverse("oversight:export", args=["roll", "csv"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    assert ";=HYPERLINK" not in text and "\n=HYPERLINK" not in text
    entry = AuditEntry.objects.filter(actor=director, action="export").latest("id")
    assert entry.changes["report"] == "roll" and entry.changes["format"] == "csv"


@pytest.mark.parametrize("key", REPORTS)
def test_xlsx_export_opens_with_openpyxl(client, manager, koulikoro, people, key):
    client.force_login(manager)
    response = client.get(reverse("oversight:export", args=[key, "xlsx"]), {"etablissement": koulikoro.pk})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    cells = [c for row in book.active.iter_rows(values_only=True) for c in row if c is not None]
    assert cells[0].startswith(("Occupation", "Appel", "Séparation", "Accès", "Profils", "Registre"))
    assert not any(isinstance(c, str) and c.startswith("=") for c in cells)


@pytest.mark.parametrize("key", REPORTS)
def test_pdf_export_is_a_pdf(client, director, people, key):
    client.force_login(director)
    response = client.get(reverse("oversight:export", args=[key, "pdf"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_an_unknown_format_or_report_is_not_found(client, manager):
    client.force_login(manager)
    assert client.get("/rapports/occupancy/export.doc").status_code == 404
    assert client.get("/rapports/salaires/").status_code == 404


def test_the_navigation_shows_reports_to_those_who_may_read_them(client, director, clerk):
    client.force_login(director)
    assert reverse("oversight:index") in client.get(reverse("oversight:index")).content.decode()
    client.force_login(clerk)
    home = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("oversight:index")}"' not in home
    assert f'href="{reverse("oversight:report", args=["roll"])}"' in home  # the roll alone


@pytest.mark.parametrize("role", [Role.CLERK, Role.SECURITY])
def test_the_registry_and_security_print_their_prisons_evening_roll_and_nothing_else(client, bamako, koulikoro,
                                                                                   people, role):
    """Issue 11: the roll "to print for the door" answered 403 to the people at the door."""
    user = factories.staff(role, bamako, username=f"porte.{role}")
    client.force_login(user)
    page = client.get(reverse("oversight:report", args=["roll"]))
    assert page.status_code == 200
    assert "=HYPERLINK" in page.content.decode() and "KONATE" not in page.content.decode()
    assert client.get(reverse("oversight:export", args=["roll", "pdf"])).status_code == 200
    api = client.get("/api/v1/reports/roll/")
    assert api.status_code == 200 and api.json()["facility"]["id"] == bamako.pk
    entry = AuditEntry.objects.filter(actor=user, action="view").latest("id")
    assert entry.changes["report"] == "roll"
    # Another prison's roll is not found; the other reports stay the direction's.
    assert client.get(reverse("oversight:report", args=["roll"]), {"etablissement": koulikoro.pk}).status_code == 404
    assert client.get("/api/v1/reports/roll/", {"etablissement": koulikoro.pk}).status_code == 404
    assert client.get(reverse("oversight:report", args=["occupancy"])).status_code == 403
    assert client.get("/api/v1/reports/register/").status_code == 403
    index = client.get(reverse("oversight:index"))
    assert index.status_code == 200 and reverse("oversight:report", args=["occupancy"]) not in index.content.decode()
