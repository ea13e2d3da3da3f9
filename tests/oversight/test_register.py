"""The register of persons deprived of liberty (ICPPED art. 17(3)): who, since when, arrested
by whom and where, the chain of earlier custody, by which authority and on what grounds, where
held, legal status beside the terrorism flag; who left that day. Pages, API, exports, audited."""

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import AuditEntry
from accounts.roles import Role
from inmates import movements, services
from inmates.models import Custody
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(bamako, koulikoro, clerk, cell):
    held = factories.detainee(bamako, actor=clerk, unit=cell, last_name="TRAORÉ", terrorism=True)
    custody = Custody.objects.get(inmate=held)
    services.update_custody(custody, actor=clerk, reason="Mandat", committing_authority="Juge d'instruction, PJS",
                            grounds="Association de malfaiteurs en relation avec une entreprise terroriste")
    services.record_prior_custody(custody, actor=clerk, kind="state_security", place="Sécurité d'État",
                                  authority="DGSE", started_at=custody.admitted_at - datetime.timedelta(days=20),
                                  ended_at=custody.admitted_at - datetime.timedelta(days=3))
    gone = factories.detainee(bamako, actor=clerk, unit=cell, last_name="COULIBALY")
    movements.release(Custody.objects.get(inmate=gone), reason="provisional", authority="Juge", order_reference="LP-1",
                     order_received_at=timezone.now() - datetime.timedelta(hours=2), actor=clerk)
    factories.detainee(koulikoro, actor=factories.staff(Role.CLERK, koulikoro), last_name="KONATE")
    return custody


def test_the_register_holds_every_item_of_article_17_3(client, director, people):
    client.force_login(director)
    data = client.get("/api/v1/reports/register/").json()
    assert data["facility"]["code"] == "BKO" and data["count"] == 1
    row = data["people"][0]
    assert row["name"].startswith("TRAORÉ") and row["terrorism_related"] is True
    assert row["legal_status_label"]  # presumption of innocence: the status beside the flag
    assert row["committing_authority"] == "Juge d'instruction, PJS" and row["grounds"].startswith("Association")
    assert row["arresting_force"] == "Police nationale" and row["arrest_place"] and row["arrested_at"]
    assert row["prior_custody"][0]["place"] == "Sécurité d'État" and row["prior_custody"][0]["authority"] == "DGSE"
    assert row["deprived_since"][:10] == row["prior_custody"][0]["started_at"][:10]
    assert row["unit"] == people.placements.get(ended_at__isnull=True).unit.name
    assert [p["name"].split()[0] for p in data["left"]] == ["COULIBALY"]
    assert data["left"][0]["release_reason"] == "Liberté provisoire"
    assert "KONATE" not in str(data)
    entry = AuditEntry.objects.filter(actor=director, action="view").latest("id")
    assert entry.changes["report"] == "register" and entry.facility.code == "BKO"


def test_the_page_flags_what_is_missing_and_the_exports_carry_the_columns(client, director, people, clerk, cell,
                                                                         bamako):
    factories.detainee(bamako, actor=clerk, unit=cell, last_name="SIDIBÉ")  # no authority, no grounds
    client.force_login(director)
    html = client.get("/rapports/register/").content.decode()
    assert "TRAORÉ" in html and "Sécurité d&#x27;État" in html and "non inscrite" in html
    assert "Affaire liée au terrorisme" in html and people.get_legal_status_display() in html
    book = load_workbook(io.BytesIO(client.get("/rapports/register/export.xlsx").content))
    cells = [c for row in book.active.iter_rows(values_only=True) for c in row if c is not None]
    for text in ("Autorité ayant ordonné la détention", "Motifs", "Gardes antérieures", "Privé de liberté depuis"):
        assert text in cells
    assert "Juge d'instruction, PJS" in cells
    csv = client.get("/rapports/register/export.csv").content.decode("utf-8-sig")
    assert "Sécurité d'État" in csv and "COULIBALY" in csv


def test_an_earlier_day_shows_who_was_held_then(client, director, people):
    client.force_login(director)
    before = (people.admitted_at - datetime.timedelta(days=1)).date().isoformat()
    data = client.get("/api/v1/reports/register/", {"date": before}).json()
    assert "TRAORÉ" not in str(data["people"])


def test_the_national_reader_chooses_a_prison_and_another_prison_is_not_found(client, manager, director,
                                                                              koulikoro, people):
    client.force_login(manager)
    assert client.get("/api/v1/reports/register/").status_code == 400
    assert client.get("/api/v1/reports/register/", {"etablissement": koulikoro.pk}).json()["count"] == 1
    client.force_login(director)
    assert client.get("/api/v1/reports/register/", {"etablissement": koulikoro.pk}).status_code == 404
