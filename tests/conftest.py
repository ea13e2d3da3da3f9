import os

import pytest

from accounts.roles import Role
from prisons.models import Facility
from tests import factories

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def bamako(db):
    return Facility.objects.get(code="BKO")


@pytest.fixture
def koulikoro(db):
    return Facility.objects.get(code="KLK")


@pytest.fixture
def clerk(bamako):
    return factories.staff(Role.CLERK, bamako, username="greffier.bko")


@pytest.fixture
def other_clerk(koulikoro):
    """A clerk of another prison: must never see Bamako's records."""
    return factories.staff(Role.CLERK, koulikoro, username="greffier.klk")


@pytest.fixture
def manager(db):
    return factories.staff(Role.DNAPES, username="dnapes.national")


@pytest.fixture
def cell(bamako):
    return factories.UnitFactory(facility=bamako, code="A1", name="Cellule A1", capacity=7)


@pytest.fixture
def inmate(bamako, clerk, cell):
    return factories.detainee(bamako, actor=clerk, unit=cell)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium (Playwright's own browser download is blocked here)."""
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
    }
