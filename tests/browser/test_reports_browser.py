"""A DNAPES manager, in a real browser, opens each oversight report: tables, charts, no CSP error."""

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from detention import services as detention_services
from inmates import services as inmate_services
from inmates.models import Custody
from oversight.reports import write_occupancy_snapshots
from prisons.models import Facility, Region
from tests import factories
from tests.factories import PASSWORD

REPORTS = [("occupancy", "Occupation et surpopulation"), ("roll", "Appel du soir"),
           ("separation", "Séparation des catégories"), ("activities", "Accès aux activités"),
           ("profiles", "Profils des personnes détenues pour terrorisme")]


@pytest.fixture
def national(transactional_db, settings):
    settings.OTP_REQUIRED = False
    bamako, koulikoro = Facility.objects.get(code="BKO"), Facility.objects.get(code="KLK")
    clerk = factories.staff(Role.CLERK, bamako)
    director = factories.staff(Role.DIRECTOR, bamako)
    klk_clerk = factories.staff(Role.CLERK, koulikoro)
    general = factories.UnitFactory(facility=bamako, code="A1", name="Cellule A1", capacity=6)
    veo = factories.UnitFactory(facility=bamako, code="QJ", name="Quartier désigné", capacity=10, regime="veo")
    workshop = detention_services.create_activity(bamako, name="Couture", kind="tailoring",
                                               open_to_regimes=["standard"], actor=director)
    names = ["COULIBALY", "DIALLO", "KEITA", "SANGARE", "TOURE", "CISSE", "MAIGA", "TRAORE"]
    for i, name in enumerate(names):
        person = factories.detainee(bamako, actor=clerk, unit=general, last_name=name, convicted=i % 3 == 0)
        if i < 4:
            detention_services.enrol(workshop, custody=Custody.objects.get(inmate=person, status="held"),
                                  actor=director)
    for i in range(7):
        person = factories.detainee(bamako, actor=clerk, unit=veo, terrorism=True, last_name=f"AG {names[i]}",
                                    convicted=i == 0, birth_year=1985 + i,
                                    region_of_origin=Region.objects.get(code="GAO" if i < 5 else "TBK"))
        inmate_services.record_social_profile(person, actor=director, involvement="voluntary" if i < 5 else "denies",
                                              ethnic_group="songhai", affiliations=["mujao"],
                                              engagement_reasons=["economic", "identity"])
    factories.detainee(bamako, actor=clerk, unit=general, terrorism=True, last_name="MIXTE")  # mixes a unit
    for _ in range(3):
        factories.detainee(koulikoro, actor=klk_clerk)
    write_occupancy_snapshots()
    return factories.staff(Role.DNAPES, username="dnapes.rapports")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_manager_opens_each_report_with_its_table_and_chart(page, live_server, national):
    console_errors = []
    page.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)
    page.goto(live_server.url + "/comptes/connexion/")
    page.get_by_label("Identifiant").fill("dnapes.rapports")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("link", name="Rapports", exact=True).click()
    expect(page.get_by_role("heading", name="Rapports de supervision")).to_be_visible()
    bamako = Facility.objects.get(code="BKO")

    for key, title in REPORTS:
        query = f"?etablissement={bamako.pk}" if key == "roll" else ""
        page.goto(f"{live_server.url}/rapports/{key}/{query}")
        expect(page.get_by_role("heading", level=1)).to_contain_text(title)
        expect(page.locator("table").first).to_be_visible()
        drawn = page.evaluate(
            "() => Array.from(document.querySelectorAll('canvas[data-chart]'))"
            ".filter(c => window.Chart && Chart.getChart(c)).length")
        assert drawn >= 1, key
        page.screenshot(path=f"/tmp/report-{key}.png", full_page=True)

    page.goto(f"{live_server.url}/rapports/profiles/")
    body = page.locator("main").inner_text()
    assert "COULIBALY" not in body and "AG " not in body  # no names in the profiles
    assert "< 5" in body
    page.goto(f"{live_server.url}/rapports/roll/?etablissement={bamako.pk}")
    expect(page.get_by_role("cell", name="COULIBALY Mamadou", exact=True)).to_be_visible()
    # The PDF is prepared in the background (issue 11): its page, its progress bar, then the file.
    page.get_by_role("button", name="PDF").click()
    page.wait_for_url("**/rapports/exports/*/")
    expect(page.locator("#export-status")).to_have_text("Prêt", timeout=30_000)
    with page.expect_download() as download:
        page.locator("#export-download").click()
    assert download.value.suggested_filename.endswith(".pdf")
    download.value.save_as("/tmp/report-roll.pdf")
    for key in ("occupancy", "profiles"):
        pdf = page.request.get(f"{live_server.url}/rapports/{key}/export.pdf")
        assert pdf.ok and pdf.body().startswith(b"%PDF")
        with open(f"/tmp/report-{key}.pdf", "wb") as out:
            out.write(pdf.body())
    assert not [e for e in console_errors if "Content Security Policy" in e or "Refused" in e], console_errors
