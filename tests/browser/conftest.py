"""Real-browser tests: Debian's Chromium (Playwright's own download is blocked here), a French
office computer's screen size and language."""

import pytest

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "headless": True, "executable_path": "/usr/bin/chromium",
            "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fr-FR", "viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def data_set(transactional_db):
    """The walks' data set (made through the real workflow), for the browser tests that need it."""
    from django.test.utils import override_settings

    from prisons.models import Facility
    from tests.conftest import load_reference_data
    from tests.walks.workflow import build

    if not Facility.objects.exists():
        load_reference_data()
    with override_settings(OTP_REQUIRED=False):
        return build()
