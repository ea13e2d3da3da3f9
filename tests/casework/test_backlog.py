"""The backlog report: figures, page, exports (formula-safe), API, scoping."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditAction, AuditEntry
from casework import services as case_services
from casework.deadlines.backlog import backlog, nearest_rank, safe_cell, write_snapshots
from casework.deadlines.sweep import sweep
from casework.models import BacklogSnapshot
from inmates.models import Custody
from tests import factories

pytestmark = pytest.mark.django_db


def held(facility, clerk, *, days, **kw):
    inmate = factories.detainee(facility, actor=clerk, admitted_at=timezone.now() - dt.timedelta(days=days), **kw)
    return Custody.objects.get(inmate=inmate)


@pytest.fixture
def population(bamako, koulikoro, clerk, other_clerk):
    held(bamako, clerk, days=10, last_name="A")
    held(bamako, clerk, days=100, last_name="B")
    held(bamako, clerk, days=400, last_name="C", terrorism=True)
    held(bamako, clerk, days=50, last_name="D", terrorism=True, convicted=True)
    custody = held(koulikoro, other_clerk, days=800, last_name="E")
    case_services.update_case(custody.cases.get(), actor=other_clerk, investigating_judge="=HYPERLINK(\"x\")")
    sweep()


@pytest.mark.parametrize("histogram, fraction, expected", [
    ([], 0.5, None),
    ([(5, 1)], 0.9, 5),
    ([(1, 1), (2, 1), (3, 1), (4, 1)], 0.5, 2),
    ([(1, 1), (2, 1), (3, 1), (4, 1)], 0.9, 4),
    ([(10, 9), (500, 1)], 0.9, 10),
])
def test_nearest_rank_matches_percentile_disc(histogram, fraction, expected):
    assert nearest_rank(histogram, fraction) == expected


@pytest.mark.parametrize("value, expected", [
    ("=SUM(A1)", "'=SUM(A1)"), ("+33", "'+33"), ("-1", "'-1"), ("@cmd", "'@cmd"), ("Diarra", "Diarra"), (12, 12),
])
def test_spreadsheet_formulas_are_neutralised(value, expected):
    assert safe_cell(value) == expected


def test_national_figures(population, bamako, koulikoro):
    report = backlog(today=timezone.localdate())
    t = report["totals"]
    assert (t["held"], t["untried"], t["terrorism"], t["terrorism_untried"]) == (5, 4, 2, 1)
    assert t["untried_share"] == 80.0 and t["terrorism_untried_share"] == 50.0
    buckets = {b["key"]: b["count"] for b in report["buckets"]}
    # untried, counted from arrest (2 days before admission): 12, 102, 402, 802 days
    assert buckets == {"lt1": 1, "1to6": 1, "6to12": 0, "12to24": 1, "24to36": 1, "gt36": 0}
    assert (report["median_days_untried"], report["p90_days_untried"]) == (102, 802)
    alerts = {a["kind"]: a["count"] for a in report["alerts"]}
    assert alerts["overdue"] == 2  # délit > 2 years past 6 months: C is a crime (12 months), E délit
    bko = next(f for f in report["facilities"] if f["id"] == bamako.pk)
    assert (bko["held"], bko["untried"], bko["terrorism"]) == (4, 3, 2)
    assert bko["congestion"] == round(100 * 4 / bamako.official_capacity, 1)
    assert sum(c["untried"] for c in report["by_court"]) == 4


def test_facility_scope(population, koulikoro):
    report = backlog(facility_ids=[koulikoro.pk], today=timezone.localdate())
    assert report["totals"]["held"] == 1 and [f["id"] for f in report["facilities"]] == [koulikoro.pk]


def test_page_for_dnapes_with_charts_data(client, manager, population):
    client.force_login(manager)
    response = client.get(reverse("deadlines:backlog"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="backlog-data" type="application/json"' in body
    assert "vendor/chartjs/chart.umd.min.js" in body and "js/backlog-charts.js" in body
    assert "<script>" not in body  # strict CSP: no inline script
    assert "présumés innocents" in body


def test_director_sees_their_prison_and_not_another(client, director, population, koulikoro, bamako):
    client.force_login(director)
    response = client.get(reverse("deadlines:backlog"))
    assert response.status_code == 200
    assert response.context["report"]["totals"]["held"] == 4
    assert client.get(reverse("deadlines:backlog"), {"facility": koulikoro.pk}).status_code == 404
    assert client.get(reverse("deadlines:backlog"), {"facility": bamako.pk}).status_code == 200
    assert client.get(reverse("deadlines:backlog_csv"), {"facility": koulikoro.pk}).status_code == 404


def test_clerk_has_no_backlog_report(client, clerk):
    client.force_login(clerk)
    assert client.get(reverse("deadlines:backlog")).status_code == 403
    assert client.get("/api/v1/reports/backlog/").status_code == 403


def test_csv_export_is_formula_safe_and_audited(client, manager, population):
    client.force_login(manager)
    response = client.get(reverse("deadlines:backlog_csv"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    cells = [cell for row in rows for cell in row]
    assert "'=HYPERLINK(\"x\")" in cells and "=HYPERLINK(\"x\")" not in cells
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT, actor=manager).exists()


def test_xlsx_export(client, manager, population):
    from openpyxl import load_workbook

    client.force_login(manager)
    response = client.get(reverse("deadlines:backlog_xlsx"))
    book = load_workbook(io.BytesIO(response.content))
    judges = book["Par juge d'instruction"]
    values = [cell.value for row in judges.iter_rows() for cell in row]
    assert "'=HYPERLINK(\"x\")" in values
    assert book["Établissements"]["B1"].value == "Établissement"


def test_pdf_export(client, manager, population):
    client.force_login(manager)
    response = client.get(reverse("deadlines:backlog_pdf"))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert client.get(reverse("deadlines:backlog") + "export.doc").status_code == 404


def test_api_returns_the_same_figures_as_the_page(client, manager, director, population, koulikoro):
    client.force_login(manager)
    data = client.get("/api/v1/reports/backlog/").json()
    page = client.get(reverse("deadlines:backlog")).context["report"]
    assert data["totals"] == page["totals"]
    assert data["median_days_untried"] == page["median_days_untried"]
    assert [b["count"] for b in data["buckets"]] == [b["count"] for b in page["buckets"]]
    assert data["by_judge"] == page["by_judge"]
    client.force_login(director)
    assert client.get("/api/v1/reports/backlog/", {"facility": koulikoro.pk}).status_code == 404
    assert client.get("/api/v1/reports/backlog/", {"facility": "x"}).status_code == 404
    assert client.get("/api/v1/reports/backlog/").json()["totals"]["held"] == 4


def test_daily_snapshots_make_the_trend(client, manager, population):
    today = timezone.localdate()
    write_snapshots(today - dt.timedelta(days=1))
    write_snapshots(today)
    write_snapshots(today)  # idempotent for the day
    assert BacklogSnapshot.objects.filter(facility__isnull=True).count() == 2
    client.force_login(manager)
    trend = client.get(reverse("deadlines:backlog")).context["chart_data"]["trend"]
    assert [p["day"] for p in trend] == [(today - dt.timedelta(days=1)).isoformat(), today.isoformat()]
    assert trend[-1]["untried"] == 4 and trend[-1]["overdue"] == 2
