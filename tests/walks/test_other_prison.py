"""The same routes, on the same data set, as people who must not read Bamako's records:
Koulikoro's clerk and director (who do read the person transferred to them), a member of
Bamako's staff with no role, and an anonymous visitor. Replaces the URL-scoping walk that
probed ids 1 to 5 of factory-made data.

- Koulikoro: any URL that names a Bamako-only object answers 403, 404 or 405 (or sends to the
  login page), to a GET and to a POST; no page they may open names a Bamako-only person
  (name or prisoner number), and they do reach what is theirs.
- Both ways, every role bound to a prison: a URL that names another prison's record answers
  403, 404 or 405 (Bamako no longer reads the person transferred to Koulikoro).
- No role: every URL that names an object answers 403, 404 or 405.
- Anonymous: every route sends to the login page (pages) or answers 401 / 403 (API).
"""

import re

import pytest

from .routes import all_routes, kind_of, walked_routes
from .vocabulary import KINDS, NATIONAL_BY_DESIGN, SKIPPED
from .workflow import ACCOUNTS, OTHER_PRISON

# A list paged in no defined order repeats or skips rows between pages: an error in the walk.
pytestmark = [pytest.mark.django_db,
              pytest.mark.filterwarnings("error::django.core.paginator.UnorderedObjectListWarning")]

ROUTES = walked_routes()
OBJECT_ROUTES = [r for r in ROUTES if r.parameters]
REFUSED = (403, 404, 405)
PRISON_ROLES = {key: prison for key, (_, prison, _) in ACCOUNTS.items() if prison}
# Open to anyone: signing in, the language switch, the token endpoint, the API's root, health.
OPEN_ROUTES = re.compile(r"^(comptes/connexion/|healthz|i18n/|api/v1/auth/token/|api/v1/$|static/)")


def _bamako_only(url):
    return url.prisons is not None and any("KLK" not in codes for codes in url.prisons)


def _names_prison_records(route):
    """A parameter of the route names a kind of record that belongs to a prison."""
    kinds = [kind_of(route, p) for p in route.parameters]
    return any(k and KINDS[k].facility_paths for k in kinds)


POST_ROUTES = [r for r in all_routes() if r.key not in SKIPPED and _names_prison_records(r)]


@pytest.mark.parametrize("route", ROUTES, ids=[r.key for r in ROUTES])
def test_koulikoro_staff_read_nothing_of_bamako(walk, route):
    _, walker = walk
    leaks = []
    for role in OTHER_PRISON:
        answers = []
        for url in walker.filled(route).urls:
            answer = walker.open(role, url, route=route)
            answers.append(answer)
            if _bamako_only(url):
                if not (answer.status in REFUSED or answer.to_login):
                    leaks.append((role, url.path, answer.status))
            elif answer.leaked and route.key not in NATIONAL_BY_DESIGN:
                leaks.append((role, url.path, answer.status, answer.leaked))
        walker.record("other-prison walk", route.key, role, answers)
    assert leaks == []


@pytest.mark.parametrize("route", OBJECT_ROUTES, ids=[r.key for r in OBJECT_ROUTES])
def test_every_prisons_staff_are_refused_the_other_prisons_records(walk, route):
    """Both ways, for every role bound to a prison (on the answers of the every-role walk):
    Bamako's staff no longer read the person transferred to Koulikoro, nor Koulikoro's staff
    Bamako's people."""
    _, walker = walk
    leaks = []
    for role, prison in PRISON_ROLES.items():
        for url in walker.filled(route).urls:
            if url.prisons is not None and any(prison not in codes for codes in url.prisons):
                answer = walker.open(role, url, route=route)
                if not (answer.status in REFUSED or answer.to_login):
                    leaks.append((role, url.path, answer.status))
    assert leaks == []


@pytest.mark.parametrize("route", POST_ROUTES, ids=[r.key for r in POST_ROUTES])
def test_koulikoro_staff_cannot_post_to_bamakos_objects(walk, route):
    _, walker = walk
    urls = [url for url in walker.filled(route).urls if _bamako_only(url)]
    if not urls:
        pytest.skip("the data set's records of this kind are all Koulikoro's too (the transfer)")
    answers = [walker.open("clerk_klk", url, method="post", route=route) for url in urls]
    walker.record("other-prison POST probe", route.key, "clerk_klk", answers)
    assert [(u.path, a.status) for u, a in zip(urls, answers) if a.status not in REFUSED] == []


def test_koulikoro_staff_reach_the_person_transferred_to_them(walk):
    """The other-prison walk is not vacuous: the same accounts open what is theirs."""
    data, walker = walk
    c = data.people["C"]
    for role in OTHER_PRISON:
        client = data.staff[role].client
        assert client.get(f"/api/v1/inmates/{c.inmate}/", HTTP_ACCEPT="application/json").status_code == 200
        assert client.get(f"/vie-carcerale/sejours/{c.custody}/").status_code == 200
        assert client.get(f"/api/v1/custodies/{c.custody}/", HTTP_ACCEPT="application/json").status_code == 200
        assert client.get(f"/vie-carcerale/transferts/{data.made['transfer']}/").status_code == 200
        page = client.get("/detenus/").content.decode().lower()
        assert "sissoko" in page and not any(m in page for m in walker.markers)


@pytest.mark.parametrize("route", OBJECT_ROUTES, ids=[r.key for r in OBJECT_ROUTES])
def test_a_staff_member_without_a_role_gets_no_object(walk, route):
    _, walker = walk
    urls = walker.filled(route).urls
    answers = [walker.open("norole", url, route=route) for url in urls]
    walker.record("no-role walk", route.key, "norole", answers)
    assert [(u.path, a.status) for u, a in zip(urls, answers) if a.status not in REFUSED] == []


ANONYMOUS_ROUTES = [r for r in all_routes() if not OPEN_ROUTES.search(r.pattern)]


@pytest.mark.parametrize("route", ANONYMOUS_ROUTES, ids=[r.key for r in ANONYMOUS_ROUTES])
def test_an_anonymous_visitor_is_sent_to_the_login_page(walk, route):
    _, walker = walk
    urls = walker.filled(route).urls[:1]  # one URL per route is enough to be turned away
    assert urls, route.pattern
    answers = [walker.open("anonymous", url, route=route) for url in urls]
    walker.record("anonymous walk", route.key, "anonymous", answers)
    assert [(u.path, a.status) for u, a in zip(urls, answers) if not (a.to_login or a.status in (401, 403))] == []
