"""Shared fixtures of the tests of movements and life inside (transfers, releases, visits, complaints…)."""

import datetime

import pytest
from django.utils import timezone

from accounts.roles import Role
from detention import services as detention_services
from inmates import movements
from prisons.models import Facility
from tests import factories


def last_weekday(weekday: int, hour: int = 10) -> datetime.datetime:
    """The most recent past `weekday` (0 = Monday) at `hour`, local time, at least a day ago."""
    day = timezone.localdate() - datetime.timedelta(days=1)
    while day.weekday() != weekday:
        day -= datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


@pytest.fixture
def kenieroba(db):
    return Facility.objects.get(code="KNB")


@pytest.fixture
def knb_clerk(kenieroba):
    return factories.staff(Role.CLERK, kenieroba, username="greffier.knb")


@pytest.fixture
def knb_cell(kenieroba):
    return factories.UnitFactory(facility=kenieroba, code="K1", name="Dortoir K1", capacity=40)


@pytest.fixture
def custody(inmate):
    return inmate.custodies.get()


def populate_custody_life(facility, actor):
    """One record of every custody-life kind in `facility` (for the URL-walking security tests)."""
    from inmates.models import Custody

    director = factories.staff(Role.DIRECTOR, facility, username=f"dir.life.{facility.code.lower()}")
    held = list(Custody.objects.held().filter(facility=facility).select_related("inmate").order_by("pk"))
    first, last = held[0], held[-1]
    unit = first.placements.get(ended_at__isnull=True).unit
    other = Facility.objects.exclude(pk=facility.pk).get(code="KNB")
    transfer = movements.request_transfer(first, to_facility=other, reason="Désengorgement", actor=actor)
    detention_services.record_family_notification(first, event="transfer", choice="wishes", contact_name="Famille",
                                        transfer=transfer, actor=actor)
    detention_services.classify(first, risk="medium", reasons="Évaluation", actor=director,
                      next_review_on=timezone.localdate() + datetime.timedelta(days=90))
    detention_services.appoint_cell_leader(unit, custody=first, actor=director, agreement_noted=True)
    detention_services.record_visit(first, kind="lawyer", actor=actor, visitor={
        "last_name": "Koné", "first_name": "Me", "id_document_kind": "professional", "id_document_number": "B-1"})
    detention_services.register_complaint(first, complainant_kind="detainee", channel="oral", subject="Eau", details="x",
                                actor=actor)
    activity = detention_services.create_activity(facility, name="Bibliothèque", kind="library", actor=director,
                                        open_to_regimes=[unit.regime], open_to_terrorism_related=True)
    detention_services.enrol(activity, custody=first, actor=director)
    movements.release(last, reason="release_order", authority="Juge", order_reference="OML-1", actor=actor,
                     order_received_at=timezone.now() - datetime.timedelta(hours=2))
