"""The new lines of one chunk of a register file written together, inside the chunk's transaction: the
people, their stays, cases, charges, detention orders and placements, then the imported records, each
model in one INSERT per batch instead of a service call (and some twenty queries) per line.

The rules are the services' own, applied to the whole chunk at once with the reference data read once:
the prison in service and holding the person's category (`inmates.services.admission_refusal`, once
per kind of person), the register's or the counter's prisoner number (the counter locked once per
year for the chunk), each object `full_clean()`ed (its foreign keys are rows already read, so they are
not fetched again; the unique constraints are the database's, and any collision rolls the chunk back
whole), the legal status computed by `casework.status` as `refresh_legal_status` would, the title on
file before the stay counts as held (`complete_admission`'s rule), and a placement refused in a unit
holding the other sex, with the warnings of `placement_warnings` (full unit, mixed categories) kept
with the register's reason as `place_in_unit` keeps them. Every object written gets the audit entry its
service would have written (`accounts.services.record_audits`: one entry per record, keyed digest,
sealed later like any other), and the exchange sees every write (`pre_save` / `post_save` are sent for
each object, as a save sends them). A line whose order is a police-custody extension (checked against
the limits table, one by one) goes through `registers.writes.write_new_line`, the services themselves.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, router, transaction
from django.db.models.signals import post_save, pre_save
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditAction
from accounts.services import record_audits
from casework import services as casework_services
from casework.models import Case, Charge, ChargeStatus, DetentionOrder, OrderKind
from casework.status import case_legal_status, custody_legal_status
from core.clock import is_future
from inmates import services as inmate_services
from inmates.models import UNTRIED_STATUSES, Custody, CustodyStatus, Inmate, Placement, PrisonerNumberCounter
from prisons.models import FacilityStatus

from . import writes
from .models import ImportedRecord, Reliability

BATCH = 1000
# Kept with each placement as place_in_unit keeps an override (the register says where the person is).
PLACEMENT_OVERRIDE = "Placement porté au registre papier"


def _values(fields: dict) -> dict:
    return {k: [None, str(v)] for k, v in fields.items() if v not in (None, "", False)}


def _insert(model, objects):
    """INSERT the objects (primary keys set), announcing each write as a save would."""
    if not objects:
        return
    using = router.db_for_write(model)
    for obj in objects:
        pre_save.send(sender=model, instance=obj, raw=False, using=using, update_fields=None)
    model.objects.bulk_create(objects, batch_size=BATCH)
    for obj in objects:
        obj._state.adding, obj._state.db = False, using
        post_save.send(sender=model, instance=obj, created=True, update_fields=None, raw=False, using=using)


def _clean(obj, exclude):
    obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)


class _Units:
    """Who is in each unit now (sex, untried, minor, terrorism), read once for the chunk."""

    def __init__(self, units):
        self.occupants = {u.pk: [] for u in units}
        for placement in (Placement.objects.filter(unit__in=units, ended_at__isnull=True)
                          .select_related("custody__inmate")):
            self.add(placement.unit_id, placement.custody)

    def add(self, unit_id, custody):
        person = custody.inmate
        self.occupants[unit_id].append((person.sex, custody.legal_status in UNTRIED_STATUSES, person.is_minor,
                                        custody.terrorism_related))

    def refusal(self, unit, custody):
        if any(sex != custody.inmate.sex for sex, *_rest in self.occupants[unit.pk]):
            return _("L'unité accueille des personnes de l'autre sexe : hommes et femmes sont toujours "
                     "séparés (Règle Nelson Mandela 11). Aucun motif ne permet ce placement.")
        return None

    def warnings(self, unit, custody):
        """placement_warnings' list, from the occupants in memory."""
        occupants, warnings = self.occupants[unit.pk], []
        if len(occupants) >= unit.capacity:
            warnings.append(_("L'unité est pleine (%(n)d occupants pour %(c)d places).")
                            % {"n": len(occupants), "c": unit.capacity})
        if any(untried != (custody.legal_status in UNTRIED_STATUSES) for _s, untried, _m, _t in occupants):
            warnings.append(_("L'unité mélange prévenus et condamnés (Règle 11)."))
        if any(minor != custody.inmate.is_minor for _s, _u, minor, _t in occupants):
            warnings.append(_("L'unité mélange mineurs et majeurs (Règle 11)."))
        if any(terrorism != custody.terrorism_related for *_rest, terrorism in occupants):
            warnings.append(_("L'unité mêle affaires de terrorisme et population générale."))
        return warnings


def _counter_numbers(facility, count):
    """`count` numbers from the prison's counter for this year, the counter locked once."""
    if not count:
        return []
    year = timezone.localdate().year
    try:
        with transaction.atomic():  # a savepoint: losing the creation race leaves the chunk usable
            PrisonerNumberCounter.objects.get_or_create(facility=facility, year=year)
    except IntegrityError:
        pass
    counter = PrisonerNumberCounter.objects.select_for_update().get(facility=facility, year=year)
    first = counter.last_value + 1
    counter.last_value += count
    counter.save(update_fields=["last_value"])
    return [inmate_services.format_prisoner_number(facility.code, year, first + i) for i in range(count)]


def _fail(row_number, error):
    messages = error.messages if isinstance(error, ValidationError) else [str(error)]
    raise ValidationError(_("Ligne %(n)s : %(e)s") % {"n": row_number, "e": " ".join(messages)})


@transaction.atomic
def write_new_lines(lines, *, job, actor) -> list[ImportedRecord]:
    """Write the chunk's new lines, `lines` being (record, row number) pairs from the resource; all
    or nothing (a refusal names its line and rolls the chunk back)."""
    facility = job.facility
    one_by_one = [(r, n) for r, n in lines if r.order_kind == OrderKind.CUSTODY_EXTENSION]
    lines = [(r, n) for r, n in lines if r.order_kind != OrderKind.CUSTODY_EXTENSION]
    written = [writes.write_new_line(r, job=job, row_number=n, actor=actor) for r, n in one_by_one]
    if not lines:
        return written
    if facility.status != FacilityStatus.OPERATIONAL:
        raise ValidationError({"facility": _("%(f)s n'est pas en service (%(s)s) : aucune admission possible.")
                               % {"f": facility, "s": facility.get_status_display()}})
    reason, audits, refusals = writes.import_reason(job), [], {}

    def audit(action, target, inmate_id, changes, why=""):
        audits.append({"action": action, "target": target, "inmate_id": inmate_id, "facility_id": facility.pk,
                       "changes": changes, "reason": why})

    # The people.
    numbers = iter(_counter_numbers(facility, sum(not r.register_number for r, _n in lines)))
    people = []
    for record, row_number in lines:
        number = (inmate_services.format_prisoner_number(facility.code, record.admitted_on.year,
                                                         int(record.register_number))
                  if record.register_number else next(numbers))
        fields = {**writes.identity_fields(record), "prisoner_number": number}
        person = Inmate(**fields)
        inmate_services.set_name_fields(person, [])
        kind = (person.sex, person.is_minor, person.age is None)
        if kind not in refusals:
            refusals[kind] = inmate_services.admission_refusal(facility, person)
        try:
            if refusals[kind]:
                raise ValidationError({"facility": refusals[kind]})
            _clean(person, ["region_of_origin"])
        except ValidationError as error:
            _fail(row_number, error)
        people.append((person, fields))
    _insert(Inmate, [p for p, _f in people])
    for person, fields in people:
        audit(AuditAction.CREATE, person, person.pk, {k: [None, str(v)] for k, v in fields.items()
                                                       if v not in (None, "")})

    # The stays, with the legal status their cases give them.
    stays = []
    for (record, row_number), (person, _f) in zip(lines, people, strict=True):
        status = case_legal_status(has_current_charge=bool(record.offence), judgments=[])
        stay = Custody(inmate=person, facility=facility, admitted_at=writes.admitted_at(record.admitted_on),
                       status=CustodyStatus.INTAKE, committing_authority=record.order_issued_by[:160])
        if record.case_number:  # refresh_legal_status after open_case
            stay.legal_status = custody_legal_status([status])
        try:
            _clean(stay, ["inmate", "facility"])
        except ValidationError as error:
            _fail(row_number, error)
        stays.append(stay)

    # The cases, charges and orders.
    cases, charges, orders = [], [], []
    for (record, row_number), stay in zip(lines, stays, strict=True):
        if not record.case_number:
            cases.append(None)
            continue
        case = Case(custody=stay, court=record.court, case_number=record.case_number.strip(),
                    legal_status=stay.legal_status)
        if record.legal_status in ("convicted", "appeal") and record.legal_status != stay.legal_status:
            # The register says convicted without the judgment in the file: kept, and the audit says so.
            stay.register_status = [stay.legal_status, record.legal_status]
            case.legal_status = stay.legal_status = record.legal_status
        charge = order = None
        if record.offence:
            charge = Charge(case=case, offence=record.offence, legal_class=record.legal_class,
                            status=ChargeStatus.CURRENT)
        if record.order_kind:
            order = DetentionOrder(case=case, kind=record.order_kind, reference=record.order_reference,
                                   issued_on=record.order_issued_on, issued_by=record.order_issued_by,
                                   valid_until=record.order_valid_until)
        try:
            _clean(case, ["custody", "court"])
            if charge:
                _clean(charge, ["case"])
            if order:
                _clean(order, ["case", "renews"])
        except ValidationError as error:
            _fail(row_number, error)
        # complete_admission's rule: a current charge and a title on file, else the stay stays "being committed".
        if charge and order and order.kind not in inmate_services.NOT_A_TITLE_KINDS:
            stay.status = CustodyStatus.HELD
        cases.append((case, charge, order))
        charges += [charge] if charge else []
        orders += [order] if order else []

    _insert(Custody, stays)
    for stay in stays:
        audit(AuditAction.CREATE, stay, stay.inmate_id, {"facility": [None, str(facility)],
                                                         "admitted_at": [None, str(stay.admitted_at)]})
    _insert(Case, [c[0] for c in cases if c])  # bulk_create sets each foreign key from its saved row
    _insert(Charge, charges)
    _insert(DetentionOrder, orders)
    for stay, item in zip(stays, cases, strict=True):
        if not item:
            continue
        case, charge, order = item
        audit(AuditAction.CREATE, case, stay.inmate_id,
              _values({"case_number": case.case_number, "court": case.court}))
        if charge:
            audit(AuditAction.CREATE, charge, stay.inmate_id,
                  _values({"offence": charge.offence, "legal_class": charge.legal_class, "status": charge.status}))
        if order:
            audit(AuditAction.CREATE, order, stay.inmate_id, _values({
                "kind": order.kind, "reference": order.reference, "issued_on": order.issued_on,
                "issued_by": order.issued_by, "valid_until": order.valid_until}))
        if getattr(stay, "register_status", None):
            audit(AuditAction.UPDATE, stay, stay.inmate_id, {"legal_status": stay.register_status},
                  _("Statut porté au registre papier ; jugement à saisir"))
        if stay.status == CustodyStatus.HELD:
            audit(AuditAction.UPDATE, stay, stay.inmate_id, {"status": [CustodyStatus.INTAKE, CustodyStatus.HELD]})

    # The placements.
    units = _Units({r.unit for r, _n in lines if r.unit})
    placements = []
    for (record, row_number), stay in zip(lines, stays, strict=True):
        if not record.unit:
            continue
        unit, at = record.unit, stay.admitted_at
        refusal = units.refusal(unit, stay)
        if refusal or is_future(at):
            _fail(row_number, ValidationError(refusal or _("La date du placement doit se situer entre l'écrou "
                                                           "et maintenant.")))
        warnings = units.warnings(unit, stay)
        placement = Placement(custody=stay, unit=unit, started_at=at, reason=reason, created_by=actor,
                              warning_override=_(PLACEMENT_OVERRIDE) if warnings else "")
        try:
            _clean(placement, ["custody", "unit", "created_by"])
        except ValidationError as error:
            _fail(row_number, error)
        units.add(unit.pk, stay)
        placements.append(placement)
    _insert(Placement, placements)
    for placement in placements:
        audit(AuditAction.CREATE, placement, placement.custody.inmate_id, {"unit": [None, str(placement.unit)]},
              _(PLACEMENT_OVERRIDE))

    # The imported records, "to be verified", with their provenance.
    records = []
    for (record, row_number), stay, item in zip(lines, stays, cases, strict=True):
        record.job, record.row_number, record.facility, record.imported_by = job, row_number, facility, actor
        record.inmate, record.custody, record.case = stay.inmate, stay, item[0] if item else None
        record.reliability = writes.RELIABILITY_OF.get(record.origin, Reliability.REGISTER)
        try:
            _clean(record, ["job", "facility", "inmate", "custody", "case", "imported_by", "region", "court",
                            "unit", "corrected_by_job", "verified_by"])
        except ValidationError as error:
            _fail(row_number, error)
        records.append(record)
    _insert(ImportedRecord, records)
    for record in records:
        audit(AuditAction.CREATE, record, record.inmate_id, {
            "source": str(record.source), "import": job.pk, "ligne du fichier": record.row_number}, reason)
    record_audits(audits, actor=actor)
    casework_services.note_cases_changed([c[0].pk for c in cases if c])
    return written + records

