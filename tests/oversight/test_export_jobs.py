"""Background exports (issue 11, item 4): the backlog and the reports as PDF, XLSX or CSV prepared
by a Celery task (eager here, as on the embedded default), their progress on the job, the file in
private storage, downloaded only by the member of staff who asked (audited); pages and API.
Attacks: another member of staff of the same prison, another prison's staff, another role, a
prison named that is not the reader's."""

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils.html import escape
from rest_framework.test import APIClient

from accounts.models import AuditAction, AuditEntry
from accounts.roles import Role
from oversight import export_jobs
from oversight.models import ExportJob, ExportStatus
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def director(bamako):
    return factories.staff(Role.DIRECTOR, bamako, username="directeur.bko")


@pytest.fixture
def director_klk(koulikoro):
    return factories.staff(Role.DIRECTOR, koulikoro, username="directeur.klk")


@pytest.fixture
def people(bamako, clerk):
    return [factories.detainee(bamako, actor=clerk, last_name=f"KEITA{i}") for i in range(2)]


def _start(client, capture, **fields):
    with capture(execute=True):
        return client.post(reverse("oversight:export_start"), fields)


def test_the_director_prepares_the_backlog_pdf_in_the_background_and_downloads_it(
        client, director, bamako, people, django_capture_on_commit_callbacks, settings):
    client.force_login(director)
    response = _start(client, django_capture_on_commit_callbacks, kind="backlog", fmt="pdf", facility=bamako.pk)
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("oversight:export_detail", args=[job.pk])
    assert job.status == ExportStatus.DONE and job.progress == 100 and job.requested_by == director
    assert job.facility == bamako and job.filename.startswith(f"bilan-detention-provisoire-{bamako.code}-")
    # the file is in private storage (MEDIA_ROOT), not under the static tree
    assert str(settings.MEDIA_ROOT) in job.file.path and job.file.name.startswith("exports/")
    page = client.get(reverse("oversight:export_detail", args=[job.pk])).content.decode()
    assert 'id="export-progress"' in page and 'value="100"' in page
    assert reverse("oversight:export_download", args=[job.pk]) in page
    # the request, the export of the figures and the download are each in the audit trail
    assert AuditEntry.objects.filter(action=AuditAction.CREATE, actor=director, target_id=str(job.pk)).exists()
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT, actor=director,
                                     reason__startswith="Export du bilan").exists()
    before = AuditEntry.objects.filter(action=AuditAction.EXPORT).count()
    download = client.get(reverse("oversight:export_download", args=[job.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content)[:4] == b"%PDF"
    assert job.filename in download["Content-Disposition"]
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT).count() == before + 1
    assert escape(job.title) in client.get(reverse("oversight:export_list")).content.decode()


def test_progress_is_written_as_the_job_goes(director, bamako, people, monkeypatch):
    seen = []
    tell = export_jobs._tell

    def spy(job, percent, step, **fields):
        tell(job, percent, step, **fields)
        seen.append(ExportJob.objects.values_list("progress", "status").get(pk=job.pk))

    monkeypatch.setattr(export_jobs, "_tell", spy)
    job = export_jobs.start_export(actor=director, kind="backlog", fmt="xlsx", facility=bamako)
    assert job.status == ExportStatus.PENDING  # the task waits for the commit
    export_jobs.run_export(job.pk)
    progress = [p for p, _ in seen]
    assert progress == sorted(progress) and 0 < progress[0] < 100 and len(set(progress)) >= 3
    assert {s for _, s in seen} == {ExportStatus.RUNNING}
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE and job.progress == 100
    assert job.content_type.startswith("application/vnd.openxmlformats")


def test_a_failure_is_shown_on_the_job_not_a_half_file(director, bamako, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(export_jobs, "backlog_file", broken)
    job = export_jobs.start_export(actor=director, kind="backlog", fmt="pdf", facility=bamako)
    export_jobs.run_export(job.pk)
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED and not job.file
    assert "La préparation du fichier a échoué" in job.failure


def test_a_report_xlsx_and_the_roll_for_the_clerk(client, director, clerk, bamako, people,
                                                   django_capture_on_commit_callbacks):
    client.force_login(director)
    _start(client, django_capture_on_commit_callbacks, kind="report", report="occupancy", fmt="xlsx")
    job = ExportJob.objects.get(requested_by=director)
    assert job.status == ExportStatus.DONE and job.filename.endswith(".xlsx")
    # the clerk may export the evening roll (printed for the door), not the other reports
    client.force_login(clerk)
    _start(client, django_capture_on_commit_callbacks, kind="report", report="roll", fmt="pdf")
    roll = ExportJob.objects.get(requested_by=clerk)
    assert roll.status == ExportStatus.DONE and roll.facility == bamako  # their only prison
    assert _start(client, django_capture_on_commit_callbacks, kind="report", report="occupancy",
                  fmt="pdf").status_code == 403
    assert _start(client, django_capture_on_commit_callbacks, kind="backlog", fmt="pdf").status_code == 403
    assert ExportJob.objects.filter(requested_by=clerk).count() == 1


def test_attack_nobody_else_sees_or_downloads_the_file(client, director, director_klk, bamako, people,
                                                       manager, django_capture_on_commit_callbacks):
    job = export_jobs.start_export(actor=director, kind="backlog", fmt="csv", facility=bamako)
    export_jobs.run_export(job.pk)
    colleague = factories.staff(Role.DIRECTOR, bamako, username="directeur.adjoint.bko")
    for other in (colleague, director_klk, manager):  # same prison, another prison, national
        client.force_login(other)
        for name in ("oversight:export_detail", "oversight:export_download"):
            assert client.get(reverse(name, args=[job.pk])).status_code == 404, (other, name)
        assert escape(job.title) not in client.get(reverse("oversight:export_list")).content.decode()
        api = APIClient()
        api.force_authenticate(other)
        assert api.get(f"/api/v1/export-jobs/{job.pk}/").status_code == 404
        assert api.get(f"/api/v1/export-jobs/{job.pk}/download/").status_code == 404
        assert api.get("/api/v1/export-jobs/").json()["count"] == 0
    assert not AuditEntry.objects.filter(reason__startswith="Téléchargement de l'export").exists()
    client.logout()
    assert client.get(reverse("oversight:export_download", args=[job.pk])).status_code == 302  # to sign in


def test_attack_another_prison_named_in_the_request(client, director, koulikoro, django_capture_on_commit_callbacks):
    client.force_login(director)
    response = _start(client, django_capture_on_commit_callbacks, kind="backlog", fmt="pdf", facility=koulikoro.pk)
    assert response.status_code == 400 and "Établissement inconnu." in response.content.decode()
    api = APIClient()
    api.force_authenticate(director)
    assert api.post("/api/v1/export-jobs/", {"kind": "backlog", "format": "pdf", "facility": koulikoro.pk},
                    format="json").status_code == 404
    assert not ExportJob.objects.exists()


def test_a_job_of_a_prison_the_requester_no_longer_serves_is_closed_to_them(director, bamako, koulikoro):
    job = export_jobs.start_export(actor=director, kind="backlog", fmt="csv", facility=bamako)
    export_jobs.run_export(job.pk)
    director.facilities.set([koulikoro])
    moved = type(director).objects.get(pk=director.pk)  # signed in again: their prisons are read anew
    with pytest.raises(Http404):
        export_jobs.download_export(job.pk, actor=moved)


def test_api_start_status_download(director, bamako, people, django_capture_on_commit_callbacks):
    api = APIClient()
    api.force_authenticate(director)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/api/v1/export-jobs/", {"kind": "backlog", "format": "xlsx", "facility": bamako.pk},
                            format="json")
    assert response.status_code == 202
    job = response.json()
    status = api.get(f"/api/v1/export-jobs/{job['id']}/").json()
    assert status["status"] == "done" and status["progress"] == 100 and status["facility"] == bamako.pk
    assert status["download_url"] == f"/api/v1/export-jobs/{job['id']}/download/"
    download = api.get(status["download_url"])
    assert download.status_code == 200 and b"".join(download.streaming_content)[:2] == b"PK"
    assert [j["id"] for j in api.get("/api/v1/export-jobs/").json()["results"]] == [job["id"]]
    # bad input: a clear message, nothing recorded
    bad = api.post("/api/v1/export-jobs/", {"kind": "report", "format": "pdf", "report": "nope"}, format="json")
    assert bad.status_code == 400 and ExportJob.objects.count() == 1
    assert api.post("/api/v1/export-jobs/", {"kind": "backlog", "format": "doc"}, format="json").status_code == 400


def test_api_download_before_the_file_is_ready_is_refused(director, bamako):
    job = export_jobs.start_export(actor=director, kind="backlog", fmt="pdf", facility=bamako)
    api = APIClient()
    api.force_authenticate(director)
    assert api.get(f"/api/v1/export-jobs/{job.pk}/").json()["status"] == "pending"
    assert api.get(f"/api/v1/export-jobs/{job.pk}/download/").status_code == 400


def test_api_refuses_a_role_without_the_report(bamako):
    medical = factories.staff(Role.MEDICAL, bamako)
    api = APIClient()
    api.force_authenticate(medical)
    assert api.post("/api/v1/export-jobs/", {"kind": "backlog", "format": "pdf"}, format="json").status_code == 403
    assert api.post("/api/v1/export-jobs/", {"kind": "report", "report": "roll", "format": "pdf"},
                    format="json").status_code == 403
    assert not ExportJob.objects.exists()
    assert APIClient().get("/api/v1/export-jobs/").status_code in (401, 403)


def test_the_backlog_and_report_pages_offer_the_background_export(client, director, bamako, people):
    client.force_login(director)
    body = client.get(reverse("deadlines:backlog"), {"facility": bamako.pk}).content.decode()
    assert 'action="/rapports/exports/nouveau/"' in body and 'name="kind" value="backlog"' in body
    assert f'name="facility" value="{bamako.pk}"' in body
    body = client.get(reverse("oversight:report", args=["occupancy"])).content.decode()
    assert 'name="report" value="occupancy"' in body and 'name="fmt" value="pdf"' in body
    assert reverse("oversight:export_list") in body  # "Mes exports" in the header
