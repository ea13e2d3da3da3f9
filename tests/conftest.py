import os

import pytest

from accounts.roles import Role
from prisons.models import Facility
from tests import factories, frozen_clock

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_configure(config):
    """The run's clock starts at a fixed instant before any fixture runs (tests/frozen_clock.py)."""
    frozen_clock.start()


def pytest_unconfigure(config):
    frozen_clock.stop()


def pytest_report_header(config):
    return f"clock: starts at {frozen_clock.frozen_at().isoformat()} (FROZEN_AT), ticking"


def restart_empty_sequences(app_labels=None):
    """On PostgreSQL, ids keep growing across tests (sequences ignore rollbacks and flushes):
    start every empty table (of `app_labels`, or all) at 1 again, as on a new database."""
    from django.apps import apps
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in apps.get_models():
            if app_labels is not None and model._meta.app_label not in app_labels:
                continue
            if model._meta.proxy or not model._meta.managed or model._default_manager.exists():
                continue
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [model._meta.db_table, model._meta.pk.column])
            sequence = cursor.fetchone()[0]
            if sequence:
                cursor.execute("SELECT setval(%s, 1, false)", [sequence])


def load_reference_data():
    """What the data migrations load: regions, facilities, courts, detention limits, roles,
    with the same ids as after migrating (Bamako is facility 1)."""
    import importlib

    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    from accounts.rolesync import sync_role_groups

    restart_empty_sequences()
    ContentType.objects.clear_cache()
    importlib.import_module("prisons.migrations.0002_reference_data").load(apps, None)
    importlib.import_module("casework.migrations.0002_courts").load(apps, None)
    importlib.import_module("casework.migrations.0004_seed_detention_limits").seed(apps, None)
    importlib.import_module("detention.migrations.0003_seed_discipline_limits_sanctions_roles").seed(apps, None)
    importlib.import_module("followup.migrations.0002_starter_instrument").load(apps, None)
    sync_role_groups(apps)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """On PostgreSQL the audit tables refuse TRUNCATE (accounts migration 0005) except to their
    owner in a maintenance session; the test database is one, so that transactional tests can
    still be flushed. Tests of the refusal switch it off in their own session."""
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            name = connection.ops.quote_name(connection.settings_dict["NAME"])
            with connection.cursor() as cursor:
                cursor.execute(f"ALTER DATABASE {name} SET dnapes.audit_maintenance = 'on'")
                cursor.execute("SET dnapes.audit_maintenance = 'on'")


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
    # The audit chain's checkpoint file (outside the database) is the test's own, too.
    settings.AUDIT_CHECKPOINT_FILE = str(tmp_path / "audit-checkpoints.jsonl")


@pytest.fixture
def otp_required(settings):
    """The second factor required of every account (settings.OTP_REQUIRED)."""
    settings.OTP_REQUIRED = True


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


# The staff of Bamako, one fixture a role (the only definitions: tests do not redefine them).
@pytest.fixture
def director(bamako):
    return factories.staff(Role.DIRECTOR, bamako, username="directeur.bko", email="directeur.bko@example.ml")


@pytest.fixture
def security(bamako):
    return factories.staff(Role.SECURITY, bamako, username="securite.bko")


@pytest.fixture
def social(bamako):
    return factories.staff(Role.SOCIAL, bamako, username="social.bko")


@pytest.fixture
def medical(bamako):
    return factories.staff(Role.MEDICAL, bamako, username="medecin.bko")


@pytest.fixture
def admin_user(db):
    return factories.staff(Role.ADMIN, username="admin.national")


# The names the intake tests use for the same people.
@pytest.fixture
def security_officer(security):
    return security


@pytest.fixture
def doctor(medical):
    return medical


@pytest.fixture
def social_worker(social):
    return social


@pytest.fixture
def cell(bamako):
    return factories.UnitFactory(facility=bamako, code="A1", name="Cellule A1", capacity=7)


@pytest.fixture
def inmate(bamako, clerk, cell):
    return factories.detainee(bamako, actor=clerk, unit=cell)


@pytest.fixture(scope="session", autouse=True)
def _tasks_in_process():
    """Tests run tasks in-process whatever the environment says (a developer's shell may carry
    CELERY_BROKER_URL for a worker): a test that needs the real worker sets it up itself
    (tests/celery_utils.py)."""
    from config.celery import app

    app.conf.update(task_always_eager=True, task_eager_propagates=True, broker_url="memory://",
                    result_backend=None)
