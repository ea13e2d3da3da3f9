"""The exchange's benchmark (`make bench-sync`, not part of `make test`): bytes sent and time to push
and pull, on this machine, for (1) a day's activity at Bamako, (2) the first exchange of a
3,600-person prison, (3) the catch-up after seven days offline. Prints one line per measure.

Run with DATABASE_URL set for PostgreSQL (the prisons' databases are copies of the test database)."""

import datetime
import os
import time

import pytest
from django.utils import timezone

from casework import services as case_services
from inmates import movements
from inmates.models import Custody, Inmate
from inmates.services import open_inmate_file
from sync import capture
from sync.models import OutboxAction
from sync.snapshot import enqueue_owned
from tests.factories import detainee

pytestmark = pytest.mark.django_db(transaction=True)

HEARING_KIND = "examination"
PEOPLE = int(os.environ.get("BENCH_SYNC_PEOPLE", "3600"))


def _line(what, seconds, actions, sent, received, outcome):
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"\nBENCH sync · {what}: {actions} actions, {sent / 1024:.1f} KiB sent (gzip), "
          f"{received / 1024:.1f} KiB received (gzip), {seconds:.2f} s push+pull (push "
          f"{outcome['push']['seconds']:.2f} s in {outcome['push']['chunks']} chunks, pull "
          f"{outcome['pull']['seconds']:.2f} s); {1000 * seconds / max(actions, 1):.1f} ms per action; "
          f"load average {load}")


def _exchange(sites, name):
    transport = sites.transports[name]
    before = sum(len(d) for d in transport.sent)
    with sites.at(name):
        actions = OutboxAction.objects.count()
    started = time.perf_counter()
    outcome = sites.exchange(name)
    seconds = time.perf_counter() - started
    return seconds, actions, sum(len(d) for d in transport.sent) - before, outcome["pull"]["bytes"], outcome


def _day(sites, name, *, day_start, arrivals=30, moves=200, hearings=50, reads=2000):
    p = sites.people[name]
    with sites.at(name):
        people = [detainee(p["facility"], actor=p["clerk"], unit=p["unit"], last_name=f"ARRIVANT{i}",
                           admitted_at=day_start + datetime.timedelta(minutes=5 * i)) for i in range(arrivals)]
        custodies = list(Custody.objects.filter(inmate__in=people))
        for i in range(moves):
            movements.move_to_unit(custodies[i % len(custodies)], unit=p["unit2"] if (i // len(custodies)) % 2 == 0
                                   else p["unit"], reason="Mouvement", actor=p["clerk"],
                                   at=day_start + datetime.timedelta(hours=3, seconds=30 * i))
        for i in range(hearings):
            case = custodies[i % len(custodies)].cases.first()
            case_services.record_hearing(case, actor=p["clerk"], date=timezone.localdate(),
                                         kind=HEARING_KIND, notes=f"Audience {i}")
        for i in range(reads):
            open_inmate_file(people[i % len(people)].pk, actor=p["clerk"])


def test_a_day_at_bamako(sites):
    start = timezone.now() - datetime.timedelta(hours=10)
    _day(sites, "bamako", day_start=start)
    _line("a day at Bamako (30 arrivals, 200 moves, 50 hearings, 2,000 file reads)", *_exchange(sites, "bamako"))


def test_the_first_exchange_of_a_3600_person_prison_and_a_week_offline(sites):
    p = sites.people["bamako"]
    started = time.perf_counter()
    # The population is made without the outbox (it is queued whole below, as `sync_snapshot` does)
    # and with the deadlines re-evaluated in one batch at the end, as the register import does.
    with sites.at("bamako"), capture.applying(), case_services.deferred_reevaluation():
        for i in range(PEOPLE):
            detainee(p["facility"], actor=p["clerk"], last_name=f"PERSONNE{i}")
        OutboxAction.objects.all().delete()
        queued = enqueue_owned()
    print(f"\nBENCH sync · {PEOPLE} people made in {time.perf_counter() - started:.0f} s; {queued} records queued")
    _line(f"first exchange of a {PEOPLE}-person prison", *_exchange(sites, "bamako"))
    sites.offline("bamako")
    for day in range(7, 0, -1):
        _day(sites, "bamako", day_start=timezone.now() - datetime.timedelta(days=day), reads=0)
    sites.online("bamako")
    _line("catch-up after seven days offline (7 days of arrivals, moves, hearings)", *_exchange(sites, "bamako"))
    with sites.at("national"):
        assert Inmate.objects.count() >= PEOPLE + 7 * 30
