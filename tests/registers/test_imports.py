"""The paper-register back-fill (issue 13): template round-trip, per-row errors with nothing written,
the corrected file, the same file twice, an interrupted import completed on re-run, duplicates held,
numbering continuing after the register's, four eyes."""

import io
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from openpyxl import load_workbook

from accounts.models import AuditAction, AuditEntry
from accounts.roles import Role
from casework.models import Case, DetentionOrder
from inmates import services as inmate_services
from inmates.models import Custody, Inmate
from registers import sample, services, workbook
from registers.models import ImportedRecord, JobStatus, RecordStatus
from tests import factories

pytestmark = pytest.mark.django_db


def rows(count=5, **kwargs):
    return sample.sample_rows(count, courts=["TGI-C3"], **kwargs)


def upload(facility, actor, data, name="registre.xlsx"):
    job = services.upload_register_file(facility=facility, content=data, name=name, actor=actor)
    return services.check_register_file(job, actor=actor)


def run(job, actor):
    with TestCase.captureOnCommitCallbacks(execute=True):  # the task runs in-process on commit
        job = services.confirm_import(job, actor=actor)
    job.refresh_from_db()
    return job


def counts():
    return (Inmate.objects.count(), Custody.objects.count(), Case.objects.count(), DetentionOrder.objects.count(),
            ImportedRecord.objects.count())


def test_template_round_trip(bamako, clerk, cell):
    content = workbook.build_template(services.choice_lists(bamako))
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == [workbook.DATA_SHEET, workbook.LISTS_SHEET, workbook.HELP_SHEET]
    assert [c.value for c in book[workbook.DATA_SHEET][1]] == workbook.HEADERS
    explained = {r[0].value for r in book[workbook.HELP_SHEET].iter_rows(min_row=2)}
    assert explained == set(workbook.HEADERS)
    assert book[workbook.DATA_SHEET].data_validations.dataValidation  # drop-down lists
    job = upload(bamako, clerk, content)  # the example row, as the template ships it
    assert job.status == JobStatus.CHECKED, job.row_results
    assert job.new_rows == 1
    job = run(job, clerk)
    assert job.status == JobStatus.IMPORTED and job.imported_rows == 1
    record = ImportedRecord.objects.get()
    assert record.status == RecordStatus.TO_VERIFY
    assert record.inmate.last_name == "TRAORÉ" and record.custody.facility == bamako
    assert record.case.detention_orders.count() == 1


def test_bad_rows_give_errors_per_row_and_write_nothing(bamako, clerk):
    good = rows(3)
    bad = [
        {**good[0], "last_name": ""},  # required
        {**good[1], "sex": "X", "page": 2, "line": 1},  # unknown code
        {**good[2], "admitted_on": "31/02/2025", "page": 2, "line": 2},  # not a date
        {**good[0], "page": 2, "line": 3, "register_number": 900, "birth_year": 1850},  # implausible year
        {**good[0], "page": 2, "line": 4, "register_number": 901, "court": "NOPE"},  # unknown court
        {**good[0], "page": 2, "line": 5, "register_number": 902, "order_issued_by": ""},  # order without issuer
        {**good[0], "page": "deux", "register_number": 903},  # not a number
        {**good[1], "page": 2, "line": 1, "register_number": 904},  # same register line as another row
        {**good[1], "sex": "M", "page": 3, "line": 1},  # same register number as row 3
    ]
    before = counts()
    job = upload(bamako, clerk, sample.to_xlsx(bad))
    assert job.status == JobStatus.WITH_ERRORS
    results = {r["row"]: r for r in job.row_results}
    assert all(results[n]["status"] == "invalid" for n in range(2, 11)), results
    assert results[2]["errors"] == {"Nom": ["Obligatoire."]}
    assert "Sexe" in results[3]["errors"]
    assert "Date d'écrou" in results[4]["errors"]
    assert "Année de naissance" in results[5]["errors"]
    assert "Juridiction" in results[6]["errors"]
    assert "Titre délivré par" in results[7]["errors"]
    assert "Page" in results[8]["errors"]
    assert "Ligne" in results[9]["errors"]
    assert "N° d'écrou du registre" in results[10]["errors"]
    assert counts() == before
    with pytest.raises(Exception):
        services.confirm_import(job, actor=clerk)
    assert counts() == before
    # The error workbook: the failed rows as uploaded, with their errors; fixed, it imports.
    errors = load_workbook(io.BytesIO(services.error_workbook(job)))[workbook.DATA_SHEET]
    table = list(errors.iter_rows(values_only=True))
    assert table[0][-1] == workbook.ERROR_HEADER and len(table) == 10
    assert "Nom : Obligatoire." in table[1][-1]


def test_corrected_file_imports_and_same_file_twice_changes_nothing(bamako, clerk):
    data = rows(4)
    job = upload(bamako, clerk, sample.to_xlsx([{**data[0], "sex": "X"}, *data[1:]]))
    assert job.invalid_rows == 1
    job = upload(bamako, clerk, sample.to_xlsx(data))
    assert job.status == JobStatus.CHECKED and job.new_rows == 4, job.row_results
    job = run(job, clerk)
    assert job.imported_rows == 4
    after = counts()
    again = upload(bamako, clerk, sample.to_xlsx(data))
    assert again.status == JobStatus.CHECKED and again.unchanged_rows == 4 and again.new_rows == 0
    again = run(again, clerk)
    assert again.status == JobStatus.IMPORTED and again.imported_rows == 0
    assert counts() == after


def test_interrupted_import_completes_on_rerun_without_duplicates(bamako, clerk, monkeypatch):
    from registers import bulk

    monkeypatch.setattr(services, "CHUNK", 3)
    data = rows(8)
    job = upload(bamako, clerk, sample.to_xlsx(data))
    real = bulk.write_new_lines
    calls = []

    def dies_in_the_second_chunk(lines, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            real(lines[:2], **kwargs)  # two of its lines written, then the worker is killed
            raise SystemExit("worker killed")  # not an Exception: nothing catches it, as with a kill
        return real(lines, **kwargs)

    with mock.patch.object(bulk, "write_new_lines", dies_in_the_second_chunk), pytest.raises(SystemExit):
        run(job, clerk)
    job.refresh_from_db()
    assert job.status == JobStatus.IMPORTING  # the worker died: no chance to record it
    assert ImportedRecord.objects.filter(job=job).count() == 3  # the first chunk, whole; the second rolled back
    assert Inmate.objects.count() == 3 and Custody.objects.count() == 3
    services.import_register_file(job.pk)  # the task re-delivered (acks_late)
    job.refresh_from_db()
    assert job.status == JobStatus.IMPORTED and job.imported_rows == 8
    assert Inmate.objects.count() == 8 and Custody.objects.count() == 8 and Case.objects.count() == 8
    assert ImportedRecord.objects.values("register_page", "register_line").distinct().count() == 8


def test_duplicates_in_file_and_database_are_held_for_a_decision(bamako, clerk):
    known = factories.detainee(bamako, actor=clerk, last_name="KONÉ", first_name="Adama", birth_year=1980)
    data = rows(3)
    data[0].update(last_name="Koné", first_name="Adama", birth_year=1980, sex="M")  # already in the database
    data.append({**data[1], "page": 9, "line": 9, "register_number": 99,
                 "case_number": "RI other"})  # the same person again in the file
    job = upload(bamako, clerk, sample.to_xlsx(data))
    results = {r["row"]: r for r in job.row_results}
    assert results[2]["status"] == "held" and results[2]["matches"][0]["id"] == known.pk
    assert results[5]["status"] == "held" and results[5]["matches"][0]["row"] == 3
    assert job.held_rows == 2 and job.new_rows == 2
    services.decide_duplicate(job, row=5, decision="create", actor=clerk)
    job = run(job, clerk)
    assert job.imported_rows == 3
    assert Inmate.objects.filter(last_name__in=["KONÉ", "Koné"], first_name="Adama").count() == 1


def test_register_numbers_are_kept_and_new_numbers_continue_after_them(bamako, clerk):
    data = rows(3, first_number=4100)
    data[2]["register_number"] = None
    for row in data:
        row["admitted_on"] = data[0]["admitted_on"].replace(year=2026, month=1)
        row["order_issued_on"] = row["admitted_on"]
    job = run(upload(bamako, clerk, sample.to_xlsx(data)), clerk)
    numbers = sorted(r.inmate.prisoner_number for r in ImportedRecord.objects.filter(job=job))
    assert numbers[:2] == ["BKO-2026-04100", "BKO-2026-04101"]
    person = factories.detainee(bamako, actor=clerk, last_name="SIDIBÉ", first_name="Awa", birth_year=1999)
    number = inmate_services.allocate_prisoner_number(person, facility=bamako, actor=clerk)
    assert int(number.rsplit("-", 1)[1]) > 4101


def test_the_uploader_cannot_verify_a_record_another_clerk_can(bamako, clerk):
    job = run(upload(bamako, clerk, sample.to_xlsx(rows(2))), clerk)
    record = ImportedRecord.objects.filter(job=job).first()
    with pytest.raises(PermissionDenied):
        services.verify_record(record, actor=clerk)
    record.refresh_from_db()
    assert record.status == RecordStatus.TO_VERIFY
    second = factories.staff(Role.CLERK, bamako, username="greffier2.bko")
    services.verify_record(record, actor=second, note="Conforme à la page 1")
    record.refresh_from_db()
    assert record.status == RecordStatus.VERIFIED and record.verified_by == second
    assert AuditEntry.objects.filter(action=AuditAction.UPDATE, target_id=str(record.pk),
                                     actor=second).exists()
    other = ImportedRecord.objects.filter(job=job).last()
    services.send_back_record(other, actor=second, reason="Nom mal recopié")
    other.refresh_from_db()
    assert other.status == RecordStatus.SENT_BACK


def test_each_imported_person_has_an_audit_entry(bamako, clerk):
    job = run(upload(bamako, clerk, sample.to_xlsx(rows(3))), clerk)
    ids = list(ImportedRecord.objects.filter(job=job).values_list("inmate_id", flat=True))
    entries = AuditEntry.objects.filter(action=AuditAction.CREATE, inmate_id__in=ids)
    # Written through the services, each with its entry: the person, the stay, the case, the charge, the
    # order, the imported record.
    kinds = {}
    for entry in entries:
        kinds.setdefault(entry.target_type.model, set()).add(entry.inmate_id)
    assert {kind: len(people) for kind, people in kinds.items()} == {
        "inmate": 3, "custody": 3, "case": 3, "charge": 3, "detentionorder": 3, "importedrecord": 3}
    assert all(e.hash for e in entries)


def test_checking_costs_a_few_queries_per_row(bamako, clerk):
    """Lookups once per file; per row only intake's duplicate search and the library's savepoint."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    sizes = []
    for count, volume in ((10, "A"), (200, "B")):
        job = services.upload_register_file(facility=bamako, content=sample.to_xlsx(rows(count, volume=volume)),
                                            name="r.xlsx", actor=clerk)
        with CaptureQueriesContext(connection) as queries:
            services.check_register_file(job, actor=clerk)
        sizes.append(len(queries))
    assert (sizes[1] - sizes[0]) / 190 <= 5, sizes


def test_a_clerk_cannot_upload_for_another_prison(koulikoro, clerk):
    with pytest.raises(PermissionDenied):
        services.upload_register_file(facility=koulikoro, content=sample.to_xlsx(rows(1)), name="r.xlsx", actor=clerk)
    nobody = factories.UserFactory(username="sans.prison")
    with pytest.raises(PermissionDenied):
        services.upload_register_file(facility=koulikoro, content=b"x", name="r.xlsx", actor=nobody)


def test_an_unreadable_file_is_refused_with_a_french_message(bamako, clerk):
    job = upload(bamako, clerk, b"not a workbook")
    assert job.status == JobStatus.WITH_ERRORS and "XLSX" in job.failure
    job = upload(bamako, clerk, "Nom;Prénom(s)\nA;B\n".encode(), name="r.csv")
    assert job.status == JobStatus.WITH_ERRORS and "Colonnes obligatoires absentes" in job.failure
    assert Inmate.objects.count() == 0


def test_a_csv_register_is_accepted(bamako, clerk):
    import csv

    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(workbook.HEADERS)
    for row in rows(2):
        writer.writerow(["" if row.get(c.key) is None else (row[c.key].strftime("%d/%m/%Y")
                         if hasattr(row[c.key], "strftime") else row[c.key]) for c in workbook.COLUMNS])
    job = upload(bamako, clerk, out.getvalue().encode(), name="registre.csv")
    assert job.status == JobStatus.CHECKED and job.new_rows == 2, job.row_results


def test_bulk_audit_entries_seal_and_verify_like_any_other(bamako, clerk):
    from django.core.management import call_command

    run(upload(bamako, clerk, sample.to_xlsx(rows(3))), clerk)
    out = io.StringIO()
    call_command("seal_audit_chain", stdout=out)
    call_command("verify_audit_chain", stdout=out)
    assert "intègre" in out.getvalue()


def test_a_corrected_line_updates_the_person_through_the_services_and_returns_to_verification(bamako, clerk):
    data = rows(2)
    run(upload(bamako, clerk, sample.to_xlsx(data)), clerk)
    record = ImportedRecord.objects.get(register_line=1)
    second = factories.staff(Role.CLERK, bamako, username="greffier2.bko")
    services.verify_record(record, actor=second)
    before = counts()
    fixed = [{**data[0], "first_name": "Mamadou Lamine"}, data[1]]
    job = upload(bamako, clerk, sample.to_xlsx(fixed))
    assert (job.status, job.updated_rows, job.unchanged_rows, job.new_rows) == (JobStatus.CHECKED, 1, 1, 0), \
        job.row_results
    assert record.inmate.first_name != "Mamadou Lamine"  # the check wrote nothing
    job = run(job, clerk)
    assert job.status == JobStatus.IMPORTED and job.imported_rows == 1
    assert counts() == before  # updated, not duplicated
    record.refresh_from_db()
    assert record.inmate.first_name == "Mamadou Lamine" and record.first_name == "Mamadou Lamine"
    assert record.status == RecordStatus.TO_VERIFY and record.verified_by is None and record.corrected_by_job == job
    assert AuditEntry.objects.filter(action=AuditAction.UPDATE, target_id=str(record.inmate_id),
                                     reason__contains="Correction du registre papier").exists()


def test_a_person_without_a_file_or_a_declared_line_is_graded(bamako, clerk):
    data = rows(2)
    data[0].update(origin="oral")
    data[1].update(origin="no_file", case_number="", court="", offence="", legal_class="", order_kind="",
                   order_reference="", order_issued_on=None, order_issued_by="")
    run(upload(bamako, clerk, sample.to_xlsx(data)), clerk)
    oral, none = ImportedRecord.objects.order_by("register_line")
    assert oral.reliability == "oral" and none.reliability == "no_file"
    assert none.custody.status == "intake"  # no title on file: on the roll, not "held" with a title
    second = factories.staff(Role.CLERK, bamako, username="greffier2.bko")
    services.verify_record(oral, actor=second)
    oral.refresh_from_db()
    assert oral.reliability == "oral"  # checked, still a declaration
    job = run(upload(bamako, clerk, sample.to_xlsx(rows(1, volume="R", first_number=500, start_line=40))), clerk)
    copied = ImportedRecord.objects.get(job=job)
    assert copied.reliability == "register"
    services.verify_record(copied, actor=second)
    copied.refresh_from_db()
    assert copied.reliability == "verified"


def test_lines_are_placed_with_their_warnings_and_an_extension_goes_through_the_services(bamako, clerk):
    from casework.models import OrderKind
    from inmates.models import CustodyStatus, Placement
    from prisons.models import UnitCategory

    small = factories.UnitFactory(facility=bamako, code="P1", name="Petite cellule", capacity=1)
    factories.UnitFactory(facility=bamako, code="F1", name="Quartier des femmes", capacity=9,
                          category=UnitCategory.WOMEN)
    data = rows(3)
    for row in data:
        row["unit"] = "P1"
    data[2].update(order_kind=OrderKind.CUSTODY_EXTENSION, unit="")
    job = run(upload(bamako, clerk, sample.to_xlsx(data)), clerk)
    assert job.status == JobStatus.IMPORTED and job.imported_rows == 3
    first, second = Placement.objects.filter(unit=small).order_by("pk")
    assert first.warning_override == "" and "Placement porté au registre papier" in second.warning_override
    assert AuditEntry.objects.filter(action=AuditAction.CREATE, target_type__model="placement").count() == 2
    extension = ImportedRecord.objects.get(job=job, register_line=3)
    assert extension.case.detention_orders.get().kind == OrderKind.CUSTODY_EXTENSION
    assert extension.custody.status == CustodyStatus.INTAKE  # an extension is no title: being committed
    assert ImportedRecord.objects.get(job=job, register_line=1).custody.status == CustodyStatus.HELD
    # A woman in a unit holding men is refused whatever the register says (Rule 11): the chunk is rolled back.
    woman = rows(1, volume="W", first_number=700)[0]
    woman.update(sex="F", unit="P1", last_name="SOW", first_name="Oumou")
    job = upload(bamako, clerk, sample.to_xlsx([woman]))
    before = counts()
    with pytest.raises(ValidationError):  # the task fails (the job says why)
        run(job, clerk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "autre sexe" in job.failure and counts() == before
