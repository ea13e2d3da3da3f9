"""A DNAPES manager, in a real browser: the backlog page draws its charts under the strict
CSP, and the PDF export downloads."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from casework.deadlines.alerts import run_nightly
from prisons.models import Facility
from tests import factories


@pytest.fixture
def manager_session(transactional_db):
    bamako, koulikoro = Facility.objects.get(code="BKO"), Facility.objects.get(code="KLK")
    clerk = factories.staff(Role.CLERK, bamako)
    now = timezone.now()
    for i, days in enumerate((5, 40, 120, 200, 260, 400, 800)):
        factories.detainee(bamako if i % 3 else koulikoro, actor=clerk, last_name=f"DIARRA{i}",
                           admitted_at=now - dt.timedelta(days=days), terrorism=(i == 5))
    run_nightly()
    manager = factories.staff(Role.DNAPES, username="dnapes.bilan")
    client = Client()
    client.force_login(manager)
    return client.cookies["sessionid"].value


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backlog_page_draws_charts_and_downloads_the_pdf(page, live_server, manager_session):
    csp_errors = []
    page.on("console", lambda msg: csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.context.add_cookies([{"name": "sessionid", "value": manager_session, "url": live_server.url}])

    page.goto(live_server.url + reverse("deadlines:backlog"))
    expect(page.get_by_role("heading", name="Bilan national de la détention provisoire")).to_be_visible()
    expect(page.locator("html[data-charts=ready]")).to_have_count(1)
    expect(page.locator("#chart-buckets")).to_be_visible()
    assert page.locator("#chart-buckets").bounding_box()["height"] > 50
    page.screenshot(path="/tmp/backlog.png", full_page=True)

    # The PDF is prepared in the background (issue 11): its page, its progress bar, then the file.
    page.locator("#export-pdf").click()
    page.wait_for_url("**/rapports/exports/*/")
    expect(page.locator("progress#export-progress")).to_have_attribute("value", "100", timeout=30_000)
    with page.expect_download() as info:
        page.locator("#export-download").click()
    download = info.value
    assert download.suggested_filename.startswith("bilan-detention-provisoire-national-")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"

    # From the report to the alerts, sorted by days overdue, each with the legal status.
    page.goto(live_server.url + reverse("deadlines:backlog"))
    page.get_by_role("link", name="Délai dépassé sans prolongation").first.click()
    expect(page.get_by_role("heading", name="Alertes de détention provisoire — niveau national")).to_be_visible()
    expect(page.locator("table.alerts tbody tr").first).to_contain_text("Inculpé, en attente de jugement")
    page.screenshot(path="/tmp/alerts.png", full_page=True)
    assert csp_errors == []
