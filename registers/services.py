"""Writes of the paper-register back-fill: upload, check (dry run, nothing written), import on
confirmation, decisions on held duplicates, four-eyes verification.

Built for a whole prison's register (Bamako Central: ~3,600 people): every row is validated in
Python against lookups loaded once per file (facility's units, regions, courts, people by
identity key, case numbers, register lines already imported, prisoner numbers), so checking costs
a constant number of queries; the import writes with bulk_create in chunked transactions, each
chunk with its audit entries (accounts.services.record_audits). A chunk is all or nothing, and its
rows are keyed by (job, row) and by the register line, so a re-run after a killed worker completes
the job without writing a row twice, and the same file imported again writes nothing."""

import datetime
import hashlib
import time

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditAction
from accounts.services import record_audit, record_audits
from casework.models import Case, Charge, ChargeStatus, Court, DetentionOrder, LegalClass, OrderKind
from inmates.models import Custody, CustodyStatus, Inmate, LegalStatus, Placement, PrisonerNumberCounter, Sex
from inmates.names import name_fields, name_keys
from inmates.services import format_prisoner_number
from prisons.models import Region, Unit

from . import workbook
from .models import ImportedRecord, ImportJob, JobStatus, RecordStatus

CHUNK = 500
MAX_ROWS = 20000
MAX_BYTES = 20 * 1024 * 1024

NEW, UNCHANGED, INVALID, HELD = "new", "unchanged", "invalid", "held"


def _audit(action, obj, *, actor, facility_id=None, changes=None, reason=""):
    return record_audit(action, actor=actor, target=obj, facility_id=facility_id, changes=changes, reason=reason)


# --- upload ---------------------------------------------------------------------------------------


@transaction.atomic
def upload_register_file(*, facility, content: bytes, name: str, actor) -> ImportJob:
    """Keep the uploaded file in private storage with its SHA-256 (nothing else written): the check
    and the import may run in other workers."""
    visible = actor.visible_facility_ids()
    if visible is not None and facility.pk not in visible:
        raise PermissionDenied(_("Cet établissement n'est pas le vôtre."))
    if not content:
        raise ValidationError({"file": _("Le fichier est vide.")})
    if len(content) > MAX_BYTES:
        raise ValidationError({"file": _("Le fichier dépasse 20 Mo.")})
    if not name.lower().endswith((".xlsx", ".csv")):
        raise ValidationError({"file": _("Déposez un classeur XLSX (le modèle) ou un fichier CSV.")})
    digest = hashlib.sha256(content).hexdigest()
    job = ImportJob(facility=facility, uploaded_by=actor, sha256=digest, file_name=name[:200])
    job.file.save(f"{digest[:16]}{'.csv' if name.lower().endswith('.csv') else '.xlsx'}",
                  ContentFile(content), save=False)
    job.save()
    _audit(AuditAction.CREATE, job, actor=actor, facility_id=facility.pk,
           changes={"fichier": job.file_name, "sha256": digest})
    return job


def _file_rows(job):
    with job.file.open("rb") as handle:
        content = handle.read()
    if hashlib.sha256(content).hexdigest() != job.sha256:
        raise ValidationError(_("Le fichier conservé ne correspond plus à son empreinte SHA-256."))
    return workbook.read_rows(content, job.file_name)


# --- validation -----------------------------------------------------------------------------------


class _Lookups:
    """Everything a row is checked against, loaded with a constant number of queries."""

    def __init__(self, facility):
        self.facility = facility
        self.units = {u.code.casefold(): u.pk for u in Unit.objects.filter(facility=facility, is_active=True)}
        self.regions = {code.casefold(): pk for pk, code in Region.objects.values_list("pk", "code")}
        self.courts = {code.casefold(): pk for pk, code in Court.objects.values_list("pk", "code")}
        self.lines = {
            (v.casefold(), p, ln): (job_id, row)
            for v, p, ln, job_id, row in ImportedRecord.objects.filter(facility=facility).values_list(
                "register_volume", "register_page", "register_line", "job_id", "row_number")
        }
        self.numbers = set(Inmate.objects.filter(prisoner_number__startswith=f"{facility.code}-")
                           .values_list("prisoner_number", flat=True))
        self.people = {}
        for pk, keys, year, dob, sex, last, first, number in Inmate.objects.filter(archived_at__isnull=True) \
                .values_list("pk", "name_keys", "birth_year", "date_of_birth", "sex", "last_name", "first_name",
                             "prisoner_number"):
            self.people.setdefault(_identity(keys, year or (dob.year if dob else None), sex), []).append(
                {"id": pk, "name": f"{last.upper()} {first}", "number": number or ""})
        self.cases = {(court, number.casefold()) for court, number in Case.objects.filter(
            custody__facility=facility).values_list("court_id", "case_number")}


def _identity(keys, year, sex):
    # The phonetic keys of the names in any order (given name and surname are often swapped).
    return (" ".join(sorted(keys.split())), year, sex)


CHOICES = {
    "sex": dict(Sex.choices),
    "legal_status": dict(LegalStatus.choices),
    "legal_class": dict(LegalClass.choices),
    "order_kind": dict(OrderKind.choices),
}


def choice_lists(facility) -> dict:
    """The (code, label) pairs of every coded column, for the template's drop-downs."""
    lists = {key: list(values.items()) for key, values in CHOICES.items()}
    lists["region"] = list(Region.objects.order_by("code").values_list("code", "name"))
    lists["court"] = list(Court.objects.order_by("code").values_list("code", "name"))
    lists["unit"] = list(Unit.objects.filter(facility=facility, is_active=True).order_by("code")
                         .values_list("code", "name"))
    return lists


def _date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    raise ValueError


def _parse(values: dict, lookups: _Lookups, today) -> tuple[dict, dict]:
    """The row's typed values and its errors {column header: [French messages]}."""
    out, errors = {}, {}

    def fail(column, message):
        errors.setdefault(column.header, []).append(message)

    for column in workbook.COLUMNS:
        value = values.get(column.key)
        if value is None or value == "":
            if column.required:
                fail(column, _("Obligatoire."))
            out[column.key] = None
            continue
        if column.kind == "int":
            try:
                number = int(str(value).strip())
                if number <= 0:
                    raise ValueError
                out[column.key] = number
            except ValueError:
                fail(column, _("Nombre entier positif attendu (lu : « %(v)s »).") % {"v": value})
                out[column.key] = None
        elif column.kind == "date":
            try:
                day = _date(value)
            except ValueError:
                fail(column, _("Date JJ/MM/AAAA attendue (lu : « %(v)s »).") % {"v": value})
                out[column.key] = None
                continue
            if column.key != "order_valid_until" and day > today:
                fail(column, _("Date dans le futur."))
            out[column.key] = day
        elif column.kind == "choice":
            text = str(value).strip()
            if column.key in CHOICES:
                code = next((c for c in CHOICES[column.key] if c.casefold() == text.casefold()), None)
                if code is None:
                    code = next((c for c, label in CHOICES[column.key].items()
                                 if str(label).casefold() == text.casefold()), None)
            else:
                table = {"region": lookups.regions, "court": lookups.courts, "unit": lookups.units}[column.key]
                code = table.get(text.casefold())
            if code is None:
                fail(column, _("Valeur inconnue « %(v)s » (voir la feuille Listes du modèle).") % {"v": text})
            out[column.key] = code
        else:
            text = str(value).strip()
            if column.max_length and len(text) > column.max_length:
                fail(column, _("%(n)s caractères au plus.") % {"n": column.max_length})
            out[column.key] = text
    col = {c.key: c for c in workbook.COLUMNS}
    if out["birth_year"] and not 1900 <= out["birth_year"] <= today.year:
        fail(col["birth_year"], _("Année de naissance invraisemblable."))
    if out["birth_date"] and out["birth_year"] and out["birth_date"].year != out["birth_year"]:
        fail(col["birth_year"], _("L'année ne correspond pas à la date de naissance."))
    if not out["birth_date"] and not out["birth_year"] and not errors.get(col["birth_year"].header):
        fail(col["birth_year"], _("Indiquez la date ou l'année de naissance."))
    if out["case_number"] and not out["court"] and not errors.get(col["court"].header):
        fail(col["court"], _("Obligatoire avec un numéro de dossier."))
    if (out["offence"] or out["order_kind"]) and not out["case_number"]:
        fail(col["case_number"], _("Obligatoire avec une infraction ou un titre."))
    if out["offence"] and not out["legal_class"] and not errors.get(col["legal_class"].header):
        fail(col["legal_class"], _("Obligatoire avec une infraction."))
    if out["order_kind"]:
        if not out["order_issued_on"] and not errors.get(col["order_issued_on"].header):
            fail(col["order_issued_on"], _("Obligatoire avec un titre."))
        if not out["order_issued_by"]:
            fail(col["order_issued_by"], _("Obligatoire avec un titre."))
        if out["order_issued_on"] and out["admitted_on"] and out["order_issued_on"] > out["admitted_on"] \
                and out["order_kind"] == OrderKind.COMMITTAL:
            fail(col["order_issued_on"], _("Le mandat de dépôt ne peut pas suivre l'écrou."))
    if out["order_valid_until"] and out["order_issued_on"] and out["order_valid_until"] < out["order_issued_on"]:
        fail(col["order_valid_until"], _("Antérieure à la délivrance du titre."))
    if out["birth_date"] and out["admitted_on"] and out["birth_date"] > out["admitted_on"]:
        fail(col["birth_date"], _("Postérieure à la date d'écrou."))
    return out, errors


def _prisoner_number(facility, parsed):
    if not parsed["register_number"] or not parsed["admitted_on"]:
        return ""
    return format_prisoner_number(facility.code, parsed["admitted_on"].year, parsed["register_number"])


def analyse_rows(job, rows, lookups=None) -> list[dict]:
    """One result per row (new / unchanged / invalid / held), without writing anything."""
    lookups = lookups or _Lookups(job.facility)
    today = timezone.localdate()
    results = []
    seen_lines, seen_numbers, seen_people, seen_cases = {}, {}, {}, {}
    col = {c.key: c.header for c in workbook.COLUMNS}
    for number, values in rows:
        parsed, errors = _parse(values, lookups, today)
        result = {"row": number, "errors": errors, "matches": []}
        key = None
        if parsed["volume"] and parsed["page"] and parsed["line"]:
            key = (str(parsed["volume"]).casefold(), parsed["page"], parsed["line"])
            result["key"] = [str(parsed["volume"]), parsed["page"], parsed["line"]]
        already = lookups.lines.get(key) if key else None
        if key and key in seen_lines:
            errors.setdefault(col["line"], []).append(
                _("Même volume, page et ligne que la ligne %(n)s du fichier.") % {"n": seen_lines[key]})
        elif key:
            seen_lines[key] = number
        if already and not errors:
            result["status"] = UNCHANGED
            result["imported_by_job"] = already[0]
            results.append(result)
            continue
        prisoner_number = _prisoner_number(job.facility, parsed)
        if prisoner_number:
            if prisoner_number in lookups.numbers:
                errors.setdefault(col["register_number"], []).append(
                    _("Le numéro %(n)s est déjà attribué à une autre personne.") % {"n": prisoner_number})
            elif prisoner_number in seen_numbers:
                errors.setdefault(col["register_number"], []).append(
                    _("Même numéro d'écrou que la ligne %(n)s du fichier.") % {"n": seen_numbers[prisoner_number]})
            else:
                seen_numbers[prisoner_number] = number
        if errors:
            result["status"] = INVALID
            results.append(result)
            continue
        year = parsed["birth_date"].year if parsed["birth_date"] else parsed["birth_year"]
        identity = _identity(name_keys(parsed["last_name"], parsed["first_name"]), year, parsed["sex"])
        for match in lookups.people.get(identity, []):
            result["matches"].append({**match, "where": "base"})
        if identity in seen_people:
            result["matches"].append({"row": seen_people[identity], "where": "fichier"})
        else:
            seen_people[identity] = number
        if parsed["case_number"]:
            case_key = (parsed["court"], parsed["case_number"].casefold())
            if case_key in lookups.cases:
                result["matches"].append({"case": parsed["case_number"], "where": "base"})
            elif case_key in seen_cases:
                result["matches"].append({"case": parsed["case_number"], "row": seen_cases[case_key],
                                          "where": "fichier"})
            else:
                seen_cases[case_key] = number
        result["status"] = HELD if result["matches"] else NEW
        result["parsed"] = parsed
        results.append(result)
    return results


def _public(results):
    return [{k: v for k, v in r.items() if k != "parsed"} for r in results]


def _count(job, results):
    job.total_rows = len(results)
    job.new_rows = sum(r["status"] == NEW for r in results)
    job.unchanged_rows = sum(r["status"] == UNCHANGED for r in results)
    job.invalid_rows = sum(r["status"] == INVALID for r in results)
    job.held_rows = sum(r["status"] == HELD for r in results)


def check_register_file(job: ImportJob, *, actor) -> ImportJob:
    """Dry run: each row's result (new, already imported, invalid with its errors in French column by
    column, or held as a likely duplicate), saved on the job; nothing else is written."""
    started = time.monotonic()
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.status not in (JobStatus.UPLOADED, JobStatus.CHECKED, JobStatus.WITH_ERRORS):
            raise ValidationError(_("Cet import ne peut plus être contrôlé (état : %(s)s).")
                                  % {"s": job.get_status_display()})
        try:
            rows = _file_rows(job)
        except workbook.UnreadableFile as exc:
            job.status, job.failure = JobStatus.WITH_ERRORS, str(exc)
            job.row_results, job.total_rows = [], 0
            job.save()
            _audit(AuditAction.UPDATE, job, actor=actor, facility_id=job.facility_id,
                   changes={"état": job.status}, reason=job.failure)
            return job
        if len(rows) > MAX_ROWS:
            raise ValidationError(_("Au plus %(n)s lignes par fichier.") % {"n": MAX_ROWS})
        results = analyse_rows(job, rows)
        job.row_results = _public(results)
        _count(job, results)
        job.failure = ""
        job.status = JobStatus.WITH_ERRORS if job.invalid_rows else JobStatus.CHECKED
        job.checked_at = timezone.now()
        job.check_seconds = round(time.monotonic() - started, 3)
        job.save()
        _audit(AuditAction.UPDATE, job, actor=actor, facility_id=job.facility_id,
               changes={"état": job.status, "lignes": job.total_rows, "nouvelles": job.new_rows,
                        "invalides": job.invalid_rows, "doublons": job.held_rows})
    return job


def error_workbook(job: ImportJob) -> bytes:
    """The invalid rows as uploaded, with an "Erreurs" column, to fix and upload again."""
    messages = {}
    for result in job.row_results:
        if result["status"] == INVALID:
            messages[result["row"]] = " ; ".join(
                f"{column} : {' '.join(texts)}" for column, texts in result["errors"].items())
    return workbook.build_error_workbook(_file_rows(job), messages)


@transaction.atomic
def decide_duplicate(job: ImportJob, *, row: int, decision: str, actor) -> ImportJob:
    """Settle a held row: "create" (another person, import it) or "skip" (already known: leave it)."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status not in (JobStatus.CHECKED,):
        raise ValidationError(_("Les doublons se tranchent sur un import contrôlé, avant confirmation."))
    if decision not in ("create", "skip"):
        raise ValidationError({"decision": _("Décision inconnue.")})
    if not any(r["row"] == row and r["status"] == HELD for r in job.row_results):
        raise ValidationError({"row": _("Cette ligne n'est pas un doublon en attente.")})
    job.decisions = {**job.decisions, str(row): decision}
    job.save(update_fields=["decisions"])
    _audit(AuditAction.UPDATE, job, actor=actor, facility_id=job.facility_id,
           changes={"ligne": row, "décision": decision})
    return job


@transaction.atomic
def confirm_import(job: ImportJob, *, actor) -> ImportJob:
    """The clerk confirms a checked file: the import is enqueued (after commit)."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status != JobStatus.CHECKED:
        raise ValidationError(_("Seul un fichier contrôlé sans erreur peut être importé."))
    job.status, job.confirmed_by, job.confirmed_at = JobStatus.IMPORTING, actor, timezone.now()
    job.save(update_fields=["status", "confirmed_by", "confirmed_at"])
    _audit(AuditAction.UPDATE, job, actor=actor, facility_id=job.facility_id, changes={"état": job.status})
    from .tasks import import_register_job

    transaction.on_commit(lambda: import_register_job.delay(job.pk))
    return job


@transaction.atomic
def cancel_import(job: ImportJob, *, actor) -> ImportJob:
    """Abandon a job that has not been imported (nothing had been written)."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status in (JobStatus.IMPORTING, JobStatus.IMPORTED):
        raise ValidationError(_("Un import lancé ne s'annule pas."))
    job.status = JobStatus.CANCELLED
    job.save(update_fields=["status"])
    _audit(AuditAction.UPDATE, job, actor=actor, facility_id=job.facility_id, changes={"état": job.status})
    return job


# --- import ---------------------------------------------------------------------------------------


def _admitted_at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0)))


def _raise_counters(facility, results):
    """New numbers continue after the highest number kept from the register, per year."""
    highest = {}
    for r in results:
        parsed = r.get("parsed")
        if parsed and parsed["register_number"]:
            year = parsed["admitted_on"].year
            highest[year] = max(highest.get(year, 0), parsed["register_number"])
    with transaction.atomic():
        for year, value in highest.items():
            try:
                with transaction.atomic():
                    PrisonerNumberCounter.objects.get_or_create(facility=facility, year=year)
            except IntegrityError:
                pass
            counter = PrisonerNumberCounter.objects.select_for_update().get(facility=facility, year=year)
            if counter.last_value < value:
                counter.last_value = value
                counter.save(update_fields=["last_value"])


def _allocate(facility, count, year):
    if not count:
        return []
    try:
        with transaction.atomic():
            PrisonerNumberCounter.objects.get_or_create(facility=facility, year=year)
    except IntegrityError:
        pass
    counter = PrisonerNumberCounter.objects.select_for_update().get(facility=facility, year=year)
    first = counter.last_value + 1
    counter.last_value += count
    counter.save(update_fields=["last_value"])
    return [format_prisoner_number(facility.code, year, n) for n in range(first, first + count)]


def _write_chunk(job, chunk, *, actor):
    """One transaction: people, stays, placements, cases, charges, orders, records, audit entries."""
    facility = job.facility
    year = timezone.localdate().year
    with transaction.atomic():
        fresh = _allocate(facility, sum(1 for r in chunk if not r["parsed"]["register_number"]), year)
        inmates = []
        for r in chunk:
            p = r["parsed"]
            number = _prisoner_number(facility, p) or fresh.pop(0)
            inmates.append(Inmate(
                prisoner_number=number, last_name=p["last_name"], first_name=p["first_name"],
                father_name=p["father_name"] or "", mother_name=p["mother_name"] or "", sex=p["sex"],
                date_of_birth=p["birth_date"], birth_year=p["birth_date"].year if p["birth_date"] else p["birth_year"],
                birth_year_margin=0 if p["birth_date"] else 2, region_of_origin_id=p["region"],
                **name_fields(p["last_name"], p["first_name"])))
        Inmate.objects.bulk_create(inmates)
        custodies = [Custody(inmate=inmate, facility=facility, status=CustodyStatus.HELD,
                             admitted_at=_admitted_at(r["parsed"]["admitted_on"]),
                             legal_status=r["parsed"]["legal_status"],
                             committing_authority=(r["parsed"]["order_issued_by"] or "")[:160])
                     for inmate, r in zip(inmates, chunk, strict=True)]
        Custody.objects.bulk_create(custodies)
        Placement.objects.bulk_create([
            Placement(custody=c, unit_id=r["parsed"]["unit"], started_at=c.admitted_at, created_by=actor,
                      reason=_("Reprise du registre papier"))
            for c, r in zip(custodies, chunk, strict=True) if r["parsed"]["unit"]])
        with_case = [(c, r) for c, r in zip(custodies, chunk, strict=True) if r["parsed"]["case_number"]]
        cases = [Case(custody=c, case_number=r["parsed"]["case_number"], court_id=r["parsed"]["court"],
                      legal_status=r["parsed"]["legal_status"]) for c, r in with_case]
        Case.objects.bulk_create(cases)
        case_of = {id(r): case for (c, r), case in zip(with_case, cases, strict=True)}
        Charge.objects.bulk_create([
            Charge(case=case_of[id(r)], offence=r["parsed"]["offence"], legal_class=r["parsed"]["legal_class"],
                   status=ChargeStatus.CURRENT)
            for _c, r in with_case if r["parsed"]["offence"]])
        DetentionOrder.objects.bulk_create([
            DetentionOrder(case=case_of[id(r)], kind=r["parsed"]["order_kind"],
                           reference=r["parsed"]["order_reference"] or "", issued_on=r["parsed"]["order_issued_on"],
                           issued_by=r["parsed"]["order_issued_by"], valid_until=r["parsed"]["order_valid_until"])
            for _c, r in with_case if r["parsed"]["order_kind"]])
        records = [ImportedRecord(
            job=job, row_number=r["row"], facility=facility, register_volume=str(r["parsed"]["volume"]),
            register_page=r["parsed"]["page"], register_line=r["parsed"]["line"],
            register_number=str(r["parsed"]["register_number"] or ""), inmate=inmate, custody=custody,
            case=case_of.get(id(r)), imported_by=actor)
            for inmate, custody, r in zip(inmates, custodies, chunk, strict=True)]
        ImportedRecord.objects.bulk_create(records)
        reason = _("Reprise du registre papier (import n° %(job)s)") % {"job": job.pk}
        record_audits([
            {"action": AuditAction.CREATE, "target": inmate, "inmate_id": inmate.pk, "facility_id": facility.pk,
             "reason": reason,
             "changes": {"source": str(record.source), "numéro d'écrou": inmate.prisoner_number,
                         "séjour": custody.pk, "affaire": record.case_id, "import": job.pk,
                         "ligne du fichier": record.row_number}}
            for inmate, custody, record in zip(inmates, custodies, records, strict=True)], actor=actor)
        ImportJob.objects.filter(pk=job.pk).update(imported_rows=ImportedRecord.objects.filter(job=job).count())


def import_register_file(job_id: int, *, actor=None) -> ImportJob:
    """Write every new row (and every held row the clerk decided to create) of a confirmed job, in
    chunks; rows already written (this job's earlier run, or the same lines from an earlier file) are
    skipped, so a re-run completes the job and never duplicates. A file that no longer checks clean
    (the database changed since the preview) fails with nothing written."""
    started = time.monotonic()
    job = ImportJob.objects.select_related("facility", "confirmed_by", "uploaded_by").get(pk=job_id)
    actor = actor or job.confirmed_by or job.uploaded_by
    if job.status == JobStatus.IMPORTED:
        return job
    if job.status not in (JobStatus.IMPORTING, JobStatus.FAILED) or not job.confirmed_at:
        raise ValidationError(_("Cet import n'a pas été confirmé."))
    results = analyse_rows(job, _file_rows(job))
    invalid = [r for r in results if r["status"] == INVALID]
    if invalid:
        job.status, job.failure = JobStatus.FAILED, _(
            "%(n)s ligne(s) ne sont plus valides depuis le contrôle : recontrôlez le fichier.") % {"n": len(invalid)}
        job.row_results = _public(results)
        _count(job, results)
        job.save()
        _audit(AuditAction.UPDATE, job, actor=actor, facility_id=job.facility_id,
               changes={"état": job.status}, reason=job.failure)
        return job
    decisions = job.decisions or {}
    to_write = [r for r in results if r["status"] == NEW
                or (r["status"] == HELD and decisions.get(str(r["row"])) == "create")]
    # Held rows of this very job already written on an earlier run are "unchanged" now: the
    # register line is known. Nothing else to reconcile.
    _raise_counters(job.facility, to_write)
    try:
        for start in range(0, len(to_write), CHUNK):
            _write_chunk(job, to_write[start:start + CHUNK], actor=actor)
    except Exception as exc:
        # The chunk under way rolled back; chunks already written stay, and a re-run completes.
        ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, failure=str(exc)[:2000])
        raise
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        job.status, job.imported_at = JobStatus.IMPORTED, timezone.now()
        job.imported_rows = ImportedRecord.objects.filter(job=job).count()
        job.import_seconds = round(time.monotonic() - started, 3)
        job.save()
        _audit(AuditAction.UPDATE, job, actor=actor, facility_id=job.facility_id,
               changes={"état": job.status, "importées": job.imported_rows})
    return job


# --- four eyes ------------------------------------------------------------------------------------


def _require_other_clerk(record, actor):
    if actor.pk in (record.imported_by_id, record.job.uploaded_by_id):
        raise PermissionDenied(_("Le greffier qui a déposé ou importé un enregistrement ne peut pas le vérifier : "
                                 "un second greffier doit le faire."))


@transaction.atomic
def verify_record(record: ImportedRecord, *, actor, note: str = "") -> ImportedRecord:
    """A second clerk (never the one who uploaded or imported it) confirms the record against its page."""
    record = ImportedRecord.objects.select_for_update(of=("self",)).select_related("job").get(pk=record.pk)
    _require_other_clerk(record, actor)
    if record.status == RecordStatus.VERIFIED:
        raise ValidationError(_("Cet enregistrement est déjà vérifié."))
    record.status, record.verified_by, record.verified_at = RecordStatus.VERIFIED, actor, timezone.now()
    record.verification_note = note.strip()
    record.save(update_fields=["status", "verified_by", "verified_at", "verification_note"])
    record_audit(AuditAction.UPDATE, actor=actor, target=record, inmate_id=record.inmate_id,
                 facility_id=record.facility_id, changes={"état": [RecordStatus.TO_VERIFY, record.status]},
                 reason=note.strip() or _("Vérifié sur le registre papier"))
    return record


@transaction.atomic
def send_back_record(record: ImportedRecord, *, actor, reason: str) -> ImportedRecord:
    """A second clerk finds the record does not match its page: sent back, with the reason (audited)."""
    record = ImportedRecord.objects.select_for_update(of=("self",)).select_related("job").get(pk=record.pk)
    _require_other_clerk(record, actor)
    if not reason.strip():
        raise ValidationError({"reason": _("Indiquez ce qui ne correspond pas au registre.")})
    old = record.status
    record.status, record.verified_by, record.verified_at = RecordStatus.SENT_BACK, actor, timezone.now()
    record.verification_note = reason.strip()
    record.save(update_fields=["status", "verified_by", "verified_at", "verification_note"])
    record_audit(AuditAction.UPDATE, actor=actor, target=record, inmate_id=record.inmate_id,
                 facility_id=record.facility_id, changes={"état": [old, record.status]}, reason=reason.strip())
    return record
