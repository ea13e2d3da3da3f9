"""Walk the whole URL configuration and probe every page and API endpoint that takes an
object id, as people who must not see the object: a clerk of another prison (expects 404 /
403, never data) and a staff member with no role (403 / 404). New endpoints are covered
automatically because the routes are read from the resolver, not listed by hand.

A positive control (a national manager, then a superuser) must reach most of the object
routes with the same ids, so that the probes are not vacuous.
"""

import itertools
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch

from accounts.roles import Role
from tests import factories
from tests.conftest import restart_empty_sequences
from tests.inmates.life_fixtures import populate_custody_life

pytestmark = pytest.mark.django_db

# Reference data that every signed-in member of staff may read: not facility-scoped.
REFERENCE_ROUTES = re.compile(r"(^|/)(\^)?(courts|regions|limits|limites|detention-limits)\b")
# Routes with no object to protect, or handled by their own tests.
SKIP_ROUTES = re.compile(r"^(admin/|api/schema|api/docs|i18n/|healthz|comptes/)")
PROBE_IDS = range(1, 6)
# Values for the route arguments that are not ids (step names, report keys, formats, files).
def _vocabulary():
    from intake.models import STEP_SLUGS
    from oversight.access import REPORTS

    return {
        "slug": list(STEP_SLUGS.values()), "step": ["answer", "refer", "close"],
        "kind": ["photo", "warrant_scan", "fingerprint"], "key": list(REPORTS), "fmt": ["csv", "xlsx", "pdf"],
    }


# Routes whose objects the fixture does not create (uploaded files, the receipt and social
# report of completed steps): probed for leaks, left out of the positive control; intake's
# own tests open them.
NO_POSITIVE_CONTROL = {"intake:intake_file", "intake:intake_file_item", "intake:registry_receipt",
                       "intake:social_report"}


def _walk(patterns, prefix="", namespace=None):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace if p.namespace else namespace
            if ns and namespace and p.namespace:
                ns = f"{namespace}:{p.namespace}"
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern) and p.name:
            yield prefix + str(p.pattern), (f"{namespace}:{p.name}" if namespace else p.name), p


def object_routes():
    """(route, url name, kwarg names) for every named route that takes an object id."""
    seen = set()
    for route, name, pattern in _walk(get_resolver().url_patterns):
        if SKIP_ROUTES.search(route) or REFERENCE_ROUTES.search(route) or "format" in pattern.pattern.regex.groupindex:
            continue
        kwargs = [k for k in pattern.pattern.regex.groupindex if k != "format"]
        if not kwargs or name in seen:
            continue
        seen.add(name)
        yield route, name, kwargs


def _urls(name, kwargs):
    vocabulary = _vocabulary()
    choices = [vocabulary.get(k, PROBE_IDS) for k in kwargs]
    for values in itertools.product(*choices):
        try:
            yield reverse(name, kwargs=dict(zip(kwargs, values)))
        except NoReverseMatch:
            continue


@pytest.fixture
def _fresh_ids(db):
    restart_empty_sequences({"prisons", "inmates", "casework", "intake", "oversight"})


@pytest.fixture
def populated(_fresh_ids, bamako, clerk, cell):
    """Several detainees in Bamako with every kind of record, so that ids 1..5 exist."""
    for i in range(5):
        factories.detainee(bamako, actor=clerk, unit=cell, last_name=f"Personne{i}",
                           terrorism=(i % 2 == 0), convicted=(i == 4))
    populate_custody_life(bamako, clerk)
    # Overdue délit detentions (admitted long ago), so that the sweep opens alerts and the
    # art. 129 notices exist; arrivals through intake, so that intake pages have objects.
    import datetime

    from django.utils import timezone

    from casework.sweep import sweep
    from intake.services import register_arrival
    from tests.intake.conftest import warrant_data

    for i in range(5):
        factories.detainee(bamako, actor=clerk, unit=cell, last_name=f"Ancien{i}",
                           admitted_at=timezone.now() - datetime.timedelta(days=500))
        register_arrival(warrant_data(last_name=f"Arrivant{i}", warrant_number=f"MD-9{i}/2026",
                                      case_number=f"RI-9{i}/2026"), facility=bamako, actor=clerk)
    sweep()
    return bamako


def _probe(client, user, method="get"):
    client.force_login(user)
    found = {}
    for route, name, kwargs in object_routes():
        for url in _urls(name, kwargs):
            response = getattr(client, method)(url)
            found.setdefault((route, name), []).append((url, response.status_code))
    return found


def test_another_prisons_clerk_gets_no_object_anywhere(client, populated, koulikoro):
    outsider = factories.staff(Role.CLERK, factories.FacilityFactory(), username="greffe.ailleurs")
    leaks = [
        (url, status)
        for results in _probe(client, outsider).values()
        for url, status in results
        if status not in (403, 404, 405)
    ]
    assert leaks == []


def test_another_prisons_clerk_cannot_post_to_any_object(client, populated):
    outsider = factories.staff(Role.CLERK, factories.FacilityFactory(), username="greffe.ailleurs2")
    leaks = [
        (url, status)
        for results in _probe(client, outsider, method="post").values()
        for url, status in results
        if status not in (403, 404, 405)
    ]
    assert leaks == []


def test_a_staff_member_without_a_role_gets_nothing(client, populated):
    nobody = factories.UserFactory(facilities=[populated])
    leaks = [
        (url, status)
        for results in _probe(client, nobody).values()
        for url, status in results
        if status not in (403, 404, 405)
    ]
    assert leaks == []


def test_the_probes_reach_real_objects_for_a_superuser(client, populated):
    admin = factories.UserFactory(is_superuser=True, is_staff=True)
    results = _probe(client, admin)
    reached = [key for key, res in results.items() if any(status == 200 for _, status in res)]
    # Routes that only accept POST answer 405 to a GET; every other route must be reachable.
    unreachable = [route for (route, name), res in results.items()
                   if (route, name) not in reached and name not in NO_POSITIVE_CONTROL
                   and not all(status == 405 for _, status in res)]
    assert len(results) >= 20
    assert unreachable == []


def test_an_anonymous_visitor_gets_the_login_page_or_401_everywhere(client, populated):
    open_routes = re.compile(r"^(comptes/connexion/|healthz|i18n/|api/v1/auth/token/|api/v1/$|static/)")
    leaks = []
    for route, name, pattern in _walk(get_resolver().url_patterns):
        if route.startswith("admin/") or open_routes.search(route) or "format" in pattern.pattern.regex.groupindex:
            continue
        kwargs = [k for k in pattern.pattern.regex.groupindex]
        for url in (_urls(name, kwargs) if kwargs else [reverse(name)]):
            response = client.get(url)
            redirected_to_login = response.status_code == 302 and "/comptes/connexion/" in response["Location"]
            if not (redirected_to_login or response.status_code in (401, 403)):
                leaks.append((url, response.status_code))
            break  # one id per route is enough for anonymous access
    assert leaks == []
