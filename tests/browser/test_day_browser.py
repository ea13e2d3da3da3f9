"""Issue 11, items 3-4, in a real browser, each as the role concerned, on the walks' data set (made
through the real workflow): the property receipt's amounts in FCFA, the release receipt's legal
status, no risk level preselected, "0 occupant pour 1 place", the family visit outside the
visiting days authorised by the director, the alerts one row per person, the background export's
progress bar. Screenshots: /tmp/day-<name>.png."""

import io

import pytest
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from prisons.models import Facility
from tests import factories
from tests.walks.workflow import build

NBSP = "\u00a0"


@pytest.fixture
def data_set(transactional_db):
    from tests.conftest import load_reference_data

    if not Facility.objects.exists():
        load_reference_data()
    with override_settings(OTP_REQUIRED=False):
        return build()


def _as(page, live_server, member):
    """The browser takes over the member's signed-in session (made through the login page)."""
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": member.client.cookies["sessionid"].value, "url": live_server.url}]
    )


def _shot(page, name):
    page.screenshot(path=f"/tmp/day-{name}.png", full_page=True)


def _pdf_text(path):
    from pypdf import PdfReader

    with open(path, "rb") as handle:
        return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(handle.read())).pages)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@override_settings(OTP_REQUIRED=False)
def test_each_role_meets_the_fixes_of_items_3_and_4(page, live_server, data_set):
    csp_errors = []
    page.on("console", lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None)
    url = live_server.url
    staff, people, made = data_set.staff, data_set.people, data_set.made
    a, b = people["A"], people["B"]

    # The clerk: the property on A's intake sheet and on the receipt, "FCFA" whole, amounts grouped.
    _as(page, live_server, staff["clerk"])
    page.goto(url + reverse("intake:intake_sheet", args=[a.intake]))
    expect(page.locator("main")).to_contain_text(f"12{NBSP}500{NBSP}FCFA")
    assert "FCF " not in page.locator("main").inner_text().replace(NBSP, " ") + " "
    _shot(page, "clerk-intake-sheet-fcfa")
    with page.expect_download() as info:
        page.evaluate("href => { const a = document.createElement('a'); a.href = href; a.download = '';"
                      " document.body.appendChild(a); a.click(); }",
                      reverse("intake:registry_receipt", args=[a.intake]))
    receipt = _pdf_text(info.value.path())
    assert "FCFA" in receipt and "12" in receipt and "500" in receipt

    # The clerk: D's release receipt says the stay is over and the legal status at the release.
    page.goto(url + reverse("life:release_receipt", args=[made["release"]]))
    fields = page.locator("dl.fields", has_text="Statut juridique à la sortie")
    expect(fields).to_contain_text("Statut juridique à la sortie")
    expect(fields.locator("dt:has-text('Situation du séjour') + dd")).to_contain_text("Libéré")
    status_at_release = fields.locator("dt:has-text('Statut juridique à la sortie') + dd").inner_text().strip()
    assert status_at_release and status_at_release != "—"
    _shot(page, "clerk-release-receipt")

    # The security officer: the risk classification has no level chosen in advance.
    _as(page, live_server, staff["security"])
    page.goto(url + reverse("life:classification_form", args=[b.custody]))
    risk = page.locator("select[name=risk]")
    expect(risk).to_have_value("")
    assert risk.locator("option:checked").inner_text().startswith("—")
    _shot(page, "security-classification-no-preselected-risk")
    page.get_by_role("button", name="Enregistrer").first.click()
    expect(page.locator("main")).to_contain_text("obligatoire")  # the level stays required

    # The director: an empty single room reads "0 occupant pour 1 place".
    bamako = Facility.objects.get(code="BKO")
    factories.UnitFactory(facility=bamako, code="I9", name="Chambre d'isolement I9", capacity=1)
    _as(page, live_server, staff["director"])
    page.goto(url + reverse("prisons:facility_detail", args=[bamako.pk]))
    room = page.locator("section.block", has_text="Chambre d'isolement I9")
    expect(room.locator(".occ")).to_have_text("0 occupant pour 1 place")
    assert "0 / 1" not in room.inner_text()
    room.scroll_into_view_if_needed()
    _shot(page, "director-occupancy-wording")

    # A family visit on a day that is not a visiting day: the clerk is refused and told the
    # direction may authorise; the director authorises it, with its reason, on the register.
    today = timezone.localdate()
    page.goto(url + reverse("life:visiting_days", args=[bamako.pk]))
    page.locator(f"input[name=days][value='{today.weekday()}']").uncheck()
    page.locator("main form button[type=submit]").last.click()
    expect(page.locator(".messages")).to_be_visible()
    visit = {"last_name": "Kouyaté", "first_name": "Fanta", "id_document_number": "N-90001", "relation": "Mère"}
    _as(page, live_server, staff["clerk"])
    page.goto(url + reverse("life:visit_add", args=[b.custody]))
    for name, value in visit.items():
        page.fill(f"[name={name}]", value)
    page.select_option("select[name=kind]", "family")
    assert page.locator("[name=exception_reason]").count() == 0  # only the direction has the field
    page.locator("main form button[type=submit]").last.click()
    expect(page.locator("main")).to_contain_text("direction")
    _shot(page, "clerk-visit-refused-outside-visiting-days")
    _as(page, live_server, staff["director"])
    page.goto(url + reverse("life:visit_add", args=[b.custody]))
    for name, value in visit.items():
        page.fill(f"[name={name}]", value)
    page.select_option("select[name=kind]", "family")
    page.fill("[name=exception_reason]", "Mère venue de Kayes, repart demain")
    page.locator("main form button[type=submit]").last.click()
    expect(page.locator(".messages")).to_contain_text("La visite est inscrite au registre.")
    page.goto(url + reverse("life:visit_list", args=[bamako.pk]) + f"?jour={today.isoformat()}")
    row = page.locator("tr", has_text="Kouyaté")
    expect(row).to_contain_text("hors jour de visite")
    expect(row).to_contain_text("Mère venue de Kayes")
    _shot(page, "director-visit-exception")

    # The director: the alerts, one row per person with all their alerts, inside their card.
    page.goto(url + reverse("deadlines:alert_list"))
    rows = page.locator("table.alerts tbody tr")
    expect(rows.first).to_be_visible()
    names = [rows.nth(i).locator("td").first.locator("a, :scope").first.inner_text().split("\n")[0]
             for i in range(rows.count())]
    assert len(names) == len(set(names)), names  # each person once
    assert any(rows.nth(i).locator("ul.alert-items li").count() > 1 for i in range(rows.count()))
    table, scroller = page.locator("table.alerts").bounding_box(), page.locator(".table-scroll").first.bounding_box()
    assert scroller["x"] + scroller["width"] <= 1280
    assert table["x"] >= scroller["x"] - 1
    _shot(page, "director-alerts-one-row-per-person")

    # The director: the backlog PDF is prepared in the background; its page shows the progress
    # bar, then the file to download.
    page.goto(url + reverse("deadlines:backlog") + f"?facility={bamako.pk}")
    page.locator("#export-pdf").click()
    page.wait_for_url("**/rapports/exports/*/")
    expect(page.locator("progress#export-progress")).to_be_visible()
    expect(page.locator("#export-status")).to_have_text("Prêt", timeout=30_000)
    expect(page.locator("progress#export-progress")).to_have_attribute("value", "100")
    _shot(page, "director-export-progress")
    with page.expect_download() as info:
        page.locator("#export-download").click()
    download = info.value
    assert download.suggested_filename.startswith(f"bilan-detention-provisoire-{bamako.code}-")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
    page.goto(url + reverse("oversight:export_list"))
    expect(page.locator("main")).to_contain_text("Bilan de la détention provisoire")
    _shot(page, "director-my-exports")
    # Nobody else opens it: Koulikoro's director, by the URL.
    job_url = download.url
    _as(page, live_server, staff["director_klk"])
    assert page.request.get(job_url).status == 404
    assert csp_errors == []
