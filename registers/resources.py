"""The register file through django-import-export: reading the XLSX or CSV (tablib), one Resource whose
rows are keyed by their register line (prison, volume, page, line: `import_id_fields` scoped to the
job's prison), the dry run with its per-row results (new, updated, unchanged, invalid; likely
duplicates held), and the failed rows (`failed_dataset`) as the error workbook.

The widgets turn each cell into its value or a French message for its column; `validate_instance`
adds the rules between columns and between rows; with `use_bulk`, the chunk's new lines are written
together at its end by registers.bulk (the services' rules, one INSERT per model, an audit entry per
record) and its corrected lines by the correction services (registers.writes), never by a raw save."""

import datetime
import io

import tablib
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.instance_loaders import BaseInstanceLoader
from import_export.results import RowResult

from casework.models import Court, LegalClass, OrderKind
from inmates.matching import find_candidates_many
from inmates.models import Inmate, LegalStatus, Sex
from inmates.names import name_keys
from inmates.services import admission_refusal, format_prisoner_number
from prisons.models import Region, Unit, UnitCategory

from . import workbook
from .models import ImportedRecord, Source

NEW, UPDATED, UNCHANGED, INVALID, HELD = "new", "updated", "unchanged", "invalid", "held"
STATUS_OF = {RowResult.IMPORT_TYPE_NEW: NEW, RowResult.IMPORT_TYPE_UPDATE: UPDATED,
             RowResult.IMPORT_TYPE_SKIP: UNCHANGED, RowResult.IMPORT_TYPE_INVALID: INVALID,
             RowResult.IMPORT_TYPE_ERROR: INVALID}
CHOICES = {"sex": dict(Sex.choices), "legal_status": dict(LegalStatus.choices),
           "legal_class": dict(LegalClass.choices), "order_kind": dict(OrderKind.choices),
           "origin": dict(Source.choices)}
# A refusal by the rules or the database: the chunk is rolled back and the job says why.
WRITE_ERRORS = (ValidationError, PermissionDenied, DatabaseError)
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S")


# --- reading --------------------------------------------------------------------------------------


def read_dataset(content: bytes, name: str) -> tuple[tablib.Dataset, list[int]]:
    """The file's data rows as a tablib Dataset with the template's headers, and each row's number in
    the sheet (empty lines dropped). Raises UnreadableFile (French) on a wrong file or header."""
    try:
        if name.lower().endswith(".csv"):
            try:
                text = content.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = content.decode("cp1252", errors="replace")
            first = text.split("\n", 1)[0]
            delimiter = max(";,\t", key=first.count)
            raw = tablib.Dataset().load(text, format="csv", delimiter=delimiter)
        else:
            raw = tablib.Dataset().load(io.BytesIO(content), format="xlsx")
    except Exception as exc:  # tablib and openpyxl raise many kinds on a wrong file
        raise workbook.UnreadableFile(_("Le fichier n'est pas un classeur XLSX lisible.") if not
                                      name.lower().endswith(".csv") else _("Le fichier CSV est illisible.")) from exc
    if not raw.headers:
        raise workbook.UnreadableFile(_("Le fichier est vide."))
    canonical = {c.header.casefold(): c.header for c in workbook.COLUMNS}
    headers = [canonical.get(str(h).strip().casefold(), str(h).strip() if h is not None else "")
               for h in raw.headers]
    missing = workbook.missing_headers(headers)
    if missing:
        raise workbook.UnreadableFile(_("Colonnes obligatoires absentes : %(cols)s. Utilisez le modèle.")
                                      % {"cols": ", ".join(missing)})
    keep = [i for i, h in enumerate(headers) if h in canonical.values()]
    data = tablib.Dataset(headers=[headers[i] for i in keep], title=workbook.DATA_SHEET)
    numbers = []
    for index, values in enumerate(raw, start=2):
        row = [values[i] if i < len(values) else None for i in keep]
        if all(v is None or str(v).strip() == "" for v in row):
            continue
        data.append(row)
        numbers.append(index)
    return data, numbers


# --- widgets: one cell to one value, or a French message for its column ----------------------------


class Text(widgets.Widget):
    def __init__(self, required=False):
        super().__init__(coerce_to_string=False)
        self.required = required

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = "" if value is None else str(value).strip()
        if not text and self.required:
            raise ValueError(_("Obligatoire."))
        return text


class Number(Text):
    """A positive whole number (as text for the register number, kept as written)."""

    def __init__(self, required=False, as_text=False):
        super().__init__(required)
        self.as_text = as_text

    def clean(self, value, row=None, **kwargs):
        text = super().clean(value, row, **kwargs)
        if not text:
            return "" if self.as_text else None
        try:
            number = int(text)
            if number <= 0:
                raise ValueError
        except ValueError:
            raise ValueError(_("Nombre entier positif attendu (lu : « %(v)s »).") % {"v": text}) from None
        return str(number) if self.as_text else number


class Day(Text):
    def __init__(self, required=False, future=False):
        super().__init__(required)
        self.future = future

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            day = value.date()
        elif isinstance(value, datetime.date):
            day = value
        else:
            text = super().clean(value, row, **kwargs)
            if not text:
                return None
            for fmt in DATE_FORMATS:
                try:
                    day = datetime.datetime.strptime(text, fmt).date()
                    break
                except ValueError:
                    pass
            else:
                raise ValueError(_("Date JJ/MM/AAAA attendue (lu : « %(v)s »).") % {"v": text})
        if not self.future and day > timezone.localdate():
            raise ValueError(_("Date dans le futur."))
        return day


class Code(Text):
    """A coded column: the code (or its French label), from a fixed list or the prison's tables."""

    def __init__(self, table: dict, required=False, default=""):
        super().__init__(required)
        self.table, self.default = table, default

    def clean(self, value, row=None, **kwargs):
        text = super().clean(value, row, **kwargs)
        if not text:
            return self.default
        found = self.table.get(text.casefold())
        if found is None:
            raise ValueError(_("Valeur inconnue « %(v)s » (voir la feuille Listes du modèle).") % {"v": text})
        return found


def _coded(choices):
    table = {code.casefold(): code for code in choices}
    table.update({str(label).casefold(): code for code, label in choices.items()})
    return table


# --- the resource -----------------------------------------------------------------------------------


class RegisterLineLoader(BaseInstanceLoader):
    """The prison's records already imported (loaded once per run by the resource), found by their
    register line."""

    def get_instance(self, row):
        return self.resource.loader_known.get(self.resource.line_key(row))


class RegisterResource(resources.ModelResource):
    """One line of the committal register: the person, the stay, the case, the charge and the order."""

    class Meta:
        model = ImportedRecord
        fields = tuple(c.attribute for c in workbook.COLUMNS)
        import_id_fields = ("register_volume", "register_page", "register_line")
        instance_loader_class = RegisterLineLoader
        skip_unchanged = True
        report_skipped = True
        # No deep copy and HTML diff per row (3,600 rows): unchanged lines are found by comparing the
        # values the line had (after_init_instance) with the file's (skip_row).
        skip_diff = True
        use_transactions = True
        # The rows are checked one by one, and written together at the end of the chunk (registers.bulk):
        # no savepoint per row, one INSERT per model.
        use_bulk = True

    def __init__(self, job, *, actor=None, decisions=None):
        super().__init__()
        self.job, self.facility, self.actor = job, job.facility, actor or job.uploaded_by
        self.decisions = decisions or {}
        self.lookups = {
            "region": {code.casefold(): r for r in Region.objects.all() for code in (r.code, r.name)},
            "court": {code.casefold(): c for c in Court.objects.all() for code in (c.code, c.name)},
            "unit": {u.code.casefold(): u for u in Unit.objects.filter(facility=self.facility, is_active=True)},
        }
        self.header = {c.attribute: c.header for c in workbook.COLUMNS}
        for column in workbook.COLUMNS:
            self.fields[column.attribute] = fields.Field(attribute=column.attribute, column_name=column.header,
                                                         widget=self._widget(column))
        taken = {n for n in Inmate.objects.filter(prisoner_number__startswith=f"{self.facility.code}-")
                 .values_list("prisoner_number", flat=True)}
        mine = {format_prisoner_number(self.facility.code, r.admitted_on.year, int(r.register_number)): r.pk
                for r in ImportedRecord.objects.filter(facility=self.facility).exclude(register_number="")
                .exclude(admitted_on=None).only("register_number", "admitted_on")}
        self.numbers_taken = {n: mine.get(n) for n in taken}
        self.seen_lines, self.seen_numbers, self.seen_people = {}, {}, {}
        self.row_number, self.matches, self.refusals, self.before, self.validated = None, {}, {}, None, None
        self.keys, self.candidates = {}, {}
        # Once per run, not per chunk: a line appears once in a file (a repeated line is refused).
        self.loader_known = {(r.register_volume.casefold(), r.register_page, r.register_line): r
                             for r in self.get_queryset()}

    def _widget(self, column):
        if column.key in ("page", "line", "birth_year"):
            return Number(column.required)
        if column.key == "register_number":
            return Number(column.required, as_text=True)
        if column.kind == "date":
            return Day(column.required, future=column.key == "order_valid_until")
        if column.key in CHOICES:
            return Code(_coded(CHOICES[column.key]), column.required,
                        default=Source.REGISTER if column.key == "origin" else "")
        if column.kind == "choice":
            return Code(self.lookups[column.key], column.required, default=None)
        return Text(column.required)

    def get_queryset(self):
        # Not the job (its per-row results are large): a corrected line reads what it needs itself.
        return ImportedRecord.objects.filter(facility=self.facility).select_related("region", "court", "unit")

    def line_key(self, row):
        try:
            volume = Text(True).clean(row.get(self.header["register_volume"]))
            return (volume.casefold(), Number(True).clean(row.get(self.header["register_page"])),
                    Number(True).clean(row.get(self.header["register_line"])))
        except ValueError:
            return None

    def after_init_instance(self, instance, new, row, **kwargs):
        self.before = None if new else {name: getattr(instance, name) for name in self._meta.fields}

    def _people(self):
        """The people a duplicate is searched among: not those this job wrote in an earlier chunk (the
        check saw them as new)."""
        return Inmate.objects.exclude(pk__in=ImportedRecord.objects.filter(job=self.job).values("inmate_id"))

    def before_import(self, dataset, **kwargs):
        """Intake's duplicate search (inmates.matching) for the chunk's lines at once, one statement per
        few hundred lines instead of one per line; _find_duplicates reads the answers."""
        asked, lines = [], []
        for index, values in enumerate(dataset, 1):
            row = dict(zip(dataset.headers, values, strict=False))
            if self.line_key(row) in self.loader_known:
                continue  # already imported: updated, never matched
            query = {}
            for name in ("last_name", "first_name", "birth_date", "birth_year", "region"):
                try:
                    query[name] = self.fields[name].clean(row)
                except (ValueError, KeyError):
                    query[name] = None  # an invalid cell: the line is refused, its answer unused
            asked.append({"last_name": query["last_name"] or "", "first_name": query["first_name"] or "",
                          "birth_year": query["birth_date"].year if query["birth_date"] else query["birth_year"],
                          "region_id": query["region"].pk if query["region"] else None})
            lines.append(self.sheet_rows[index - 1])
        answers = find_candidates_many(asked, limit=3, queryset=self._people())
        self.candidates = dict(zip(lines, answers, strict=True))

    def before_import_row(self, row, **kwargs):
        self.row_number = self.sheet_rows[kwargs["row_number"] - 1]
        self.validated = None
        self.keys[self.row_number] = [str(row.get(self.header[name]) or "").strip()
                                      for name in ("register_volume", "register_page", "register_line")]

    # -- the rules between columns and between rows (French messages, per column) --------------------

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        if self.validated == self.row_number:
            return
        self.validated = self.row_number
        errors = {k: list(ValidationError(v).messages) for k, v in (import_validation_errors or {}).items()}
        try:
            # The widgets already resolved region, court and unit to rows of their tables.
            instance.full_clean(exclude=[*errors, "job", "row_number", "facility", "inmate", "custody", "case",
                                         "imported_by", "reliability", "status", "region", "court", "unit",
                                         "corrected_by_job", "verified_by"],
                                validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                errors.setdefault(name, []).extend(messages)
        self._cross_rules(instance, errors)
        if errors:
            raise ValidationError(errors)
        if instance.pk is None:
            self._find_duplicates(instance)

    def _cross_rules(self, r, errors):
        def fail(name, message):
            errors.setdefault(name, []).append(message)

        today = timezone.localdate()
        if r.birth_year and not 1900 <= r.birth_year <= today.year and "birth_year" not in errors:
            fail("birth_year", _("Année de naissance invraisemblable."))
        if r.birth_date and r.birth_year and r.birth_date.year != r.birth_year:
            fail("birth_year", _("L'année ne correspond pas à la date de naissance."))
        if not r.birth_date and not r.birth_year and not {"birth_year", "birth_date"} & set(errors):
            fail("birth_year", _("Indiquez la date ou l'année de naissance."))
        if r.case_number and not r.court and "court" not in errors:
            fail("court", _("Obligatoire avec un numéro de dossier."))
        if (r.offence or r.order_kind) and not r.case_number:
            fail("case_number", _("Obligatoire avec une infraction ou un titre."))
        if r.offence and not r.legal_class and "legal_class" not in errors:
            fail("legal_class", _("Obligatoire avec une infraction."))
        if r.order_kind:
            if not r.order_issued_on and "order_issued_on" not in errors:
                fail("order_issued_on", _("Obligatoire avec un titre."))
            if not r.order_issued_by:
                fail("order_issued_by", _("Obligatoire avec un titre."))
            if r.order_issued_on and r.admitted_on and r.order_issued_on > r.admitted_on \
                    and r.order_kind == OrderKind.COMMITTAL:
                fail("order_issued_on", _("Le mandat de dépôt ne peut pas suivre l'écrou."))
        if r.order_valid_until and r.order_issued_on and r.order_valid_until < r.order_issued_on:
            fail("order_valid_until", _("Antérieure à la délivrance du titre."))
        if r.birth_date and r.admitted_on and r.birth_date > r.admitted_on:
            fail("birth_date", _("Postérieure à la date d'écrou."))
        if r.sex and "sex" not in errors and not errors.keys() & {"birth_date", "birth_year"}:
            person = Inmate(sex=r.sex, date_of_birth=r.birth_date, birth_year=r.birth_year)
            kind = (r.sex, person.is_minor, person.age is None)
            if kind not in self.refusals:
                self.refusals[kind] = admission_refusal(self.facility, person)
            if self.refusals[kind]:
                fail("sex", self.refusals[kind])
        if r.unit and r.sex == "M" and r.unit.category == UnitCategory.WOMEN:
            fail("unit", _("Quartier des femmes : un homme n'y est jamais placé (Règle Nelson Mandela 11)."))
        if r.register_volume and r.register_page and r.register_line:
            key = (r.register_volume.casefold(), r.register_page, r.register_line)
            if key in self.seen_lines and self.seen_lines[key] != self.row_number:
                fail("register_line", _("Même volume, page et ligne que la ligne %(n)s du fichier.")
                     % {"n": self.seen_lines[key]})
            self.seen_lines.setdefault(key, self.row_number)
        if r.register_number and r.admitted_on and "register_number" not in errors:
            number = format_prisoner_number(self.facility.code, r.admitted_on.year, int(r.register_number))
            if number in self.numbers_taken and self.numbers_taken[number] != r.pk:
                fail("register_number", _("Le numéro %(n)s est déjà attribué à une autre personne.") % {"n": number})
            elif number in self.seen_numbers and self.seen_numbers[number] != self.row_number:
                fail("register_number", _("Même numéro d'écrou que la ligne %(n)s du fichier.")
                     % {"n": self.seen_numbers[number]})
            self.seen_numbers.setdefault(number, self.row_number)

    def _find_duplicates(self, r):
        """Intake's duplicate detection (inmates.matching, the arrival's engine) against the people
        already in the product, and the same identity earlier in this file."""
        year = r.birth_date.year if r.birth_date else r.birth_year
        found = []
        if self.row_number in self.candidates:
            candidates = self.candidates[self.row_number]
        else:  # not asked at the chunk's start (cannot happen for a valid new line): asked now
            candidates = find_candidates_many([{"last_name": r.last_name, "first_name": r.first_name,
                                                "birth_year": year, "region_id": r.region_id}],
                                              limit=3, queryset=self._people())[0]
        for candidate in candidates:
            person = candidate.inmate
            found.append({"id": person.pk, "name": f"{person.last_name.upper()} {person.first_name}",
                          "number": person.prisoner_number or "", "score": candidate.score, "where": "base"})
        identity = (" ".join(sorted(name_keys(r.last_name, r.first_name).split())), year, r.sex)
        if identity in self.seen_people and self.seen_people[identity] != self.row_number:
            found.append({"row": self.seen_people[identity], "where": "fichier"})
        self.seen_people.setdefault(identity, self.row_number)
        if found:
            self.matches[self.row_number] = found

    # -- writing (the real run only; the dry run never gets here) ------------------------------------

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if instance.pk is None and not import_validation_errors:
            self.validate_instance(instance, import_validation_errors)  # finds the likely duplicates
            # A held line is written only once the clerk decided it is another person.
            return not self.dry_run and self.row_number in self.matches \
                and self.decisions.get(str(self.row_number)) != "create"
        if import_validation_errors or self.before is None:
            return False
        columns = {c.attribute for c in workbook.COLUMNS if c.header in row}
        return all(getattr(instance, name) == self.before[name] for name in columns)

    def before_save_instance(self, instance, row, **kwargs):
        instance._sheet_row = self.row_number  # use_bulk: the row's line travels with its instance

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        """The chunk's new lines written together through registers.bulk (the services' rules, one INSERT
        per model); the check (dry run) writes nothing. Any refusal rolls the chunk back whole."""
        from . import bulk

        lines, self.create_instances = [(r, r._sheet_row) for r in self.create_instances], []
        if self.dry_run or not lines:
            return
        try:
            bulk.write_new_lines(lines, job=self.job, actor=self.actor)
        except WRITE_ERRORS as exc:  # reported on the job (base error), the chunk rolled back
            self.handle_import_error(result, exc, raise_errors)

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        """A corrected line goes through the correction services one by one (rare: a corrected file)."""
        from . import writes

        records, self.update_instances = self.update_instances, []
        if self.dry_run:
            return
        try:
            for record in records:
                writes.write_corrected_line(record, job=self.job, actor=self.actor)
        except WRITE_ERRORS as exc:
            self.handle_import_error(result, exc, raise_errors)

    def import_data(self, dataset, dry_run=False, *, sheet_rows=(), **kwargs):
        """`sheet_rows`: each dataset row's line in the uploaded sheet (the rows' numbers everywhere).
        Each call is one transaction, rolled back for a dry run or on any invalid row."""
        self.dry_run, self.sheet_rows = dry_run, list(sheet_rows) or list(range(2, len(dataset) + 2))
        return super().import_data(dataset, dry_run=dry_run, **kwargs)


def row_result_of(resource, index, row_result) -> dict:
    """One row's public result: its line in the sheet, status, French errors per column header,
    likely duplicates."""
    line = resource.sheet_rows[index - 1]
    result = {"row": line, "status": STATUS_OF.get(row_result.import_type, INVALID),
              "errors": {}, "matches": [], "key": resource.keys.get(line, [])}
    if row_result.validation_error is not None:
        for name, messages in row_result.validation_error.message_dict.items():
            result["errors"][resource.header.get(name, name)] = list(messages)
    for error in row_result.errors:
        result["errors"].setdefault(_("Ligne"), []).append(str(error.error))
    if result["status"] == NEW and line in resource.matches:
        result["status"], result["matches"] = HELD, resource.matches[line]
    return result
