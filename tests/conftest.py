import os

import pytest

from accounts.roles import Role
from prisons.models import Facility
from tests import factories

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def load_reference_data():
    """What the data migrations load: regions, facilities, courts, detention limits, roles."""
    import importlib

    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    from accounts.rolesync import sync_role_groups

    ContentType.objects.clear_cache()
    importlib.import_module("prisons.migrations.0002_reference_data").load(apps, None)
    importlib.import_module("casework.migrations.0002_courts").load(apps, None)
    importlib.import_module("casework.migrations.0004_seed_detention_limits").seed(apps, None)
    sync_role_groups(apps)


@pytest.fixture(autouse=True)
def _reference_data(request):
    """A transactional test (live server, real worker, concurrency) ends with a flush that
    empties every table, migration data included; the next database test gets it back."""
    uses_db = request.node.get_closest_marker("django_db") or {
        "db", "transactional_db", "live_server"} & set(request.fixturenames)
    if not uses_db:
        return
    request.getfixturevalue("_django_db_helper")
    if not Facility.objects.exists():
        load_reference_data()


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
