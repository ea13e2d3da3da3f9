"""The walk's data set is made once per test process (it takes seconds, the walk thousands of
requests): inside one outer transaction, rolled back when the package's tests are done, so
the rest of the suite never sees it. Each test runs in a savepoint inside it (pytest-django's
`db`), and each request of the walk in its own savepoint (walker.py).

The walk runs on a single all-in-one site by default. `WALK_SITE_MODE=prison` walks it as
Bamako's server (SITE_MODE=prison, SITE_FACILITY=BKO), `WALK_SITE_MODE=national` as the national
server (see site_mode.py). The data set is made the same way in every mode — through the doors of
a single site — and stands for what the server holds once the exchanges have run: Bamako's server
holds Bamako's people and the file of C, transferred to Koulikoro (now Koulikoro's to write); the
national server holds everyone's. Only then is the mode switched on, and every request of the walk
is answered as that server answers it."""

import time

import pytest
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings

from . import site_mode
from .vocabulary import model
from .walker import Walker
from .workflow import build

_state = {}


@pytest.fixture(scope="package")
def walk(django_db_setup, django_db_blocker, tmp_path_factory):
    """(data set, walker), built through the real doors."""
    media = tmp_path_factory.mktemp("walk-media")
    # Production's settings where they matter to the walk: a second factor for national
    # accounts (so they are walked as verified sessions, not bounced to the code page). A fast
    # hasher only because the data set signs in a dozen accounts.
    overrides = override_settings(
        OTP_REQUIRED=True, MEDIA_ROOT=media,
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    )
    overrides.enable()
    with django_db_blocker.unblock():
        from tests.conftest import load_reference_data

        atomic = transaction.atomic()
        atomic.__enter__()
        mode = None
        try:
            if not model("Facility").objects.exists():
                load_reference_data()
            started = time.monotonic()
            data = build()
            data.anonymous = Client()
            data.seconds = time.monotonic() - started
            mode = override_settings(**site_mode.settings())
            mode.enable()
            site_mode.forget_caches()
            walker = Walker(data)
            _state["walker"] = walker
            yield data, walker
        finally:
            if mode is not None:
                mode.disable()
                site_mode.forget_caches()
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            overrides.disable()


@pytest.fixture(autouse=True)
def _private_media():
    """The data set's uploads stay where it stored them (tests/conftest.py gives each test its
    own empty media directory)."""


def pytest_terminal_summary(terminalreporter):
    walker = _state.get("walker")
    if walker is not None and walker.walks:
        terminalreporter.write_sep("-", "URL walks")
        terminalreporter.write_line(f"data set made through the doors in {walker.data.seconds:.1f} s; "
                                    f"walked as {site_mode.describe()}")
        terminalreporter.write_line(walker.summary())


@pytest.fixture
def own_people(walk):
    """For a test that admits people of its own: its savepoint rolls their records back, and
    this takes them out of the data set's roll of people again (a later test in the same
    process would otherwise look for a stay that no longer exists)."""
    data, _ = walk
    people = dict(data.people)
    yield walk
    data.people.clear()
    data.people.update(people)
