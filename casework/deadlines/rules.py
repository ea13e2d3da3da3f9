"""Pre-trial deadline arithmetic: pure functions over plain values, no database.

Follows LAW.md, "How a deadline is computed":

1. the limit row comes from the most serious current charge (crime > délit >
   contravention) and the code version in force on the date of the detention order;
2. deadline = start + initial period + the renewals actually recorded (each with its
   own end date), never past start + absolute maximum;
3. a conservative date is also computed from the first day of any custody in the matter;
4. flags: approaching, overdue, beyond maximum, no hearing, no detention order, police
   custody exceeded.

The limits themselves are data (casework.models.DetentionLimit); this module receives
them as `Limit` values so that it can be tested with tables and no database.
"""

import calendar
import datetime
import functools
from dataclasses import dataclass, field

# Values mirror casework.models (LimitKey, PeriodUnit, CountedFrom, OrderKind, AlertKind);
# kept as plain strings so that this module imports nothing.
CRIME, DELIT, CONTRAVENTION = "crime", "delit", "contravention"
CLASS_RANK = {CONTRAVENTION: 1, DELIT: 2, CRIME: 3}

POLICE, POLICE_TERRORISM = "police", "police_terrorism"
DELIT_SHORT, DELIT_LONG, CRIME_KEY, FLAGRANT = "delit_short", "delit_long", "crime", "flagrant"

HOURS, DAYS, MONTHS = "hours", "days", "months"
CUSTODY_START, FIRST_APPEARANCE, DETENTION_ORDER = "custody_start", "first_appearance", "detention_order"

# Orders that place someone in pre-trial detention (the start of the count), and renewals.
INITIAL_ORDER_KINDS = ("committal", "detention", "prosecutor", "arrest_warrant")
PROSECUTOR_ORDER = "prosecutor"
RENEWAL_ORDER = "renewal"
# A written authorisation to extend police custody (art. 76): each one adds the row's renewal period.
CUSTODY_EXTENSION_ORDER = "custody_ext"
# Earlier custody that is police custody in the sense of art. 76 (before a judge's order).
# Time in another prison follows a judge's order, so it is not garde à vue.
NON_POLICE_PRIOR_KINDS = ("prison",)

APPROACHING, OVERDUE, BEYOND_MAXIMUM = "approaching", "overdue", "beyond_max"
NO_HEARING, NO_ORDER, POLICE_CUSTODY = "no_hearing", "no_order", "police_custody"

DELIT_SHORT_MAX_PENALTY_MONTHS = 24  # "max penalty ≤ 2 years" (art. 125)


@dataclass(frozen=True)
class Period:
    amount: int
    unit: str

    def after(self, day: datetime.date) -> datetime.date:
        """The day this period, started on `day`, ends (hours round up to whole days)."""
        if self.unit == MONTHS:
            return add_months(day, self.amount)
        if self.unit == DAYS:
            return day + datetime.timedelta(days=self.amount)
        return day + datetime.timedelta(days=-(-self.amount // 24))

    @property
    def hours(self) -> float | None:
        if self.unit == HOURS:
            return float(self.amount)
        if self.unit == DAYS:
            return float(self.amount * 24)
        return None


@dataclass(frozen=True)
class Limit:
    """One row of the limits table, as plain values."""

    key: str
    code_version: str
    valid_from: datetime.date
    valid_to: datetime.date | None
    initial: Period
    maximum: Period
    counted_from: str
    renewal_count: int | None = 0  # None: as many as needed within the maximum
    renewal: Period | None = None
    renewal_window_working_days: int = 0
    id: int | None = None

    def in_force_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True)
class ChargeFacts:
    legal_class: str
    max_penalty_months: int | None = None
    flagrant: bool = False
    terrorism_related: bool = False
    current: bool = True


@dataclass(frozen=True)
class OrderFacts:
    kind: str
    issued_on: datetime.date
    valid_until: datetime.date | None = None


@dataclass(frozen=True)
class CustodySpan:
    """An earlier place of custody (PriorCustody): police, gendarmerie, State Security…"""

    started_at: datetime.datetime
    ended_at: datetime.datetime | None
    kind: str = "police"


@dataclass
class Deadline:
    """What the engine finds for one case."""

    has_order: bool = False
    limit: Limit | None = None
    governing_class: str = ""
    start_on: datetime.date | None = None
    deadline_on: datetime.date | None = None
    max_on: datetime.date | None = None
    renewal_window_from: datetime.date | None = None
    renewals_counted: int = 0
    first_custody_on: datetime.date | None = None
    conservative_deadline_on: datetime.date | None = None
    conservative_max_on: datetime.date | None = None
    police_custody_hours: float | None = None
    police_custody_limit_hours: float | None = None
    police_custody_exceeded: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def hearing_reference_on(self):
        """The day from which "no hearing for N days" counts when no hearing is recorded."""
        return self.start_on or self.first_custody_on


@functools.lru_cache(maxsize=65536)  # a recomputation of every case meets the same few thousand days
def add_months(day: datetime.date, months: int) -> datetime.date:
    """Calendar months, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@functools.lru_cache(maxsize=65536)
def subtract_working_days(day: datetime.date, count: int) -> datetime.date:
    """The day `count` working days (Monday–Friday) before `day`. Public holidays are not known."""
    while count > 0:
        day -= datetime.timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def governing_charge(charges) -> ChargeFacts | None:
    """The most serious current charge (crime > délit > contravention); a reclassified or
    dropped charge no longer counts. Among equals, the longest maximum penalty."""
    current = [c for c in charges if c.current]
    if not current:
        return None
    return max(current, key=lambda c: (CLASS_RANK.get(c.legal_class, 0), c.max_penalty_months or 0))


def limit_key_for(charge: ChargeFacts | None, initial_order_kind: str | None,
                  domiciled_in_mali: bool | None = None) -> tuple[str, list[str]]:
    """Which row of the table applies, and any assumption made to choose it.

    No special pre-trial duration exists for terrorism: a terrorism charge that is a crime
    takes the crime row, otherwise the délit rows (LAW.md). The short-délit row (art. 125)
    applies only to a person domiciled in Mali; when the domicile is not recorded, the
    shorter (more protective) row is kept and the note says so.
    """
    notes = []
    if charge is None:
        notes.append("Aucun chef d'inculpation retenu : délai des délits de plus de 2 ans appliqué par défaut.")
        return DELIT_LONG, notes
    if charge.legal_class == CRIME:
        return CRIME_KEY, notes
    if initial_order_kind == PROSECUTOR_ORDER or charge.flagrant:
        return FLAGRANT, notes
    if charge.legal_class == CONTRAVENTION:
        notes.append("Contravention : la détention provisoire n'est pas prévue ; délai le plus court appliqué.")
        return DELIT_SHORT, notes
    if charge.max_penalty_months is None:
        notes.append("Peine maximale non renseignée : délai des délits de plus de 2 ans appliqué.")
        return DELIT_LONG, notes
    if charge.max_penalty_months <= DELIT_SHORT_MAX_PENALTY_MONTHS:
        if domiciled_in_mali is False:
            notes.append("Personne non domiciliée au Mali : l'art. 125 (un mois) ne s'applique pas ; "
                         "délai des délits de plus de 2 ans appliqué.")
            return DELIT_LONG, notes
        if domiciled_in_mali is None:
            notes.append("Domicile au Mali non renseigné : délai d'un mois (art. 125) appliqué, à vérifier.")
        return DELIT_SHORT, notes
    return DELIT_LONG, notes


def choose_limit(limits, key: str, on: datetime.date) -> Limit | None:
    """The row for `key` in the code version in force on `on` (the detention order's date)."""
    rows = [lim for lim in limits if lim.key == key and lim.in_force_on(on)]
    return max(rows, key=lambda lim: lim.valid_from) if rows else None


def police_custody(spans, *, admitted_at: datetime.datetime | None, terrorism_related: bool,
                   limits, ) -> tuple[float | None, Limit | None]:
    """Hours spent in police custody before arrival (overlaps merged), and the row that applies.

    A span without an end is taken to last until admission.
    """
    periods = []
    for span in spans:
        if span.kind in NON_POLICE_PRIOR_KINDS:
            continue
        end = span.ended_at or admitted_at
        if end is None or end < span.started_at:
            continue
        periods.append((span.started_at, end))
    if not periods:
        return None, None
    periods.sort()
    total = datetime.timedelta()
    cur_start, cur_end = periods[0]
    for start, end in periods[1:]:
        if start <= cur_end:
            cur_end = max(cur_end, end)
        else:
            total += cur_end - cur_start
            cur_start, cur_end = start, end
    total += cur_end - cur_start
    key = POLICE_TERRORISM if terrorism_related else POLICE
    limit = choose_limit(limits, key, periods[0][0].date())
    return round(total.total_seconds() / 3600, 1), limit


def police_custody_limit_hours(limit: Limit, extensions: int) -> tuple[float | None, list[str]]:
    """The police-custody limit in hours: the initial period plus the written extensions
    actually recorded (at most the row's number), never past the absolute maximum (art. 76)."""
    notes = []
    if limit.initial.hours is None:
        return limit.maximum.hours, notes
    allowed = extensions if limit.renewal_count is None else min(extensions, limit.renewal_count)
    if allowed < extensions:
        notes.append(f"{extensions - allowed} autorisation(s) de prolongation de garde à vue au-delà du nombre "
                     "prévu par le tableau : non prise(s) en compte.")
    hours = limit.initial.hours
    if allowed and limit.renewal is not None and limit.renewal.hours is not None:
        hours += allowed * limit.renewal.hours
    if limit.maximum.hours is not None:
        hours = min(hours, limit.maximum.hours)
    return hours, notes


def compute_deadline(
    *,
    charges,
    orders,
    limits,
    first_appearance_on: datetime.date | None = None,
    first_custody_at: datetime.datetime | None = None,
    prior_custody=(),
    admitted_at: datetime.datetime | None = None,
    domiciled_in_mali: bool | None = None,
) -> Deadline:
    """The legal deadline of one pre-trial detention (LAW.md "How a deadline is computed")."""
    result = Deadline()
    if first_custody_at is not None:
        result.first_custody_on = first_custody_at.date()

    charge = governing_charge(charges)
    terrorism = any(c.terrorism_related for c in charges if c.current)
    hours, police_limit = police_custody(prior_custody, admitted_at=admitted_at,
                                         terrorism_related=terrorism, limits=limits)
    result.police_custody_hours = hours
    if police_limit is not None and hours is not None:
        extensions = sum(1 for o in orders if o.kind == CUSTODY_EXTENSION_ORDER)
        limit_hours, notes = police_custody_limit_hours(police_limit, extensions)
        result.notes += notes
        result.police_custody_limit_hours = limit_hours
        result.police_custody_exceeded = limit_hours is not None and hours > limit_hours
        if result.police_custody_exceeded:
            written = (f"{extensions} prolongation(s) écrite(s) enregistrée(s)" if extensions
                       else "sans prolongation écrite enregistrée")
            result.notes.append(f"Garde à vue de {hours:g} h, {written} : limite de {limit_hours:g} h dépassée "
                                "(art. 76).")

    initial_orders = sorted((o for o in orders if o.kind in INITIAL_ORDER_KINDS), key=lambda o: o.issued_on)
    if not initial_orders:
        result.notes.append("Aucun titre de détention au dossier.")
        return result
    initial = initial_orders[0]
    result.has_order = True
    result.governing_class = charge.legal_class if charge else ""

    key, notes = limit_key_for(charge, initial.kind, domiciled_in_mali)
    result.notes += notes
    limit = choose_limit(limits, key, initial.issued_on)
    if limit is None:
        result.notes.append("Aucun délai applicable dans le tableau pour la date du titre.")
        return result
    result.limit = limit

    start = initial.issued_on
    if limit.counted_from == FIRST_APPEARANCE and first_appearance_on:
        start = first_appearance_on
    elif limit.counted_from == FIRST_APPEARANCE:
        result.notes.append(f"Première comparution non enregistrée : point de départ supposé au "
                            f"{start:%d/%m/%Y} (date du titre), à vérifier.")
    elif limit.counted_from == CUSTODY_START and result.first_custody_on:
        start = result.first_custody_on
    result.start_on = start
    maximum = limit.maximum.after(start)
    deadline = min(limit.initial.after(start), maximum)

    renewals = sorted((o for o in orders if o.kind == RENEWAL_ORDER), key=lambda o: o.issued_on)
    for renewal in renewals:
        if limit.renewal_count is not None and result.renewals_counted >= limit.renewal_count:
            result.notes.append("Prolongation non prévue par le tableau pour ce délai : non prise en compte.")
            break
        if renewal.issued_on > deadline:
            # A renewal made after expiry cannot cure a detention that had already lapsed.
            result.notes.append(f"Prolongation du {renewal.issued_on:%d/%m/%Y} postérieure à l'échéance : "
                                "non prise en compte.")
            break
        if not renewal_in_window(renewal, deadline, limit, result.notes):
            continue
        end = renewal.valid_until
        if end is None and limit.renewal is not None:
            end = limit.renewal.after(deadline)
        if end is None:
            continue
        if limit.key == CRIME_KEY and limit.renewal is not None and end > limit.renewal.after(deadline):
            # A renewal "for at most" the row's period (crime: 12 months, art. 135) that asks for
            # more is not a valid renewal: it is not counted, and the note says why.
            result.notes.append(f"Prolongation du {renewal.issued_on:%d/%m/%Y} jusqu'au {end:%d/%m/%Y} : "
                                f"plus de {limit.renewal.amount} mois après l'échéance du "
                                f"{deadline:%d/%m/%Y}, non prise en compte.")
            continue
        if end > maximum:
            result.notes.append("Prolongation au-delà de la durée maximale : ramenée à la durée maximale.")
        deadline = min(max(deadline, end), maximum)
        result.renewals_counted += 1

    result.deadline_on, result.max_on = deadline, maximum
    if limit.renewal_window_working_days:
        result.renewal_window_from = subtract_working_days(deadline, limit.renewal_window_working_days)

    if result.first_custody_on and result.first_custody_on < start:
        # The same lengths, counted from the first day of any custody in the matter (LAW.md §3).
        result.conservative_deadline_on = result.first_custody_on + (deadline - start)
        result.conservative_max_on = limit.maximum.after(result.first_custody_on)
    else:
        result.conservative_deadline_on, result.conservative_max_on = deadline, maximum
    return result


def renewal_in_window(renewal: OrderFacts, deadline: datetime.date, limit: Limit, notes: list) -> bool:
    """A renewal counts only if made within the row's window of working days before expiry
    (crime: the 8 working days, art. 135); a row without a window accepts any earlier date."""
    if not limit.renewal_window_working_days:
        return True
    opens = subtract_working_days(deadline, limit.renewal_window_working_days)
    if renewal.issued_on < opens:
        notes.append(f"Prolongation du {renewal.issued_on:%d/%m/%Y} rendue avant les "
                     f"{limit.renewal_window_working_days} jours ouvrables précédant l'échéance du "
                     f"{deadline:%d/%m/%Y} (à partir du {opens:%d/%m/%Y}) : non prise en compte.")
        return False
    return True


def flags(deadline: Deadline, *, today: datetime.date, last_hearing_on: datetime.date | None,
          approaching_days: int, no_hearing_days: int) -> set[str]:
    """The alert kinds that apply to a still-untried, still-held detention on `today`.

    The nightly sweep evaluates the same conditions in SQL over the stored deadlines.
    """
    kinds = set()
    if deadline.police_custody_exceeded:
        kinds.add(POLICE_CUSTODY)
    if not deadline.has_order:
        kinds.add(NO_ORDER)
    if deadline.deadline_on is not None:
        if today > deadline.deadline_on:
            kinds.add(OVERDUE)
        elif (deadline.deadline_on - today).days <= approaching_days or (
            deadline.renewal_window_from is not None and today >= deadline.renewal_window_from
        ):
            kinds.add(APPROACHING)
        if deadline.max_on is not None and today > deadline.max_on:
            kinds.add(BEYOND_MAXIMUM)
    reference = deadline.hearing_reference_on
    if reference is not None:
        latest = max(reference, last_hearing_on) if last_hearing_on else reference
        if (today - latest).days > no_hearing_days:
            kinds.add(NO_HEARING)
    return kinds


def days_overdue(deadline_on: datetime.date | None, today: datetime.date) -> int | None:
    """Days past the deadline (negative: days left)."""
    return None if deadline_on is None else (today - deadline_on).days
