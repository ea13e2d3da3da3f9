import datetime

import pytest
from django.utils import timezone

from accounts.roles import Role
from followup.models import Instrument
from tests import factories
from tests.custody_fixtures import custody, kenieroba  # noqa: F401  (director, security, social: tests/conftest.py)


@pytest.fixture
def version(db):
    return Instrument.objects.get(code="besoins").published()


@pytest.fixture
def medical(bamako):
    return factories.staff(Role.MEDICAL, bamako, username="medecin.bko")


@pytest.fixture
def dnapes(db):
    return factories.staff(Role.DNAPES, username="dnapes")


@pytest.fixture
def soon():
    return timezone.localdate() + datetime.timedelta(days=90)


def answers_for(version, value="some"):
    """Every item of `version` answered (need items `value`, yes/no items "yes")."""
    out = {}
    for domain in version.domains.prefetch_related("items__scale"):
        for item in domain.items.all():
            out[item.code] = value if value in item.scale.values() else item.scale.values()[0]
    return out
