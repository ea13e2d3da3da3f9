"""A person brought to Bamako Central Prison without a valid title, in a real browser: the
clerk records the presentation with what is known; the director decides to hold the person
pending regularisation in a cell; the file shows the critical "held without title" card, the
register counts the person, and the letter to the prosecutor is printed. Screenshots:
/tmp/presentation-*.png."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from casework.models import AlertKind, DeadlineAlert
from inmates.models import Custody, CustodyStatus
from intake.models import Presentation, PresentationOutcome
from prisons.models import Facility
from tests import factories
from tests.browser.sessions import sign_in


@pytest.fixture
def world(transactional_db):
    bamako = Facility.objects.get(code="BKO")
    factories.staff(Role.CLERK, bamako, username="greffe.bko", first_name="Awa", last_name="Keïta")
    factories.staff(Role.DIRECTOR, bamako, username="direction.bko", first_name="Modibo", last_name="Sissoko",
                    email="direction.bko@example.ml")
    factories.UnitFactory(facility=bamako, code="A1", name="Cellule A1", capacity=7)
    return {"bamako": bamako}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_person_without_a_title_is_recorded_held_and_reported(page, live_server, world):
    # 1. The clerk records the presentation from the intake register's link.
    sign_in(page, live_server, "greffe.bko")
    page.goto(live_server.url + "/ecrou/")
    page.get_by_role("link", name="Présentations sans titre valable").click()
    page.get_by_role("link", name="Enregistrer une présentation sans titre").click()
    when = timezone.localtime() - datetime.timedelta(hours=1)
    page.get_by_label("Date et heure de la présentation").fill(when.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Force de l'escorte").select_option(label="Gendarmerie nationale")
    page.get_by_label("Unité / service de l'escorte").fill("Brigade territoriale de Kati")
    page.get_by_label("Agents de l'escorte (noms, grades, matricules)").fill("MDL Coulibaly, matricule 4412")
    page.get_by_label("Nom (déclaré)").fill("Dembélé")
    page.get_by_label("Prénom(s) (déclarés)").fill("Seydou")
    page.get_by_label("Sexe").select_option(value="M")
    page.get_by_label("Défaut du titre").select_option(value="expired")
    page.get_by_label("Ce qui manque ou est irrégulier").fill("Mandat de dépôt expiré depuis le 20/11.")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("DEMBÉLÉ")
    expect(page.locator("#decision-refuse")).to_be_visible()
    expect(page.locator("#decision-hold")).to_have_count(0)  # the director's decision, not the clerk's
    page.screenshot(path="/tmp/presentation-1-recorded.png", full_page=True)
    detail_url = page.url
    presentation = Presentation.objects.get()
    assert presentation.outcome == PresentationOutcome.PENDING and presentation.custody_id is None

    # 2. The director decides to hold the person; a missing reason is refused first.
    sign_in(page, live_server, "direction.bko")
    page.goto(detail_url)
    hold = page.locator("#decision-hold")
    hold.get_by_role("button").click()
    expect(page.locator("#decision-hold .has-error")).not_to_have_count(0)
    page.screenshot(path="/tmp/presentation-2-hold-refused.png", full_page=True)
    hold = page.locator("#decision-hold")
    hold.get_by_label("Motif de la décision").fill("Escorte repartie ; personne blessée au pied.")
    hold.get_by_label("Unité / cellule d'affectation").select_option(index=1)
    hold.get_by_role("button").click()
    expect(page.get_by_role("alert")).to_contain_text("Retenu sans titre valable")
    page.screenshot(path="/tmp/presentation-3-held.png", full_page=True)
    presentation.refresh_from_db()
    assert presentation.outcome == PresentationOutcome.HELD
    custody = Custody.objects.get(pk=presentation.custody_id)
    assert custody.status == CustodyStatus.INTAKE and custody.facility.code == "BKO"
    assert DeadlineAlert.objects.filter(custody=custody, kind=AlertKind.NO_TITLE, closed_at__isnull=True).exists()

    # 3. The letter to the prosecutor is printed from the page (a PDF), and the register counts the person.
    href = page.get_by_role("link", name="Imprimer la lettre au parquet (PDF)").get_attribute("href")
    letter = page.request.get(live_server.url + href)  # the browser's own session (cookies)
    assert letter.ok and letter.headers["content-type"] == "application/pdf"
    assert letter.body().startswith(b"%PDF")
    page.goto(live_server.url + "/ecrou/presentations/")
    expect(page.locator("main")).to_contain_text("1 personne retenue sans titre valable")
    page.screenshot(path="/tmp/presentation-4-register.png", full_page=True)

    # 4. The person's file carries the critical card.
    page.goto(f"{live_server.url}/detenus/{presentation.inmate_id}/")
    expect(page.locator("main")).to_contain_text("sans titre")
    page.screenshot(path="/tmp/presentation-5-file.png", full_page=True)
    presentation.refresh_from_db()
    assert presentation.letter_printed_at is not None
