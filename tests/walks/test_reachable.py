"""Every page a role may open is reachable from its home page by links, within a few clicks,
with no URL typed: a crawl from "/" as each role, on the walks' data set, compared with the
page routes that role gets a page from in the walk (every route of the resolver)."""

import re
from collections import deque
from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, resolve

from .routes import walked_routes

pytestmark = pytest.mark.django_db

CLICKS = 3
HREF = re.compile(r'<a\s[^>]*href="([^"#]*)(?:#[^"]*)?"', re.IGNORECASE)
NOT_PAGES = re.compile(r"^/(api|admin|static|media|i18n)/|\.(pdf|csv|xlsx)$|/fichier/")
PER_ROUTE = 12  # distinct URLs of one route crawled (one person's file is like another's)
ROLES = ["clerk", "security", "medical", "social", "director", "clerk_klk", "director_klk", "dnapes"]
# Pages of the sign-in itself (the second factor's code), not of anyone's menu.
SIGN_IN = {"accounts:second_factor_verify", "accounts:login", "accounts:locked"}
PAGE_ROUTES = [r for r in walked_routes() if not r.is_api and r.key not in SIGN_IN]


def _route_name(path):
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def crawl(client, clicks=CLICKS):
    """{route name: clicks from home} of every page reached by following links."""
    reached, seen, per_route, pages = {}, {"/"}, {}, 0
    queue = deque([("/", 0)])
    while queue:
        url, depth = queue.popleft()
        name = _route_name(urlsplit(url).path)
        if name is None:
            continue
        response = client.get(url)
        pages += 1
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        reached.setdefault(name, depth)
        if depth == clicks:
            continue
        for href in HREF.findall(response.content.decode()):
            href = href.replace("&amp;", "&")
            if href.startswith("?"):  # the same list, other filters
                href = urlsplit(url).path + href
            if not href.startswith("/") or href in seen or NOT_PAGES.search(urlsplit(href).path):
                continue
            target = _route_name(urlsplit(href).path)
            if target is None or per_route.get(target, 0) >= PER_ROUTE:
                continue
            seen.add(href)
            per_route[target] = per_route.get(target, 0) + 1
            queue.append((href, depth + 1))
    reached[""] = pages
    return reached


def pages_of(walker, role):
    """Page routes where the walk gives `role` an HTML page (200)."""
    pages = set()
    for route in PAGE_ROUTES:
        if NOT_PAGES.search("/" + route.pattern):
            continue
        for url in walker.filled(route).urls[:3]:
            answer = walker.open(role, url, route=route)
            if answer.status == 200 and answer.content_type.startswith("text/html"):
                pages.add(route.key)
                break
    return pages


@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_a_role_is_reachable_from_its_home_page(walk, role):
    data, walker = walk
    reached = crawl(data.staff[role].client)
    opened = reached.pop("")
    missing = sorted(pages_of(walker, role) - set(reached))
    assert missing == [], (
        f"{role}: not reachable within {CLICKS} clicks of the home page ({opened} pages opened)"
    )


def test_the_header_searches_people_by_name_alias_or_number_from_every_page(walk):
    data, _ = walk
    clerk, a = data.staff["clerk"], data.people["A"]
    for page in ("/", "/ecrou/", f"/detenus/{a.inmate}/"):
        html = clerk.get(page).content.decode()
        assert 'role="search"' in html and 'name="q"' in html, page
    for query in ("doumbia", "DOUMBYA moussa", a.prisoner_number):  # spelling variants: phonetic search
        response = clerk.get(f"/detenus/?q={query}&situation=all")
        assert a.inmate in {c.inmate_id for c in response.context["page"]}, query
    # The released are found too (the header searches every situation).
    d = data.people["D"]
    response = clerk.get("/detenus/?q=fofana&situation=all")
    assert d.inmate in {c.inmate_id for c in response.context["page"]}


def test_the_file_and_the_lists_link_the_custody_life(walk):
    data, _ = walk
    clerk, a = data.staff["clerk"], data.people["A"]
    life = f'href="/vie-carcerale/sejours/{a.custody}/"'
    assert life in clerk.get(f"/detenus/{a.inmate}/").content.decode()
    assert life in clerk.get("/detenus/").content.decode()
    assert life in clerk.get(f"/detenus/unites/{data.units['J2']}/occupants/").content.decode()
