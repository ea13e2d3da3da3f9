"""The plausible range of legal dates (prisons/dates.py): pure rules, a table, no database."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from prisons.dates import validate_birth_date, validate_past_date, validate_scheduled_date

TODAY = datetime.date(2026, 12, 2)
UTC = datetime.UTC


def _refused(validator, value):
    try:
        validator(value)
    except ValidationError as exc:
        return exc.messages[0]
    return None


@time_machine.travel(datetime.datetime(2026, 12, 2, 10, 0, tzinfo=UTC), tick=False)
@pytest.mark.parametrize(("validator", "value", "message"), [
    (validate_past_date, datetime.date(1, 1, 1), "postérieure au 1er janvier 1900"),
    (validate_past_date, datetime.date(1899, 12, 31), "postérieure au 1er janvier 1900"),
    (validate_past_date, datetime.datetime(1899, 6, 1, 8, 0, tzinfo=UTC), "postérieure au 1er janvier 1900"),
    (validate_past_date, datetime.date(1900, 1, 1), None),
    (validate_past_date, TODAY, None),
    (validate_past_date, TODAY + datetime.timedelta(days=1), "dans le futur"),
    (validate_past_date, datetime.datetime(2026, 12, 2, 10, 4, tzinfo=UTC), None),  # a clock 5 minutes fast
    (validate_past_date, datetime.datetime(2026, 12, 2, 11, 0, tzinfo=UTC), "dans le futur"),
    (validate_past_date, datetime.datetime(9999, 12, 31, 0, 0), "dans le futur"),  # naive
    (validate_past_date, None, None),
    (validate_birth_date, datetime.date(1899, 1, 1), "postérieure au 1er janvier 1900"),
    (validate_birth_date, datetime.date(1987, 4, 1), None),
    (validate_birth_date, TODAY + datetime.timedelta(days=1), "La date de naissance est dans le futur."),
    (validate_scheduled_date, datetime.date(9999, 12, 31), "plus de 5 ans"),
    (validate_scheduled_date, datetime.date(2031, 12, 2), None),
    (validate_scheduled_date, datetime.date(2031, 12, 3), "au plus tard le 02/12/2031"),
    (validate_scheduled_date, datetime.date(1, 1, 1), "postérieure au 1er janvier 1900"),
    (validate_scheduled_date, TODAY + datetime.timedelta(days=200), None),
])
def test_legal_dates_have_a_plausible_range(validator, value, message):
    refused = _refused(validator, value)
    if message is None:
        assert refused is None
    else:
        assert refused is not None and message in refused


@time_machine.travel(datetime.datetime(2028, 2, 29, 10, 0, tzinfo=UTC), tick=False)
def test_the_furthest_scheduled_date_from_a_29_february():
    assert _refused(validate_scheduled_date, datetime.date(2033, 2, 28)) is None
    assert _refused(validate_scheduled_date, datetime.date(2033, 3, 1)) is not None
