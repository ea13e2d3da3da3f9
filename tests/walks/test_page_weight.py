"""Light pages for slow links: each role's main pages, as sent (gzip-compressed HTML) plus the
static files they load (compressed, as whitenoise serves them), stay within the budget: 150 KB
on a first visit, 50 KB once the static files are cached. The chart library only where there is
a chart; htmx only where it is used."""

import gzip
import re

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db

FIRST_VISIT, CACHED = 150 * 1024, 50 * 1024
ASSET = re.compile(r'(?:<script[^>]+src|<link[^>]+href)="/static/([^"?]+)')
PAGES = [
    "/",
    "/detenus/",
    "/ecrou/",
    "/echeances/",
    "/echeances/bilan/",
    "/rapports/roll/?etablissement={BKO}",
    "/rapports/occupancy/",
    "/etablissements/{BKO}/",
    "/vie-carcerale/",
]
ROLES = ["clerk", "security", "medical", "social", "director", "dnapes"]


def _static(html):
    return {
        name: len(gzip.compress(open(finders.find(name), "rb").read())) for name in set(ASSET.findall(html))
    }


@pytest.mark.parametrize("role", ROLES)
def test_main_pages_stay_within_the_weight_budget(walk, role):
    data, _ = walk
    client = data.staff[role].client
    over = []
    for page in PAGES:
        url = page.format(BKO=data.facilities["BKO"])
        response = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
        if response.status_code != 200:
            continue
        assert response["Content-Encoding"] == "gzip", url
        sent = len(response.content)
        html = gzip.decompress(response.content).decode()
        assets = _static(html)
        if sent + sum(assets.values()) > FIRST_VISIT or sent > CACHED:
            over.append((url, sent, assets))
        if "chart.umd" in "".join(assets):
            assert "<canvas" in html, f"{url}: chart library without a chart"
        if "htmx" in "".join(assets):
            assert "hx-" in html, f"{url}: htmx without an hx- attribute"
    assert over == []
