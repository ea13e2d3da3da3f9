"""Two clerks bring a page of the paper register in, in a real browser: the first downloads the
template, uploads a file with an error, downloads the error workbook, uploads the fix and confirms;
uploads the scanned page; the second verifies one record beside its scanned page."""

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from accounts.roles import Role
from registers import sample, workbook
from registers.models import ImportedRecord, RecordStatus
from tests import factories
from tests.browser.sessions import sign_in
from tests.browser.test_intake_browser import _ensure_reference_data


@pytest.fixture
def clerks(transactional_db):
    _ensure_reference_data()
    from prisons.models import Facility

    bamako = Facility.objects.get(code="BKO")
    return (factories.staff(Role.CLERK, bamako, username="greffe1.bko", first_name="Awa", last_name="Keïta"),
            factories.staff(Role.CLERK, bamako, username="greffe2.bko", first_name="Oumou", last_name="Sow"))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_clerk_imports_a_fixed_file_and_a_second_clerk_verifies_a_record(page, live_server, clerks, tmp_path):
    rows = sample.sample_rows(3, courts=["TGI-C3"])
    wrong = tmp_path / "registre.xlsx"
    wrong.write_bytes(sample.to_xlsx([{**rows[0], "sex": "Z"}, *rows[1:]]))
    fixed = tmp_path / "registre-corrige.xlsx"
    fixed.write_bytes(sample.to_xlsx(rows))

    sign_in(page, live_server, "greffe1.bko")
    page.goto(live_server.url + "/registres/")
    with page.expect_download() as template:
        page.get_by_role("link", name="Télécharger le modèle (XLSX)").click()
    book = load_workbook(io.BytesIO(template.value.path().read_bytes()))
    assert [c.value for c in book[workbook.DATA_SHEET][1]] == workbook.HEADERS

    page.get_by_role("link", name="Déposer un fichier").click()
    page.get_by_label("Établissement").select_option(label="Maison centrale d'arrêt de Bamako")
    page.get_by_label("Fichier du registre (XLSX du modèle, ou CSV)").set_input_files(str(wrong))
    page.get_by_role("button", name="Déposer et contrôler").click()
    expect(page.get_by_text("Valeur inconnue « Z »")).to_be_visible()
    page.screenshot(path="/tmp/register-preview-errors.png", full_page=True)
    with page.expect_download() as errors:
        page.get_by_role("link", name="Télécharger le classeur des erreurs").click()
    table = list(load_workbook(io.BytesIO(errors.value.path().read_bytes()))[workbook.DATA_SHEET]
                 .iter_rows(values_only=True))
    assert len(table) == 2 and "Sexe" in table[1][-1]
    assert ImportedRecord.objects.count() == 0

    page.goto(live_server.url + "/registres/deposer/")
    page.get_by_label("Établissement").select_option(label="Maison centrale d'arrêt de Bamako")
    page.get_by_label("Fichier du registre (XLSX du modèle, ou CSV)").set_input_files(str(fixed))
    page.get_by_role("button", name="Déposer et contrôler").click()
    page.get_by_role("button", name="Confirmer l'import").click()
    expect(page.get_by_text("Import confirmé")).to_be_visible()
    assert ImportedRecord.objects.count() == 3
    scan = tmp_path / "12-001.png"  # the scanned page 1 of volume 12, named by volume and page
    scan.write_bytes(sample.PAGE_PNG)
    page.get_by_label("Pages scannées (JPEG, PNG ou PDF ; nom : volume-page, ex. 12-034.jpg)").set_input_files(
        str(scan))
    page.get_by_role("button", name="Déposer les pages").click()
    expect(page.get_by_text("Pages scannées déposées.")).to_be_visible()

    sign_in(page, live_server, "greffe2.bko")
    page.goto(live_server.url + "/registres/a-verifier/")
    page.get_by_role("link", name="vol. 12, p. 1, l. 1").click()
    expect(page.get_by_text("Registre d'écrou papier, volume 12, page 1, ligne 1")).to_be_visible()
    expect(page.get_by_text("La ligne telle que recopiée du registre")).to_be_visible()
    beside = page.get_by_role("img", name="Registre d'écrou, volume 12, page 1 (page scannée)")
    expect(beside).to_be_visible()
    assert beside.evaluate("img => img.complete && img.naturalWidth") == 1  # served, decoded
    page.screenshot(path="/tmp/register-record-to-verify.png", full_page=True)
    page.get_by_role("button", name="Conforme au registre : vérifié").click()
    expect(page.get_by_text("Vérifié.")).to_be_visible()
    record = ImportedRecord.objects.get(register_page=1, register_line=1)
    assert record.status == RecordStatus.VERIFIED and record.verified_by == clerks[1]
