"""The inspection view of one prison (issue 14, item 6): sections, overdue items, scoping, both doors."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import AuditAction, AuditEntry
from accounts.roles import Role
from detention import services as detention_services
from inmates import deaths
from oversight import inspection
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def registers(bamako, clerk, cell):
    """A death without notifications, an allegation not referred, an ordinary complaint."""
    dead = factories.detainee(bamako, actor=clerk, unit=cell, last_name="KEITA", first_name="Adama")
    death = deaths.record_death(dead.custodies.get(), died_at=timezone.now() - datetime.timedelta(days=2),
                                place="Infirmerie", circumstances="SECRET-CIRCONSTANCES-Q1", actor=clerk)
    alive = factories.detainee(bamako, actor=clerk, unit=cell, last_name="COULIBALY", first_name="Sidi",
                               terrorism=True)
    custody = alive.custodies.get()
    allegation = detention_services.register_complaint(
        custody, complainant_kind="detainee", channel="oral", subject="Coups reçus", details="x",
        is_allegation=True, actor=clerk)
    detention_services.register_complaint(custody, complainant_kind="detainee", channel="written",
                                          subject="Eau", details="y", actor=clerk)
    return {"death": death, "allegation": allegation, "custody": custody}


def _section(data, key):
    return next(s for s in data["sections"] if s["key"] == key)


def test_sections_count_the_period_and_list_overdue_items(registers, director, bamako):  # noqa: F811
    data = inspection.read_inspection(bamako.pk, actor=director)
    deaths_part = _section(data, "deaths")
    assert deaths_part["count"] == 1
    assert len(deaths_part["overdue"]) == 1
    assert "Règle 71" in deaths_part["overdue"][0]["label"]
    assert "SECRET-CIRCONSTANCES-Q1" not in str(data)  # circumstances may be medical: never shown
    complaints = _section(data, "complaints")
    assert complaints["count"] == 2
    assert any("Règle 57" in o["label"] for o in complaints["overdue"])
    occupancy = _section(data, "occupancy")
    assert occupancy["count"] >= 1
    assert {s["key"] for s in data["sections"]} >= {"deaths", "complaints", "alerts", "occupancy", "presentations"}
    assert data["start"] == timezone.localdate() - datetime.timedelta(days=29)


def test_legal_status_is_beside_the_terrorism_flag(registers, director, bamako):  # noqa: F811
    complaints = _section(inspection.read_inspection(bamako.pk, actor=director), "complaints")
    flagged = [r["cells"][2] for r in complaints["rows"] if "terrorisme" in r["cells"][2]]
    assert flagged and all(" — affaire liée au terrorisme" in c and c.split(" — ")[0] for c in flagged)


def test_a_period_before_the_records_counts_nothing(registers, director, bamako):  # noqa: F811
    start = timezone.localdate() - datetime.timedelta(days=300)
    data = inspection.read_inspection(bamako.pk, actor=director, start=start,
                                      end=start + datetime.timedelta(days=10))
    assert _section(data, "deaths")["count"] == 0
    assert len(_section(data, "deaths")["overdue"]) == 1  # overdue whatever its date


def test_a_reversed_or_future_period_is_refused(director, bamako):  # noqa: F811
    from django.core.exceptions import ValidationError

    today = timezone.localdate()
    with pytest.raises(ValidationError):
        inspection.read_inspection(bamako.pk, actor=director, start=today, end=today - datetime.timedelta(days=2))
    with pytest.raises(ValidationError):
        inspection.read_inspection(bamako.pk, actor=director, end=today + datetime.timedelta(days=2))


def test_every_opening_is_audited(registers, director, bamako):  # noqa: F811
    before = AuditEntry.objects.filter(actor=director, action=AuditAction.VIEW).count()
    inspection.read_inspection(bamako.pk, actor=director)
    entry = AuditEntry.objects.filter(actor=director, action=AuditAction.VIEW).latest("pk")
    assert AuditEntry.objects.filter(actor=director, action=AuditAction.VIEW).count() == before + 1
    assert entry.changes["inspection"] == bamako.code and entry.changes["personnes"] >= 2


def test_a_new_section_is_a_few_lines(director, bamako):  # noqa: F811
    @inspection.section("test_register", "Registre d'essai", order=999)
    def build(period):
        return inspection.Section(count=7, count_label="essais", columns=["A"],
                                  rows=[inspection.Row(["x"])], overdue=[inspection.Overdue("en retard")])

    try:
        part = _section(inspection.read_inspection(bamako.pk, actor=director), "test_register")
        assert part["count"] == 7 and part["title"] == "Registre d'essai" and part["overdue"][0]["label"] == "en retard"
    finally:
        inspection.SECTIONS[:] = [s for s in inspection.SECTIONS if s.key != "test_register"]


def test_page_print_and_pdf(client, registers, director, bamako):  # noqa: F811
    client.force_login(director)
    page = client.get(f"/rapports/etablissements/{bamako.pk}/inspection/")
    assert page.status_code == 200
    assert "KEITA" in page.content.decode() and "data-print" in page.content.decode()
    pdf = client.get(f"/rapports/etablissements/{bamako.pk}/inspection.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content[:4] == b"%PDF"
    assert AuditEntry.objects.filter(actor=director, action=AuditAction.EXPORT, facility_id=bamako.pk).exists()
    assert client.get("/rapports/inspection/").status_code == 302  # one prison: straight to it


def test_another_prison_is_a_404_and_a_wrong_role_a_403(client, director, koulikoro, bamako, clerk):  # noqa: F811
    client.force_login(director)
    assert client.get(f"/rapports/etablissements/{koulikoro.pk}/inspection/").status_code == 404
    assert client.get(f"/rapports/etablissements/{koulikoro.pk}/inspection.pdf").status_code == 404
    client.force_login(clerk)
    assert client.get(f"/rapports/etablissements/{bamako.pk}/inspection/").status_code == 403
    for role in (Role.SECURITY, Role.MEDICAL, Role.SOCIAL, Role.ADMIN):
        client.force_login(factories.staff(role, bamako, username=f"insp.{role}"))
        assert client.get(f"/rapports/etablissements/{bamako.pk}/inspection/").status_code == 403
    assert not AuditEntry.objects.filter(reason=inspection.REASON).exists()


def test_dnapes_inspects_any_prison(client, manager, koulikoro):
    client.force_login(manager)
    assert client.get(f"/rapports/etablissements/{koulikoro.pk}/inspection/").status_code == 200
    assert client.get("/rapports/inspection/").status_code == 200


def test_api_door(registers, director, bamako, koulikoro, clerk):  # noqa: F811
    api = APIClient()
    api.force_authenticate(director)
    answer = api.get(f"/api/v1/facilities/{bamako.pk}/inspection/")
    assert answer.status_code == 200
    assert _section(answer.json(), "deaths")["count"] == 1
    assert api.get(f"/api/v1/facilities/{koulikoro.pk}/inspection/").status_code == 404
    assert api.get(f"/api/v1/facilities/{bamako.pk}/inspection/?debut=x").status_code == 400
    api.force_authenticate(clerk)
    assert api.get(f"/api/v1/facilities/{bamako.pk}/inspection/").status_code == 403


def test_discipline_and_isolation_sections_list_pending_decisions_and_isolation_beyond_the_limit(
        bamako, clerk, cell, director):  # noqa: F811
    """The inspector's discipline and isolation registers (Rules 36–46) in the inspection view,
    on data made through the services: a charge awaiting the director's decision, a person in
    isolation for 16 consecutive days with no medical visit recorded."""
    from detention.models.discipline import IsolationPlacement
    from detention.services import isolation
    from tests.detention.discipline_fixtures import ago, heard_charge

    first = factories.detainee(bamako, actor=clerk, unit=cell, last_name="DISCIPLINE")
    second = factories.detainee(bamako, actor=clerk, unit=cell, last_name="ISOLE")
    security = factories.staff(Role.SECURITY, bamako, username="securite.insp")
    heard_charge(first.custodies.get(), reporter=security, hearer=director)
    placement = isolation.place_in_isolation(second.custodies.get(), reason_kind="security", reason="Menaces",
                                             planned_end_on=timezone.localdate() + datetime.timedelta(days=1),
                                             actor=director)
    IsolationPlacement.objects.filter(pk=placement.pk).update(started_at=ago(days=15))
    data = inspection.read_inspection(bamako.pk, actor=director)
    discipline_part = _section(data, "discipline")
    assert discipline_part["count"] == 1 and "DISCIPLINE" in str(discipline_part["rows"])
    assert [o["label"] for o in discipline_part["overdue"]] == ["Décision du directeur attendue"]
    isolation_part = _section(data, "isolation")
    assert isolation_part["count"] == 1 and isolation_part["rows"][0]["cells"][-2] == "16"
    labels = " ".join(o["label"] for o in isolation_part["overdue"])
    assert "Règle 44" in labels and "Règle 46" in labels
