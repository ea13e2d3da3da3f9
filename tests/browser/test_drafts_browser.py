"""Forms never lose what was typed, in a real browser: the arrival form comes back after a
session lost mid-form and a new sign-in (a draft kept in the browser, cleared once the arrival
is registered); a step completed meanwhile by someone else is refused (409) with the typed
values still on the page and a French explanation."""

import pytest
from playwright.sync_api import expect

from intake import services
from intake.models import Step
from tests.browser.sessions import PASSWORD, sign_in
from tests.browser.test_intake_browser import team  # noqa: F401  (fixture)
from tests.intake.conftest import security_data, warrant_data


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_arrival_form_survives_a_lost_session_and_is_cleared_once_registered(page, live_server, team):  # noqa: F811
    sign_in(page, live_server, "greffe.bko")
    page.goto(live_server.url + "/ecrou/arrivee/")
    page.fill('[name="last_name"]', "Maïga")
    page.fill('[name="first_name"]', "Aliou")
    page.fill('[name="warrant_number"]', "MD-412/2026")
    page.fill('[name="issued_by"]', "M. Diarra, juge d'instruction")
    page.fill('[name="charges-0-offence"]', "Vol qualifié")
    # The session ends (expiry, a server restart): the next submit lands on the login page.
    page.context.clear_cookies()
    page.get_by_role("button", name="Rechercher les correspondances").click()
    expect(page.get_by_role("heading", name="Connexion")).to_be_visible()
    page.get_by_label("Identifiant").fill("greffe.bko")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    # Back on the arrival form, with what was typed.
    expect(page).to_have_url(live_server.url + "/ecrou/arrivee/")
    expect(page.locator(".draft-notice")).to_contain_text("Brouillon restauré")
    expect(page.locator('[name="last_name"]')).to_have_value("Maïga")
    expect(page.locator('[name="warrant_number"]')).to_have_value("MD-412/2026")
    expect(page.locator('[name="charges-0-offence"]')).to_have_value("Vol qualifié")
    page.screenshot(path="/tmp/draft-restored.png", full_page=True)

    # A validation error re-shows the posted values (the server's), the draft stays.
    page.get_by_role("button", name="Rechercher les correspondances").click()
    expect(page.locator('[name="last_name"]')).to_have_value("Maïga")
    assert page.locator(".draft-notice").count() == 0  # the server's values, not the draft's

    # Completed and registered: the draft is gone.
    page.select_option('[name="sex"]', label="Homme")
    page.fill('[name="birth_year"]', "1994")
    page.select_option('[name="region_of_origin"]', label="Gao")
    page.select_option('[name="warrant_kind"]', label="Mandat de dépôt")
    page.fill('[name="issued_on"]', "2026-01-05")
    page.select_option('[name="court"]', label="Tribunal de grande instance de la Commune III")
    page.select_option('[name="charges-0-legal_class"]', label="Crime")
    page.select_option('[name="arresting_force"]', label="Police nationale")
    page.fill('[name="arrested_at"]', "2026-01-03T10:00")
    page.fill('[name="arrest_place"]', "Gao")
    page.get_by_role("button", name="Rechercher les correspondances").click()
    page.get_by_label("Nouvelle personne").check()
    page.get_by_role("button", name="Enregistrer l'arrivée").click()
    expect(page.locator(".messages")).to_contain_text("Arrivée enregistrée")
    page.goto(live_server.url + "/ecrou/arrivee/")
    expect(page.locator('[name="last_name"]')).to_have_value("")
    assert page.locator(".draft-notice").count() == 0


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_step_done_meanwhile_keeps_what_was_typed_with_a_french_message(page, live_server, team):  # noqa: F811
    intake = services.register_arrival(warrant_data(), facility=team["bamako"], actor=team["clerk"])
    sign_in(page, live_server, "securite.bko")
    page.goto(f"{live_server.url}/ecrou/{intake.pk}/etape/security/")
    page.fill('[name="charges_communicated_by"]', "Greffier Sory Diallo")
    page.fill('[name="notes"]', "Fouille faite en présence du chef de poste.")
    # Meanwhile a colleague records the same step.
    services.complete_step(intake, Step.SECURITY, data=security_data(team["cell"]), actor=team["security"])
    page.get_by_role("button", name="Valider cette étape").click()
    expect(page.locator(".errors")).to_contain_text("Rien n'a été enregistré")
    expect(page.locator('[name="notes"]')).to_have_value("Fouille faite en présence du chef de poste.")
    expect(page.locator('[name="charges_communicated_by"]')).to_have_value("Greffier Sory Diallo")
    page.screenshot(path="/tmp/step-conflict.png", full_page=True)
