"""The back-fill through both doors: a clerk downloads the template, uploads a file with errors, takes
the error workbook, uploads the fix and confirms; a second clerk verifies a record beside its page (the
uploader is refused); another prison's user gets 404; reads are audited; the director only reads."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from openpyxl import load_workbook
from rest_framework.test import APIClient

from accounts.models import AuditAction, AuditEntry
from accounts.roles import Role
from registers import sample, workbook
from registers.models import ImportedRecord, ImportJob, JobStatus, RecordStatus
from tests import factories

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def register(count=3, **changes):
    rows = sample.sample_rows(count, courts=["TGI-C3"])
    rows[0].update(changes)
    return rows


def xlsx_file(rows, name="registre.xlsx"):
    return SimpleUploadedFile(name, sample.to_xlsx(rows), content_type=XLSX)


def post(client, url, data, **kwargs):
    """Each request commits in production: the check enqueued on commit runs (in-process)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(url, data, **kwargs)


def test_a_clerk_fixes_a_file_from_its_error_workbook_and_a_second_clerk_verifies(client, bamako, clerk):
    client.force_login(clerk)
    template = client.get("/registres/modele.xlsx")
    assert template.status_code == 200 and template["Content-Type"] == XLSX
    response = post(client, "/registres/deposer/", {"facility": bamako.pk, "file": xlsx_file(register(sex="Z"))})
    assert response.status_code == 302
    job = ImportJob.objects.get()
    page = client.get(response["Location"])
    assert page.status_code == 200 and "Valeur inconnue" in page.content.decode()
    assert ImportedRecord.objects.count() == 0
    errors = client.get(f"/registres/imports/{job.pk}/erreurs.xlsx")
    sheet = load_workbook(io.BytesIO(errors.content))[workbook.DATA_SHEET]
    table = list(sheet.iter_rows(values_only=True))
    assert len(table) == 2 and "Sexe" in table[1][-1]
    # The clerk fixes the error workbook's row and uploads it with the rest of the register.
    fixed = register()
    response = post(client, "/registres/deposer/", {"facility": bamako.pk, "file": xlsx_file(fixed)})
    job = ImportJob.objects.order_by("-pk").first()
    assert job.status == JobStatus.CHECKED
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert client.post(f"/registres/imports/{job.pk}/confirmer/").status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.IMPORTED and ImportedRecord.objects.count() == 3
    record = ImportedRecord.objects.first()
    refused = client.post(f"/registres/enregistrements/{record.pk}/", {"verify-note": ""})
    assert refused.status_code == 403
    second = factories.staff(Role.CLERK, bamako, username="greffier2.bko")
    client.force_login(second)
    assert client.get("/registres/a-verifier/").status_code == 200
    page = client.get(f"/registres/enregistrements/{record.pk}/")
    assert page.status_code == 200 and "À vérifier" in page.content.decode()
    assert client.post(f"/registres/enregistrements/{record.pk}/", {"verify-note": "Conforme"}).status_code == 302
    record.refresh_from_db()
    assert record.status == RecordStatus.VERIFIED and record.verified_by == second
    assert AuditEntry.objects.filter(action=AuditAction.VIEW, target_id=str(record.pk), actor=second).exists()


def test_another_prison_and_the_director(client, bamako, clerk, other_clerk):
    client.force_login(clerk)
    post(client, "/registres/deposer/", {"facility": bamako.pk, "file": xlsx_file(register())})
    job = ImportJob.objects.get()
    client.force_login(other_clerk)
    assert client.get(f"/registres/imports/{job.pk}/").status_code == 404
    assert client.get(f"/registres/imports/{job.pk}/erreurs.xlsx").status_code == 404
    assert client.post(f"/registres/imports/{job.pk}/confirmer/").status_code == 404
    director = factories.staff(Role.DIRECTOR, bamako, username="directeur.bko")
    client.force_login(director)
    assert client.get("/registres/").status_code == 200
    assert client.get(f"/registres/imports/{job.pk}/").status_code == 200
    assert client.get("/registres/deposer/").status_code == 403
    assert client.post(f"/registres/imports/{job.pk}/confirmer/").status_code == 403
    assert AuditEntry.objects.filter(action=AuditAction.VIEW, target_id=str(job.pk), actor=director).exists()


def test_the_api_uploads_confirms_and_refuses_the_uploaders_verification(bamako, clerk, other_clerk):
    api = APIClient()
    api.force_authenticate(clerk)
    assert api.get("/api/v1/imports/template/").status_code == 200
    response = post(api, "/api/v1/imports/", {"facility": "BKO", "file": xlsx_file(register(last_name=""))},
                    format="multipart")
    assert response.status_code == 201, response.content
    body = api.get(f"/api/v1/imports/{response.json()['id']}/").json()  # checked on commit: polled
    assert body["status"] == "with_errors" and body["row_results"][0]["errors"] == {"Nom": ["Obligatoire."]}
    assert api.get(f"/api/v1/imports/{body['id']}/errors/").status_code == 200
    assert api.post(f"/api/v1/imports/{body['id']}/confirm/").status_code == 400
    body = post(api, "/api/v1/imports/", {"facility": "BKO", "file": xlsx_file(register())},
                format="multipart").json()
    with TestCase.captureOnCommitCallbacks(execute=True):
        confirmed = api.post(f"/api/v1/imports/{body['id']}/confirm/")
    assert confirmed.status_code == 200
    assert api.get(f"/api/v1/imports/{body['id']}/").json()["status"] == "imported"
    records = api.get("/api/v1/imports/records/").json()["results"]
    assert len(records) == 3 and records[0]["status"] == "to_verify" and records[0]["legal_status"]
    assert api.post(f"/api/v1/imports/records/{records[0]['id']}/verify/", {}).status_code == 403
    second = factories.staff(Role.CLERK, bamako, username="greffier2.bko")
    api.force_authenticate(second)
    assert api.post(f"/api/v1/imports/records/{records[0]['id']}/verify/", {}).json()["status"] == "verified"
    assert api.post(f"/api/v1/imports/records/{records[1]['id']}/send-back/", {"reason": "Nom"}).status_code == 200
    api.force_authenticate(other_clerk)
    assert api.get(f"/api/v1/imports/records/{records[2]['id']}/").status_code == 404
    assert api.get(f"/api/v1/imports/{body['id']}/").status_code == 404
    assert api.get("/api/v1/imports/records/").json()["results"] == []


def test_the_file_of_an_imported_person_says_it_comes_from_the_paper_register(client, bamako, clerk):
    client.force_login(clerk)
    post(client, "/registres/deposer/", {"facility": bamako.pk, "file": xlsx_file(register(1))})
    job = ImportJob.objects.get()
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(f"/registres/imports/{job.pk}/confirmer/")
    record = ImportedRecord.objects.get()
    page = client.get(f"/detenus/{record.inmate_id}/").content.decode()
    assert "Registre d&#x27;écrou papier, volume 12, page 1, ligne 1" in page or \
        "Registre d'écrou papier, volume 12, page 1, ligne 1" in page
    assert "À vérifier" in page


def test_progress_bar_while_checking_and_alerts_of_an_unverified_stay_say_to_verify(client, bamako, clerk):
    from django.utils import timezone

    from casework.models import AlertKind, DeadlineAlert

    client.force_login(clerk)
    post(client, "/registres/deposer/", {"facility": bamako.pk, "file": xlsx_file(register(1))})
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.CHECKING, progress_done=120, progress_total=3600)
    page = client.get(f"/registres/imports/{job.pk}/").content.decode()
    assert '<progress id="job-progress" max="3600" value="120">' in page and "Contrôle en cours" in page
    assert '<meta http-equiv="refresh"' in page
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.CHECKED)
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(f"/registres/imports/{job.pk}/confirmer/")
    record = ImportedRecord.objects.get()
    DeadlineAlert.objects.create(case=record.case, custody=record.custody, kind=AlertKind.OVERDUE,
                                 opened_at=timezone.now())
    page = client.get("/echeances/").content.decode()
    assert record.inmate.last_name in page and "à vérifier" in page
    second = factories.staff(Role.CLERK, bamako, username="greffier2.bko")
    from registers import services

    services.verify_record(record, actor=second)
    page = client.get("/echeances/").content.decode()
    assert record.inmate.last_name in page and "à vérifier" not in page
    # Progress per prison and register volume.
    listing = client.get("/registres/").content.decode()
    assert "<td>12</td><td>1</td><td>1</td><td>0</td><td>0</td>" in listing
