"""The tests' clock: every run starts at one fixed instant (time-machine, ticking from there), so
that no test depends on the day it is run. `FROZEN_AT` (ISO 8601, UTC when no offset is given)
chooses another instant: `make test-midnight` runs the date-sensitive tests from 23:58 in
Bamako (UTC+0), so that they cross midnight while running.

The clock ticks (time-machine's tick=True): sessions, API tokens, TOTP codes and the audit
chain's checkpoints see time pass as they do in production. Processes a test starts itself
(a real Celery worker, `manage.py` in a subprocess) run on the machine's real clock."""

import datetime
import os

import time_machine

# A Thursday morning in Bamako: after every fixed date the tests write as past (hearings of
# November 2026), before those they write as future.
DEFAULT = "2026-12-03T09:00:00+00:00"


def frozen_at() -> datetime.datetime:
    """The instant the run starts at: FROZEN_AT, or DEFAULT."""
    value = os.environ.get("FROZEN_AT") or DEFAULT
    try:
        at = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise SystemExit(f"FROZEN_AT={value!r} is not an ISO 8601 date and time: {exc}") from exc
    return at if at.tzinfo else at.replace(tzinfo=datetime.UTC)


_traveller = None


def start():
    """Start the run's clock at `frozen_at()`; it ticks from there until `stop()`."""
    global _traveller
    if _traveller is None:
        _traveller = time_machine.travel(frozen_at(), tick=True)
        _traveller.start()


def stop():
    global _traveller
    if _traveller is not None:
        _traveller.stop()
        _traveller = None
