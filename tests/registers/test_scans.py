"""Scanned register pages (issue 13): uploaded with a job, named or mapped by volume and page, kept in
private storage, read only by the staff of that prison through an audited read, shown beside the record
on the verification page; through the pages and the API."""

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase

from accounts.models import AuditAction, AuditEntry
from accounts.roles import Role
from registers import sample, scans, services
from registers.models import ImportedRecord, RegisterScan
from tests import factories
from tests.api_clients import client_for

pytestmark = pytest.mark.django_db

PNG = sample.PAGE_PNG
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def imported(bamako, clerk, count=2):
    job = services.check_register_file(services.upload_register_file(
        facility=bamako, content=sample.to_xlsx(sample.sample_rows(count, courts=["TGI-C3"], volume="12")),
        name="r.xlsx", actor=clerk), actor=clerk)
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.confirm_import(job, actor=clerk)
    return job, ImportedRecord.objects.filter(job=job).order_by("register_line").first()


def test_names_give_the_volume_and_page():
    assert scans.page_of_name("12-034.jpg") == ("12", 34)
    assert scans.page_of_name("vol12_p34.PDF") == ("12", 34)
    assert scans.page_of_name("Volume B7 page 3.png") == ("B7", 3)
    assert scans.page_of_name("scan.jpg") is None


def test_a_second_clerk_sees_the_page_beside_the_record_and_the_reading_is_audited(client, bamako, clerk):
    job, record = imported(bamako, clerk)
    kept = scans.upload_register_scans(job, files=[("12-001.png", PNG), ("12-002.pdf", PDF)], actor=clerk)
    assert [(s.register_volume, s.register_page, s.content_type) for s in kept] == [
        ("12", 1, "image/png"), ("12", 2, "application/pdf")]
    assert AuditEntry.objects.filter(action=AuditAction.CREATE, target_id=str(kept[0].pk)).exists()
    assert kept[0].file.path.startswith(str(settings.MEDIA_ROOT)) and kept[0].sha256  # private storage
    second = factories.staff(Role.CLERK, bamako, username="greffier2.bko")
    client.force_login(second)
    page = client.get(f"/registres/enregistrements/{record.pk}/").content.decode()
    assert f"/registres/enregistrements/{record.pk}/page-scannee/fichier/" in page and "<img" in page
    response = client.get(f"/registres/enregistrements/{record.pk}/page-scannee/fichier/")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == PNG
    assert AuditEntry.objects.filter(action=AuditAction.VIEW, target_id=str(kept[0].pk), actor=second,
                                     inmate_id=record.inmate_id).exists()


def test_another_prison_and_national_staff_never_get_the_page(client, bamako, clerk, other_clerk, manager):
    job, record = imported(bamako, clerk)
    scans.upload_register_scans(job, files=[("12-001.png", PNG)], actor=clerk)
    for user in (other_clerk, manager):
        client.force_login(user)
        assert client.get(f"/registres/enregistrements/{record.pk}/page-scannee/fichier/").status_code in (403, 404)
        with pytest.raises(PermissionDenied):
            scans.upload_register_scans(job, files=[("12-002.png", PNG)], actor=user)
    assert RegisterScan.objects.count() == 1


def test_a_file_that_is_not_a_page_refuses_the_whole_upload_in_french(bamako, clerk):
    job, _record = imported(bamako, clerk)
    with pytest.raises(ValidationError) as refused:
        scans.upload_register_scans(job, files=[("12-001.png", PNG), ("12-002.png", b"MZ\x90 not an image"),
                                                ("photo.png", PNG)], actor=clerk)
    text = " ".join(refused.value.messages)
    assert "n'est ni une image" in text and "introuvables dans le nom" in text
    assert RegisterScan.objects.count() == 0


def test_one_file_is_mapped_by_hand_and_a_new_scan_of_the_page_replaces_it(bamako, clerk):
    job, record = imported(bamako, clerk)
    first = scans.upload_register_scans(job, files=[("IMG_0001.png", PNG)], actor=clerk, volume="12", page=1)[0]
    again = scans.upload_register_scans(job, files=[("12-1.pdf", PDF)], actor=clerk)[0]
    assert again.pk == first.pk and again.content_type == "application/pdf"
    assert scans.scan_of(record).pk == first.pk
    assert AuditEntry.objects.filter(action=AuditAction.UPDATE, target_id=str(first.pk)).exists()
    with pytest.raises(ValidationError):
        scans.upload_register_scans(job, files=[("a.png", PNG), ("b.png", PNG)], actor=clerk, volume="12", page=1)


def test_pages_and_api_upload_and_read(client, bamako, clerk):
    job, record = imported(bamako, clerk)
    client.force_login(clerk)
    response = client.post(f"/registres/imports/{job.pk}/pages-scannees/",
                           {"files": [SimpleUploadedFile("12-001.png", PNG, "image/png")]})
    assert response.status_code == 302 and RegisterScan.objects.filter(job=job).count() == 1
    response = client.post(f"/registres/imports/{job.pk}/pages-scannees/",
                           {"files": [SimpleUploadedFile("rien.png", PNG, "image/png")]}, follow=True)
    assert "introuvables dans le nom" in response.content.decode()
    api = client_for(clerk)
    response = api.post(f"/api/v1/imports/{job.pk}/scans/",
                        {"files": [SimpleUploadedFile("12-002.pdf", PDF, "application/pdf")]}, format="multipart")
    assert response.status_code == 201, response.content
    assert response.json()[0]["register_page"] == 2
    response = api.post(f"/api/v1/imports/{job.pk}/scans/",
                        {"files": [SimpleUploadedFile("12-003.png", b"GIF89a", "image/png")]}, format="multipart")
    assert response.status_code == 400
    second = client_for(factories.staff(Role.CLERK, bamako, username="greffier2.bko"))
    response = second.get(f"/api/v1/imports/records/{record.pk}/scan/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PNG
