"""A Bamako clerk, in a real browser: French login, search, prisoner file, facility page."""

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from inmates import services as inmate_services
from prisons.models import Facility
from tests import factories
from tests.factories import PASSWORD


@pytest.fixture
def bamako_file(transactional_db):
    bamako = Facility.objects.get(code="BKO")
    clerk = factories.staff(Role.CLERK, bamako, username="greffe.bamako", first_name="Awa",
                            last_name="Keïta")
    block = factories.UnitFactory(facility=bamako, code="QJ", name="Quartier désigné", kind="block",
                                  capacity=0, regime="veo")
    cell = factories.UnitFactory(facility=bamako, parent=block, code="QJ-3", name="Cellule QJ-3",
                                 capacity=1, regime="veo")
    person = factories.detainee(bamako, actor=clerk, unit=cell, terrorism=True, last_name="TRAORÉ",
                                first_name="Ousmane", prisoner_number="BKO-2026-00017")
    inmate_services.add_alias(person, name="Abou Hamza", kind="alias", actor=clerk)
    inmate_services.add_relative(person, actor=clerk, name="Mariam Traoré", relation="child", age_years=7,
                                 whereabouts="Sévaré", caregiver="sa grand-mère")
    factories.detainee(bamako, actor=clerk, unit=cell, last_name="COULIBALY", first_name="Adama")
    return person


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_clerk_logs_in_searches_and_opens_a_file_in_french(page, live_server, bamako_file):
    csp_errors = []
    page.on("console", lambda msg: csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None)

    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", name="Connexion")).to_be_visible()
    page.get_by_label("Identifiant").fill("greffe.bamako")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    expect(page.get_by_role("heading", name="Tableau de bord")).to_be_visible()
    expect(page.get_by_text("Dernières arrivées")).to_be_visible()
    page.screenshot(path="/tmp/home.png", full_page=True)

    page.get_by_role("navigation").get_by_role("link", name="Détenus").click()
    page.get_by_label("Nom, surnom ou numéro d'écrou").fill("abou hamza")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_text("1 résultat")).to_be_visible()
    page.get_by_role("link", name="TRAORÉ Ousmane").click()

    expect(page.get_by_role("heading", name="TRAORÉ Ousmane")).to_be_visible()
    head = page.locator("header.file-head")
    expect(head).to_contain_text("Inculpé, en attente de jugement")
    expect(head).to_contain_text("affaire liée au terrorisme")
    expect(head).to_contain_text("BKO-2026-00017")
    expect(page.get_by_role("heading", name="Arrestation et chaîne de détention")).to_be_visible()
    expect(page.get_by_text("Sévaré")).to_be_visible()
    page.screenshot(path="/tmp/file.png", full_page=True)

    page.goto(live_server.url + f"/etablissements/{bamako_file.custodies.get().facility_id}/")
    expect(page.get_by_text("surpeuplée")).to_be_visible()
    page.get_by_text("Occupants (2)").click()  # htmx loads who is in the cell
    expect(page.locator(".occupants")).to_contain_text("COULIBALY Adama")
    page.screenshot(path="/tmp/facility.png", full_page=True)

    assert csp_errors == []
