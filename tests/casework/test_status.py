"""Legal status rules, as a table (presumption of innocence)."""

import datetime

import pytest

from casework.status import case_legal_status, custody_legal_status

D = datetime.date


@pytest.mark.parametrize(
    "has_charge, judgments, expected",
    [
        (False, [], "suspect"),
        (True, [], "charged"),
        (True, [(D(2025, 1, 5), "convicted", None)], "convicted"),
        (True, [(D(2025, 1, 5), "convicted", D(2025, 1, 10))], "appeal"),
        # Appeal decided: the latest judgment rules.
        (True, [(D(2025, 1, 5), "convicted", D(2025, 1, 10)), (D(2026, 3, 1), "convicted", None)], "convicted"),
        (True, [(D(2025, 1, 5), "convicted", D(2025, 1, 10)), (D(2026, 3, 1), "acquitted", None)], "charged"),
        # Acquittal appealed by the prosecution: still awaiting trial, presumed innocent.
        (True, [(D(2025, 1, 5), "acquitted", D(2025, 1, 8))], "charged"),
    ],
)
def test_case_legal_status(has_charge, judgments, expected):
    assert case_legal_status(has_current_charge=has_charge, judgments=judgments) == expected


@pytest.mark.parametrize(
    "statuses, expected",
    [
        ([], "suspect"),
        (["suspect"], "suspect"),
        (["charged", "suspect"], "charged"),
        (["charged", "convicted"], "convicted"),
        (["appeal", "charged"], "appeal"),
    ],
)
def test_custody_legal_status_is_the_most_advanced_open_case(statuses, expected):
    assert custody_legal_status(statuses) == expected
