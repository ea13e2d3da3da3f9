"""The deadline engine (casework.deadlines.rules): pure rules, tables, no database. LAW.md is the spec."""

import datetime as dt

import pytest

from casework.deadlines import rules
from casework.deadlines.rules import ChargeFacts, CustodySpan, OrderFacts, Period

D = dt.date
UTC = dt.UTC


def limit(key, initial, maximum, counted_from, renewal_count=0, renewal=None, window=0,
          version="CPP-2001", valid_from=D(2001, 8, 20), valid_to=D(2025, 6, 12)):
    return rules.Limit(key=key, code_version=version, valid_from=valid_from, valid_to=valid_to,
                       initial=Period(*initial), maximum=Period(*maximum), counted_from=counted_from,
                       renewal_count=renewal_count, renewal=Period(*renewal) if renewal else None,
                       renewal_window_working_days=window)


def law_table(version="CPP-2001", valid_from=D(2001, 8, 20), valid_to=D(2025, 6, 12)):
    """LAW.md's table, as seeded by migration 0004."""
    v = dict(version=version, valid_from=valid_from, valid_to=valid_to)
    return [
        limit("police", (48, "hours"), (72, "hours"), "custody_start", 1, (24, "hours"), **v),
        limit("police_terrorism", (48, "hours"), (144, "hours"), "custody_start", 2, (48, "hours"), **v),
        limit("delit_short", (1, "months"), (1, "months"), "first_appearance", **v),
        limit("delit_long", (6, "months"), (12, "months"), "detention_order", 1, (6, "months"), **v),
        limit("crime", (12, "months"), (36, "months"), "detention_order", None, (12, "months"), 8, **v),
        limit("flagrant", (3, "months"), (3, "months"), "detention_order", **v),
    ]


LIMITS = law_table() + law_table("CPP-2024", D(2025, 6, 13), None)

CRIME = ChargeFacts("crime", 240)
TERROR_CRIME = ChargeFacts("crime", 240, terrorism_related=True)
DELIT_3Y = ChargeFacts("delit", 36)
DELIT_1Y = ChargeFacts("delit", 12)
DELIT_FLAGRANT = ChargeFacts("delit", 36, flagrant=True)
CONTRAVENTION = ChargeFacts("contravention", 1)


def committal(day):
    return OrderFacts("committal", day)


def renewal(day, until=None):
    return OrderFacts("renewal", day, until)


def compute(charges, orders, **kw):
    return rules.compute_deadline(charges=charges, orders=orders, limits=LIMITS, **kw)


# --- calendar arithmetic ----------------------------------------------------------------------

@pytest.mark.parametrize("day, months, expected", [
    (D(2024, 1, 31), 1, D(2024, 2, 29)),   # leap year: clamped to 29 February
    (D(2023, 1, 31), 1, D(2023, 2, 28)),   # common year: 28 February
    (D(2024, 2, 29), 12, D(2025, 2, 28)),  # leap day + 1 year
    (D(2024, 2, 29), 48, D(2028, 2, 29)),  # leap day + 4 years
    (D(2024, 8, 31), 6, D(2025, 2, 28)),   # month end across the year
    (D(2024, 3, 31), 1, D(2024, 4, 30)),
    (D(2024, 12, 15), 1, D(2025, 1, 15)),
    (D(2024, 5, 10), 0, D(2024, 5, 10)),
])
def test_months_are_calendar_months_clamped_to_month_end(day, months, expected):
    assert rules.add_months(day, months) == expected


@pytest.mark.parametrize("day, count, expected", [
    (D(2026, 11, 27), 8, D(2026, 11, 17)),  # Friday − 8 working days = the Tuesday before last
    (D(2026, 11, 30), 1, D(2026, 11, 27)),  # Monday − 1 = Friday
    (D(2026, 11, 29), 8, D(2026, 11, 18)),  # from a Sunday
])
def test_working_days_skip_weekends(day, count, expected):
    assert rules.subtract_working_days(day, count) == expected


def test_hours_round_up_to_whole_days():
    assert Period(72, "hours").after(D(2026, 1, 1)) == D(2026, 1, 4)
    assert Period(30, "hours").after(D(2026, 1, 1)) == D(2026, 1, 3)


# --- one case per row of the table ------------------------------------------------------------

@pytest.mark.parametrize("charges, orders, kw, key, deadline, maximum", [
    # délit > 2 years: 6 months from the order, 12 at most (art. 127)
    ([DELIT_3Y], [committal(D(2024, 3, 15))], {}, "delit_long", D(2024, 9, 15), D(2025, 3, 15)),
    # délit ≤ 2 years: 1 month from the first appearance (art. 125)
    ([DELIT_1Y], [committal(D(2024, 3, 15))], {"first_appearance_on": D(2024, 3, 18)},
     "delit_short", D(2024, 4, 18), D(2024, 4, 18)),
    # … from the order when no first appearance is recorded
    ([DELIT_1Y], [committal(D(2024, 1, 31))], {}, "delit_short", D(2024, 2, 29), D(2024, 2, 29)),
    # crime: 12 months, 36 at most (art. 135); a terrorism crime takes the crime row
    ([CRIME], [committal(D(2023, 5, 2))], {}, "crime", D(2024, 5, 2), D(2026, 5, 2)),
    ([TERROR_CRIME], [committal(D(2023, 5, 2))], {}, "crime", D(2024, 5, 2), D(2026, 5, 2)),
    # flagrant délit on a prosecutor's order: 3 months (default, unverified)
    ([DELIT_FLAGRANT], [OrderFacts("prosecutor", D(2024, 11, 30))], {}, "flagrant", D(2025, 2, 28),
     D(2025, 2, 28)),
    ([DELIT_3Y], [OrderFacts("prosecutor", D(2024, 1, 10))], {}, "flagrant", D(2024, 4, 10), D(2024, 4, 10)),
    # a contravention: no pre-trial detention is provided for; the shortest délit row applies
    ([CONTRAVENTION], [committal(D(2024, 6, 1))], {}, "delit_short", D(2024, 7, 1), D(2024, 7, 1)),
    # unknown maximum penalty: délit > 2 years, with a note
    ([ChargeFacts("delit", None)], [committal(D(2024, 6, 1))], {}, "delit_long", D(2024, 12, 1), D(2025, 6, 1)),
])
def test_each_row_of_the_limits_table(charges, orders, kw, key, deadline, maximum):
    found = compute(charges, orders, **kw)
    assert found.has_order
    assert found.limit.key == key
    assert (found.deadline_on, found.max_on) == (deadline, maximum)


def test_the_most_serious_current_charge_governs():
    found = compute([DELIT_1Y, CRIME, CONTRAVENTION], [committal(D(2024, 1, 1))])
    assert found.limit.key == "crime" and found.governing_class == "crime"


def test_a_reclassified_charge_no_longer_counts():
    reclassified = ChargeFacts("crime", 240, current=False)
    found = compute([reclassified, DELIT_3Y], [committal(D(2024, 1, 1))])
    assert found.limit.key == "delit_long"
    assert found.deadline_on == D(2024, 7, 1)


def test_code_version_is_chosen_by_the_date_of_the_detention_order():
    new_code = law_table("CPP-2024", D(2025, 6, 13), None)
    new_code = [_limit if _limit.key != "delit_long" else limit("delit_long", (4, "months"), (8, "months"),
                                                          "detention_order", 1, (4, "months"),
                                                          version="CPP-2024", valid_from=D(2025, 6, 13),
                                                          valid_to=None) for _limit in new_code]
    limits = law_table() + new_code
    before = rules.compute_deadline(charges=[DELIT_3Y], orders=[committal(D(2025, 6, 12))], limits=limits)
    after = rules.compute_deadline(charges=[DELIT_3Y], orders=[committal(D(2025, 6, 13))], limits=limits)
    assert (before.limit.code_version, before.deadline_on) == ("CPP-2001", D(2025, 12, 12))
    assert (after.limit.code_version, after.deadline_on) == ("CPP-2024", D(2025, 10, 13))


# --- renewals ---------------------------------------------------------------------------------

@pytest.mark.parametrize("charges, orders, deadline, counted, note", [
    # a renewal on the very last day counts, with its own end date
    ([DELIT_3Y], [committal(D(2024, 1, 10)), renewal(D(2024, 7, 10), D(2024, 12, 31))], D(2024, 12, 31), 1, ""),
    # a renewal the day after expiry cannot cure the lapse
    ([DELIT_3Y], [committal(D(2024, 1, 10)), renewal(D(2024, 7, 11), D(2024, 12, 31))], D(2024, 7, 10), 0,
     "postérieure"),
    # a renewal without an end date runs for the table's renewal length
    ([DELIT_3Y], [committal(D(2024, 1, 10)), renewal(D(2024, 6, 1))], D(2025, 1, 10), 1, ""),
    # capped at start + absolute maximum
    ([DELIT_3Y], [committal(D(2024, 1, 10)), renewal(D(2024, 6, 1), D(2025, 6, 1))], D(2025, 1, 10), 1,
     "maximale"),
    # délit > 2 years allows one renewal only
    ([DELIT_3Y], [committal(D(2024, 1, 10)), renewal(D(2024, 6, 1), D(2024, 10, 1)),
                  renewal(D(2024, 9, 30), D(2025, 1, 10))], D(2024, 10, 1), 1, "non prévue"),
    # délit ≤ 2 years: none
    ([DELIT_1Y], [committal(D(2024, 1, 10)), renewal(D(2024, 2, 1), D(2024, 5, 1))], D(2024, 2, 10), 0,
     "non prévue"),
    # crime: yearly renewals up to 36 months
    ([CRIME], [committal(D(2022, 2, 28)), renewal(D(2023, 2, 20), D(2024, 2, 28)),
               renewal(D(2024, 2, 27), D(2025, 2, 28))], D(2025, 2, 28), 2, ""),
    ([CRIME], [committal(D(2022, 2, 28)), renewal(D(2023, 2, 20), D(2024, 2, 28)),
               renewal(D(2024, 2, 27), D(2025, 2, 28)), renewal(D(2025, 2, 28), D(2026, 2, 28))],
     D(2025, 2, 28), 3, "maximale"),
])
def test_recorded_renewals(charges, orders, deadline, counted, note):
    found = compute(charges, orders)
    assert found.deadline_on == deadline
    assert found.renewals_counted == counted
    assert note in " ".join(found.notes)


def test_crime_renewal_window_is_eight_working_days_before_expiry():
    found = compute([CRIME], [committal(D(2025, 11, 27))])
    assert found.deadline_on == D(2026, 11, 27)
    assert found.renewal_window_from == D(2026, 11, 17)


def test_no_detention_order_on_file():
    found = compute([CRIME], [OrderFacts("custody_ext", D(2024, 1, 1))])
    assert not found.has_order and found.deadline_on is None


# --- conservative date from the first day of any custody --------------------------------------

def test_conservative_date_counts_from_the_first_day_of_custody():
    found = compute([DELIT_3Y], [committal(D(2024, 3, 15))],
                    first_custody_at=dt.datetime(2024, 2, 20, 8, 0, tzinfo=UTC))
    assert found.deadline_on == D(2024, 9, 15)
    assert found.conservative_deadline_on == D(2024, 8, 22)  # the same 184 days from 20 February
    assert found.conservative_max_on == D(2025, 2, 20)


def test_conservative_date_equals_deadline_without_earlier_custody():
    found = compute([DELIT_3Y], [committal(D(2024, 3, 15))],
                    first_custody_at=dt.datetime(2024, 3, 15, 8, 0, tzinfo=UTC))
    assert found.conservative_deadline_on == found.deadline_on


# --- police custody (art. 76) -----------------------------------------------------------------

def at(day, hour=0):
    return dt.datetime(2024, 5, day, hour, tzinfo=UTC)


def extension(day=D(2024, 5, 2)):
    return OrderFacts("custody_ext", day)


@pytest.mark.parametrize("charges, spans, extensions, hours, limit_hours, exceeded", [
    ([DELIT_3Y], [CustodySpan(at(1), at(3), "police")], 0, 48.0, 48, False),     # exactly 48 h
    # past 48 h without a written extension: exceeded, although under the 72 h maximum
    ([DELIT_3Y], [CustodySpan(at(1), at(3, 1), "police")], 0, 49.0, 48, True),
    ([DELIT_3Y], [CustodySpan(at(1), at(4), "police")], 0, 72.0, 48, True),
    # one written extension of 24 h: 72 h
    ([DELIT_3Y], [CustodySpan(at(1), at(4), "police")], 1, 72.0, 72, False),
    ([DELIT_3Y], [CustodySpan(at(1), at(4, 1), "gendarmerie")], 1, 73.0, 72, True),
    # a second extension is not provided for: still 72 h
    ([DELIT_3Y], [CustodySpan(at(1), at(4, 1), "gendarmerie")], 2, 73.0, 72, True),
    # overlapping spans are merged; time in another prison is not police custody
    ([DELIT_3Y], [CustodySpan(at(1), at(3), "police"), CustodySpan(at(2), at(4, 6), "state_security"),
                  CustodySpan(at(5), at(20), "prison")], 1, 78.0, 72, True),
    # terrorism: 48 h, + 48 h per written extension, two at most: 144 h
    ([TERROR_CRIME], [CustodySpan(at(1), at(3, 12), "gendarmerie")], 0, 60.0, 48, True),
    ([TERROR_CRIME], [CustodySpan(at(1), at(5), "gendarmerie")], 1, 96.0, 96, False),
    ([TERROR_CRIME], [CustodySpan(at(1), at(6), "gendarmerie")], 1, 120.0, 96, True),
    ([TERROR_CRIME], [CustodySpan(at(1), at(6), "gendarmerie")], 2, 120.0, 144, False),
    ([TERROR_CRIME], [CustodySpan(at(1), at(8), "state_security")], 2, 168.0, 144, True),
    ([TERROR_CRIME], [CustodySpan(at(1), at(8), "state_security")], 3, 168.0, 144, True),
    # a span with no end lasts until admission
    ([DELIT_3Y], [CustodySpan(at(1), None, "police")], 1, 96.0, 72, True),
])
def test_police_custody_exceeded(charges, spans, extensions, hours, limit_hours, exceeded):
    orders = [committal(D(2024, 5, 5))] + [extension() for _ in range(extensions)]
    found = compute(charges, orders, prior_custody=spans, admitted_at=at(5))
    assert found.police_custody_hours == hours
    assert found.police_custody_limit_hours == limit_hours
    assert found.police_custody_exceeded is exceeded
    assert ("limite de" in " ".join(found.notes)) is exceeded


def test_police_custody_note_says_no_written_extension():
    found = compute([DELIT_3Y], [committal(D(2024, 5, 5))],
                    prior_custody=[CustodySpan(at(1), at(3, 6), "police")], admitted_at=at(5))
    assert "Garde à vue de 54 h, sans prolongation écrite enregistrée : limite de 48 h dépassée" in found.notes[0]


def test_extensions_beyond_the_table_are_noted():
    orders = [committal(D(2024, 5, 5)), extension(), extension()]
    found = compute([DELIT_3Y], orders, prior_custody=[CustodySpan(at(1), at(3), "police")], admitted_at=at(5))
    assert "au-delà du nombre prévu" in " ".join(found.notes)


# --- crime renewals: within the 8 working days before expiry, for 12 months at most (art. 135) -

# committal 28/02/2022 → expiry 28/02/2023 (a Tuesday); the window opens 8 working days before,
# on Thursday 16/02/2023.
@pytest.mark.parametrize("issued_on, until, counted, deadline, note", [
    (D(2023, 2, 16), D(2024, 2, 28), 1, D(2024, 2, 28), ""),                    # first day of the window
    (D(2023, 2, 28), D(2024, 2, 28), 1, D(2024, 2, 28), ""),                    # on the expiry day
    (D(2023, 2, 15), D(2024, 2, 28), 0, D(2023, 2, 28), "avant les 8 jours ouvrables"),  # one day early
    (D(2022, 9, 1), D(2023, 9, 1), 0, D(2023, 2, 28), "avant les 8 jours ouvrables"),
    (D(2023, 2, 20), D(2024, 2, 29), 0, D(2023, 2, 28), "plus de 12 mois"),   # one day too long
    (D(2023, 2, 20), D(2024, 8, 28), 0, D(2023, 2, 28), "plus de 12 mois"),
    (D(2023, 2, 20), D(2023, 11, 30), 1, D(2023, 11, 30), ""),                  # shorter is allowed
    (D(2023, 3, 1), D(2024, 2, 28), 0, D(2023, 2, 28), "postérieure à l'échéance"),
])
def test_crime_renewal_counts_only_in_window_and_for_twelve_months(issued_on, until, counted, deadline, note):
    found = compute([CRIME], [committal(D(2022, 2, 28)), renewal(issued_on, until)])
    assert found.renewals_counted == counted
    assert found.deadline_on == deadline
    assert note in " ".join(found.notes)
    if not counted:
        assert "non prise en compte" in " ".join(found.notes)


def test_an_early_crime_renewal_does_not_stop_a_later_one_in_the_window():
    found = compute([CRIME], [committal(D(2022, 2, 28)), renewal(D(2022, 12, 1), D(2023, 12, 1)),
                              renewal(D(2023, 2, 24), D(2024, 2, 28))])
    assert found.renewals_counted == 1 and found.deadline_on == D(2024, 2, 28)


def test_the_renewal_window_does_not_apply_to_delits():
    found = compute([DELIT_3Y], [committal(D(2024, 1, 10)), renewal(D(2024, 2, 1), D(2024, 12, 1))])
    assert found.renewals_counted == 1 and found.deadline_on == D(2024, 12, 1)


# --- short délit: domiciled in Mali; start date assumed without a first appearance (art. 125) --

@pytest.mark.parametrize("domiciled, first_appearance, key, deadline, notes", [
    (True, D(2024, 1, 15), "delit_short", D(2024, 2, 15), []),
    (True, None, "delit_short", D(2024, 2, 10), ["point de départ supposé au 10/01/2024"]),
    (None, D(2024, 1, 15), "delit_short", D(2024, 2, 15), ["Domicile au Mali non renseigné"]),
    (None, None, "delit_short", D(2024, 2, 10), ["Domicile au Mali non renseigné", "point de départ supposé"]),
    (False, D(2024, 1, 15), "delit_long", D(2024, 7, 10), ["non domiciliée au Mali"]),
    (False, None, "delit_long", D(2024, 7, 10), ["non domiciliée au Mali"]),
])
def test_short_delit_row_needs_a_domicile_in_mali(domiciled, first_appearance, key, deadline, notes):
    found = compute([DELIT_1Y], [committal(D(2024, 1, 10))], first_appearance_on=first_appearance,
                    domiciled_in_mali=domiciled)
    assert found.limit.key == key
    assert found.deadline_on == deadline
    for note in notes:
        assert note in " ".join(found.notes)
    if first_appearance or key == "delit_long":
        assert "supposé" not in " ".join(found.notes)


# --- flags on a given day ---------------------------------------------------------------------

DELIT_CASE = compute([DELIT_3Y], [committal(D(2024, 1, 10))])        # deadline 10/07/2024, max 10/01/2025
CRIME_CASE = compute([CRIME], [committal(D(2025, 11, 27))])          # deadline 27/11/2026, window 17/11


@pytest.mark.parametrize("deadline, today, last_hearing, expected", [
    (DELIT_CASE, D(2024, 6, 24), D(2024, 6, 1), set()),
    (DELIT_CASE, D(2024, 6, 25), D(2024, 6, 1), {"approaching"}),           # 15 days before
    (DELIT_CASE, D(2024, 7, 10), D(2024, 6, 1), {"approaching"}),           # the last day
    (DELIT_CASE, D(2024, 7, 11), D(2024, 6, 1), {"overdue"}),               # the day after
    (DELIT_CASE, D(2025, 1, 11), D(2024, 12, 1), {"overdue", "beyond_max"}),
    (DELIT_CASE, D(2024, 6, 1), None, {"no_hearing"}),                      # 143 days, no hearing at all
    (DELIT_CASE, D(2024, 4, 9), None, set()),                               # 90 days: not yet
    (DELIT_CASE, D(2024, 4, 10), None, {"no_hearing"}),                     # 91 days
    (CRIME_CASE, D(2026, 11, 10), D(2026, 11, 1), set()),
    (CRIME_CASE, D(2026, 11, 17), D(2026, 11, 1), {"approaching"}),         # renewal window, 10 days before
    (compute([CRIME], []), D(2026, 1, 1), None, {"no_order"}),
])
def test_flags(deadline, today, last_hearing, expected):
    assert rules.flags(deadline, today=today, last_hearing_on=last_hearing, approaching_days=15,
                       no_hearing_days=90) == expected


def test_crime_window_reaches_further_than_the_approaching_days():
    assert rules.flags(CRIME_CASE, today=D(2026, 11, 17), last_hearing_on=D(2026, 11, 1), approaching_days=5,
                       no_hearing_days=90) == {"approaching"}
    assert rules.flags(DELIT_CASE, today=D(2024, 6, 30), last_hearing_on=D(2024, 6, 1), approaching_days=5,
                       no_hearing_days=90) == set()
