"""One figure, one definition: capacity, population and occupancy rate are the same on the home
page, the occupancy report and the backlog report, through the page, the API and the exports;
prisons out of service are shown apart and never counted in the capacity."""

import csv
import io

import pytest
from django.urls import reverse

from accounts.roles import Role
from prisons import services as prison_services
from prisons.figures import published_figures, published_totals
from prisons.models import Facility, FacilityStatus
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_definition_counts_only_prisons_in_service():
    rows = [{"status": "operational", "capacity": 300, "held": 170, "untried": 100},
            {"status": "operational", "capacity": 100, "held": 57, "untried": 7},
            {"status": "destroyed", "capacity": 60, "held": 0, "untried": 0},
            {"status": "closed", "capacity": 40, "held": 3, "untried": 3}]
    totals = published_totals(rows)
    # 227 held in service for 400 places: 56.75 → 56.8 %, not 227 / 500 (the destroyed and
    # closed prisons' places do not exist) nor 230 / 400 (people held elsewhere are apart).
    assert (totals["held"], totals["capacity"], totals["congestion"]) == (227, 400, 56.8)
    assert totals["untried"] == 107 and totals["untried_share"] == 47.1
    assert totals["apart"] == {"facilities": 2, "held": 3, "untried": 3}


@pytest.fixture
def country(bamako, koulikoro):
    """3 held in Bamako, 2 in Koulikoro (1 terrorism-related, convicted), 2 in Kati, which then closes."""
    bko, klk = factories.staff(Role.CLERK, bamako), factories.staff(Role.CLERK, koulikoro)
    for _ in range(3):
        factories.detainee(bamako, actor=bko)
    factories.detainee(koulikoro, actor=klk)
    factories.detainee(koulikoro, actor=klk, terrorism=True, convicted=True)
    kati = Facility.objects.get(code="KTI")
    kti = factories.staff(Role.CLERK, kati)
    factories.detainee(kati, actor=kti)
    factories.detainee(kati, actor=kti)
    admin = factories.staff(Role.ADMIN)
    prison_services.update_facility(kati, actor=admin, status=FacilityStatus.CLOSED, reason="Fermeture (test)")
    return kati


def _csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def _french(rate):
    return f"{rate:.1f}".replace(".", ",") + " %"


def test_the_same_figures_on_home_occupancy_and_backlog_pages_api_and_exports(client, manager, country):
    expected = published_figures()
    operational = Facility.objects.filter(status=FacilityStatus.OPERATIONAL)
    assert expected["capacity"] == sum(f.official_capacity for f in operational)
    assert expected["held"] == 5 and expected["apart"]["held"] == 2
    assert expected["apart"]["facilities"] == Facility.objects.exclude(status=FacilityStatus.OPERATIONAL).count()
    figure = (expected["capacity"], expected["held"], expected["congestion"])
    client.force_login(manager)

    home = client.get(reverse("home"))
    t = home.context["totals"]
    assert (t["capacity"], t["held"], t["congestion"]) == figure
    occupancy_page = client.get(reverse("oversight:report", args=["occupancy"]))
    t = occupancy_page.context["data"]["totals"]
    assert (t["capacity"], t["held"], t["congestion"]) == figure
    backlog_page = client.get(reverse("deadlines:backlog"))
    t = backlog_page.context["report"]["totals"]
    assert (t["capacity"], t["held"], t["congestion"]) == figure
    for page in (home, occupancy_page, backlog_page):  # the same rate, printed the same way
        assert _french(expected["congestion"]) in page.content.decode()

    for url in ("/api/v1/reports/occupancy/", "/api/v1/reports/backlog/"):
        t = client.get(url).json()["totals"]
        assert (t["capacity"], t["held"], t["congestion"]) == figure, url
        assert t["apart"]["held"] == 2

    rows = _csv_rows(client.get(reverse("oversight:export", args=["occupancy", "csv"])))
    total = next(r for r in rows if len(r) > 5 and r[1] == "Total national")
    assert (int(total[3]), int(total[4]), float(total[5].replace(",", "."))) == figure  # decimal comma
    rows = _csv_rows(client.get(reverse("deadlines:backlog_csv")))
    total = next(r for r in rows if len(r) > 5 and r[1] == "Total")
    assert (int(total[2]), int(total[3]), float(total[4].replace(",", "."))) == figure

    # The closed prison and its two people are shown apart, never in the capacity.
    others = occupancy_page.context["data"]["other_facilities"]
    assert [(f["code"], f["held"]) for f in others if f["held"]] == [("KTI", 2)]
    assert ("KTI", 2) in [(f["code"], f["held"]) for f in backlog_page.context["report"]["other_facilities"]]
    assert "KTI" not in [f["code"] for f in backlog_page.context["report"]["facilities"]]
    assert any(f.code == "KTI" for f in home.context["others"])
