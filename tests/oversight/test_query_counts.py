"""Each report takes the same number of queries for N and 3N detainees."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from detention import services as detention_services
from inmates import services as inmate_services
from inmates.models import Custody
from oversight import profiles, reports
from prisons.models import Regime
from tests import factories

pytestmark = pytest.mark.django_db


def _add(n, bamako, koulikoro, clerk, units, activity, director):
    klk_clerk = factories.staff(Role.CLERK, koulikoro)
    for i in range(n):
        terror = i % 2 == 0
        person = factories.detainee(bamako, actor=clerk, unit=units[i % 2], terrorism=terror, convicted=i % 3 == 0)
        inmate_services.record_social_profile(person, actor=clerk, ethnic_group="other", ethnic_group_other=f"groupe {i % 4}",
                                              involvement="voluntary", affiliations=["aqim"],
                                              engagement_reasons=["identity", "economic"][: 1 + i % 2])
        if not terror:
            detention_services.enrol(activity, custody=Custody.objects.get(inmate=person, status="held"), actor=director)
        factories.detainee(koulikoro, actor=klk_clerk, terrorism=terror)


def _count(fn):
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_query_counts_do_not_grow_with_the_number_of_detainees(bamako, koulikoro, clerk):
    director = factories.staff(Role.DIRECTOR, bamako)
    units = [factories.UnitFactory(facility=bamako, code=f"Q{i}", capacity=50) for i in range(2)]
    activity = detention_services.create_activity(bamako, name="Couture", kind="tailoring",
                                               open_to_regimes=[Regime.STANDARD], actor=director)
    checks = {
        "occupancy": lambda: reports.occupancy(),
        "occupancy (one prison)": lambda: reports.occupancy(facility_ids=[bamako.pk]),
        "roll": lambda: reports.roll(bamako),
        "separation": lambda: reports.separation(),
        "activities": lambda: reports.activities(),
        "profiles": lambda: profiles.profiles(),
        "snapshot": lambda: reports.write_occupancy_snapshots(),
    }
    _add(3, bamako, koulikoro, clerk, units, activity, director)
    small = {name: _count(fn) for name, fn in checks.items()}
    _add(6, bamako, koulikoro, clerk, units, activity, director)  # now 3N = 9 per prison
    large = {name: _count(fn) for name, fn in checks.items()}
    assert large == small
    assert small["profiles"] <= 14 and small["separation"] <= 3 and small["activities"] <= 5
