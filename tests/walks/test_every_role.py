"""Every GET route of the URL resolver (pages and API), as every role, on the data set made
through the real workflow: no answer ≥ 500. And for each route, some role really reaches it
(a 200, or its documented answer), so that the walk cannot pass on a wall of 404s. And the
need-to-know details (medical examination, social interview) appear only for their readers.

Routes are read from the resolver when the tests are collected: a new route is walked the day
it exists. If its parameters cannot be filled, `test_every_route_can_be_filled` names it;
teach `vocabulary.py`.
"""

import pytest

from . import site_mode
from .routes import walked_routes
from .vocabulary import DOCUMENTED_ANSWERS
from .workflow import ACCOUNTS, MAY_READ

# A list paged in no defined order repeats or skips rows between pages: an error in the walk.
pytestmark = [pytest.mark.django_db,
              pytest.mark.filterwarnings("error::django.core.paginator.UnorderedObjectListWarning")]

ROLES = site_mode.roles(ACCOUNTS)  # every role, unless WALK_ROLES narrows it (site_mode.py)
ROUTES = walked_routes()

# Known failures get their own test each, with their mark, so that the mark hides nothing else.
KNOWN_FAILURES = {}


def _cases():
    """One test per route for all its roles; a role whose failure is known gets its own test,
    with its mark, so that the mark hides nothing else."""
    for route in ROUTES:
        known = [role for role in ROLES if (route.key, role) in KNOWN_FAILURES]
        others = tuple(role for role in ROLES if role not in known)
        yield pytest.param(route, others, id=f"{route.key}|{'other roles' if known else 'every role'}")
        for role in known:
            yield pytest.param(route, (role,), id=f"{route.key}|{role}", marks=[KNOWN_FAILURES[(route.key, role)]])


def test_every_route_can_be_filled(walk):
    """Each route's parameters are filled with objects of the data set (or listed words)."""
    _, walker = walk
    unfilled = {route.pattern: walker.filled(route).missing for route in ROUTES
                if walker.filled(route).missing or not walker.filled(route).urls}
    assert unfilled == {}, "teach tests/walks/vocabulary.py these routes' parameters"
    assert len(ROUTES) >= 100


@pytest.mark.parametrize(("route", "roles"), list(_cases()))
def test_no_page_fails_for_any_role(walk, route, roles):
    _, walker = walk
    urls = walker.filled(route).urls
    assert urls, f"{route.pattern}: no URL to open (see test_every_route_can_be_filled)"
    failures = []
    for role in roles:
        answers = [walker.open(role, url, route=route) for url in urls]
        walker.record("every-role walk", route.key, role, answers)
        failures += [(role, url.path, a.status, a.error) for url, a in zip(urls, answers) if a.status >= 500]
    assert failures == []


@pytest.mark.parametrize("route", ROUTES, ids=[r.key for r in ROUTES])
def test_some_role_reaches_every_route(walk, route):
    """The positive control: someone gets a 200 (or the route's documented answer), or the
    route is a form's POST target that every role's GET finds closed (405)."""
    _, walker = walk
    filled = walker.filled(route)
    answers = {role: [walker.open(role, url, route=route) for url in filled.urls] for role in ROLES}
    statuses = {a.status for results in answers.values() for a in results}
    if statuses == {405}:
        return  # POST only (a form's target): there is no page to reach
    reached = [role for role, results in answers.items() if any(a.status == 200 for a in results)]
    if route.key in DOCUMENTED_ANSWERS:
        expected = DOCUMENTED_ANSWERS[route.key][0]
        reached += [role for role, results in answers.items() if any(a.status == expected for a in results)]
    assert reached, {role: sorted({a.status for a in results}) for role, results in answers.items()}


# Need-to-know is by role membership (accounts.need_to_know), never by is_superuser: the
# superuser without a role is walked like every other account.
@pytest.mark.parametrize("role", ROLES)
def test_need_to_know_details_reach_only_their_readers(walk, role):
    """Medical details only for medical staff; the social interview and profile for the social
    service and the direction (DESIGN.md §6, STYLE.md "Access in one place"): looked for in
    every page and API answer of the walk, whatever the route."""
    _, walker = walk
    found = []
    for route in ROUTES:
        for url in walker.filled(route).urls:
            answer = walker.open(role, url, route=route)
            found += [f"{kind}: {url.path}" for kind in answer.need_to_know if role not in MAY_READ[kind]]
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("role", ["director", "admin"])
def test_no_page_carries_an_inline_style(walk, role):
    """The CSP refuses inline styles (style-src 'self'): no page of the walk may carry a `style`
    attribute or a `<style>` element, or the browser reports a violation on every load."""
    _, walker = walk
    found = []
    for route in ROUTES:
        for url in walker.filled(route).urls:
            answer = walker.open(role, url, route=route)
            found += [f"{url.path}: {style[:80]}" for style in answer.inline_styles]
    assert found == [], "\n".join(found)
