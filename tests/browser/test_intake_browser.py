"""One arrival, in a real browser, through the five intake steps by four staff members:
the clerk (arrival, administration, registry), the security officer, the nurse and the
social worker. At the end the person is in the cell's roll."""

import datetime
import io

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from accounts.roles import Role
from prisons.models import Facility
from tests import factories
from tests.browser.sessions import sign_in
from tests.intake.conftest import pdf_bytes


def png_file(name):
    buf = io.BytesIO()
    Image.new("RGB", (60, 80), (140, 110, 90)).save(buf, "PNG")
    return {"name": name, "mimeType": "image/png", "buffer": buf.getvalue()}


PDF = {"name": "mandat.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}


def _ensure_reference_data():
    """An earlier transactional test may have flushed the database without restoring the
    reference rows (regions, prisons, courts, role groups) that migrations load: reload them."""
    if Facility.objects.exists():
        return
    from importlib import import_module

    from django.apps import apps

    from accounts.rolesync import sync_role_groups

    import_module("prisons.migrations.0002_reference_data").load(apps, None)
    import_module("casework.migrations.0002_courts").load(apps, None)
    sync_role_groups(apps)


@pytest.fixture
def team(transactional_db):
    _ensure_reference_data()
    bamako = Facility.objects.get(code="BKO")
    cell = factories.UnitFactory(facility=bamako, code="B7", name="Cellule B7", capacity=7)
    return {
        "bamako": bamako, "cell": cell,
        "clerk": factories.staff(Role.CLERK, bamako, username="greffe.bko", first_name="Awa", last_name="Keïta"),
        "security": factories.staff(Role.SECURITY, bamako, username="securite.bko", first_name="Sory",
                                    last_name="Diarra"),
        "medical": factories.staff(Role.MEDICAL, bamako, username="infirmier.bko", first_name="Mariam",
                                   last_name="Touré"),
        "social": factories.staff(Role.SOCIAL, bamako, username="social.bko", first_name="Hawa",
                                  last_name="Sangaré"),
    }


def open_next_step(page, live_server, intake_url):
    page.goto(intake_url)
    page.get_by_role("link", name="Effectuer cette étape").click()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_one_arrival_through_five_steps_with_four_staff_members(page, live_server, team):
    now = timezone.localtime()
    # 1. The clerk registers the arrival from the warrant, after looking at the matches.
    sign_in(page, live_server, "greffe.bko")
    page.get_by_role("link", name="Écrous").click()
    page.get_by_role("link", name="Enregistrer une arrivée").click()
    page.fill('[name="last_name"]', "Maïga")
    page.fill('[name="first_name"]', "Aliou")
    page.select_option('[name="sex"]', label="Homme")
    page.fill('[name="birth_year"]', "1994")
    page.select_option('[name="region_of_origin"]', label="Gao")
    page.fill('[name="warrant_number"]', "MD-311/2026")
    page.select_option('[name="warrant_kind"]', label="Mandat de dépôt")
    page.fill('[name="issued_by"]', "M. Diarra, juge d'instruction")
    page.fill('[name="issued_on"]', now.date().isoformat())
    page.select_option('[name="court"]', label="Tribunal de grande instance de la Commune III")
    page.fill('[name="charges-0-offence"]', "Vol qualifié")
    page.select_option('[name="charges-0-legal_class"]', label="Crime")
    page.select_option('[name="arresting_force"]', label="Police nationale")
    page.fill('[name="arrested_at"]', (now - datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"))
    page.fill('[name="arrest_place"]', "Gao")
    page.get_by_role("button", name="Rechercher les correspondances").click()
    expect(page.get_by_text("Aucune personne connue ne correspond.")).to_be_visible()
    page.get_by_label("Nouvelle personne").check()
    page.screenshot(path="/tmp/intake-1-arrival.png", full_page=True)
    page.get_by_role("button", name="Enregistrer l'arrivée").click()
    expect(page.locator(".messages")).to_contain_text("Arrivée enregistrée")
    intake_url = page.url

    # 2. Security: rules explained, search, cell.
    sign_in(page, live_server, "securite.bko")
    open_next_step(page, live_server, intake_url)
    page.get_by_label("Règlement, droits et procédure de plainte expliqués").check()
    page.select_option('[name="rules_language"]', label="Songhaï")
    page.select_option('[name="can_read"]', value="false")
    page.select_option('[name="rules_mode"]', label="Oralement")
    page.select_option('[name="acknowledgement"]', label="Empreinte du pouce")
    page.get_by_label("Charges et motifs de la détention communiqués").check()
    page.fill('[name="charges_communicated_at"]', timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    page.fill('[name="charges_communicated_by"]', "Greffier Sory Diallo")
    page.get_by_label("Fouille effectuée").check()
    page.select_option('[name="unit"]', label="Cellule B7 — 0 occupant pour 7 places")
    page.screenshot(path="/tmp/intake-2-security.png", full_page=True)
    page.get_by_role("button", name="Valider cette étape").click()
    expect(page.locator(".messages")).to_contain_text("Étape « Sécurité » enregistrée.")

    # 3. Administration and registry, by the clerk (the page goes on to the registry).
    sign_in(page, live_server, "greffe.bko")
    open_next_step(page, live_server, intake_url)
    page.get_by_label("Identité vérifiée sur le titre de détention").check()
    page.set_input_files('[name="photo"]', png_file("photo.png"))
    page.set_input_files('[name="warrant_scan"]', PDF)
    for finger in ("r_thumb", "r_index", "r_middle", "r_ring", "r_little",
                   "l_thumb", "l_index", "l_middle", "l_ring"):
        page.set_input_files(f'[name="fingerprint_{finger}"]', png_file(f"{finger}.png"))
    page.fill('[name="fingerprint_l_little_missing"]', "Blessure au doigt")
    page.fill('[name="relatives-0-name"]', "Fatoumata Maïga")
    page.select_option('[name="relatives-0-relation"]', label="Mère")
    page.check('[name="relatives-0-is_next_of_kin"]')
    page.screenshot(path="/tmp/intake-3-administration.png", full_page=True)
    page.get_by_role("button", name="Valider cette étape").click()
    expect(page.get_by_role("heading", name="Étape 3 sur 5 : Fouille et consigne (vestiaire)")).to_be_visible()
    page.select_option('[name="items-0-category"]', label="Téléphone")
    page.fill('[name="items-0-description"]', "Téléphone Itel noir")
    page.fill('[name="items-0-imei"]', "356938035643809")
    page.select_option('[name="items-1-category"]', label="Argent")
    page.fill('[name="items-1-description"]', "Billets")
    page.fill('[name="items-1-cash_amount"]', "7500")
    page.get_by_label("Numéro de scellé").fill("SC-311")
    page.get_by_label("Lieu de rangement").fill("Vestiaire, casier 4")
    page.get_by_label("Empreinte du pouce").check()
    page.get_by_role("button", name="Valider cette étape").click()
    expect(page.locator(".messages")).to_contain_text("Étape « Fouille et consigne (vestiaire) » enregistrée.")
    expect(page.get_by_role("link", name="Reçu des effets (PDF)")).to_be_visible()

    # 4. Medical check by the nurse.
    sign_in(page, live_server, "infirmier.bko")
    open_next_step(page, live_server, intake_url)
    page.get_by_label("Apte à la détention", exact=True).check()
    page.get_by_label("Dépistage des maladies contagieuses").fill("Pas de toux, pas de fièvre")
    page.get_by_role("button", name="Valider cette étape").click()
    expect(page.get_by_text("Pas de toux, pas de fièvre")).to_be_visible()

    # 5. Interview by the social worker; the intake is complete.
    sign_in(page, live_server, "social.bko")
    open_next_step(page, live_server, intake_url)
    page.get_by_label("Parcours").fill("Apprenti mécanicien à Gao.")
    page.get_by_label("Situation familiale").fill("Célibataire, vit chez sa mère.")
    page.get_by_label("Avocat").check()
    page.get_by_label("Conclusions de l'enquête sociale").fill("Orienter vers un avocat commis d'office.")
    page.screenshot(path="/tmp/intake-5-interview.png", full_page=True)
    page.get_by_role("button", name="Valider cette étape").click()
    expect(page.locator(".messages")).to_contain_text("Écrou terminé : Aliou MAÏGA est inscrit(e) à l'effectif.")
    expect(page.get_by_text("Contrôle médical effectué : apte")).to_be_visible()
    expect(page.get_by_text("Pas de toux, pas de fièvre")).to_have_count(0)
    page.screenshot(path="/tmp/intake-6-done.png", full_page=True)

    # The person is in the cell's roll.
    page.get_by_role("link", name="Effectif de l'unité").click()
    expect(page.get_by_role("heading", name="B7 — Cellule B7")).to_be_visible()
    expect(page.locator("table")).to_contain_text("MAÏGA Aliou")
    page.screenshot(path="/tmp/intake-7-roll.png", full_page=True)
