"""Sentence arithmetic (LAW.md "Release"): pure functions over plain values, no database.

A sentence of N months runs "de quantième à quantième": from its first day to the same day
N months later, which is the day of release (a day that does not exist in the target month,
31 → February, falls back to the month's last day). The time already spent in custody for
the same matter before the sentence started (pre-trial detention and the earlier custody of
the arrest chain) is deducted, counted in calendar days; a day begun in custody counts.
"""

import calendar
import dataclasses
import datetime


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it has no such day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def custody_days(periods, *, before: datetime.date) -> int:
    """Calendar days spent in custody before `before`, overlaps counted once.

    `periods` are (first day, last day) pairs of dates; a last day of None runs up to `before`.
    """
    days = set()
    for start, end in periods:
        end = before - datetime.timedelta(days=1) if end is None else min(end, before - datetime.timedelta(days=1))
        span = (end - start).days
        days.update(start + datetime.timedelta(days=n) for n in range(span + 1))
    return len(days)


@dataclasses.dataclass(frozen=True)
class SentenceEnd:
    starts_on: datetime.date
    nominal_end_on: datetime.date
    credit_days: int
    release_on: datetime.date
    # The credit covers the whole sentence: it is served on the day it starts.
    served_by_credit: bool


def sentence_end(*, starts_on: datetime.date, months: int, credit_days: int = 0) -> SentenceEnd:
    """The release date of a sentence of `months` from `starts_on`, less `credit_days`."""
    if months < 0 or credit_days < 0:
        raise ValueError("months and credit_days must be positive")
    nominal = add_months(starts_on, months)
    release_on = nominal - datetime.timedelta(days=credit_days)
    served = release_on <= starts_on
    return SentenceEnd(starts_on=starts_on, nominal_end_on=nominal, credit_days=credit_days,
                       release_on=starts_on if served else release_on, served_by_credit=served)
