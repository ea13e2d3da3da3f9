import re

import pytest

pytestmark = pytest.mark.django_db


def test_schema_and_docs_need_a_signed_in_user(client):
    assert client.get("/api/schema/").status_code in (401, 403)
    assert client.get("/api/docs/").status_code in (401, 403)


def test_docs_load_everything_locally_under_the_strict_csp(client, clerk):
    client.force_login(clerk)
    response = client.get("/api/docs/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "cdn" not in html.lower() and "https://" not in re.sub(r'xmlns="[^"]+"', "", html)
    assert re.search(r"<script>\s*\S", html) is None  # no inline script
    assert "script-src 'self'" in response["Content-Security-Policy"]
    script = re.search(r'<script src="([^"]*\?script=[^"]*)"', html)
    assert script and client.get(script.group(1).replace("&amp;", "&")).status_code == 200
    assert client.get("/api/schema/").status_code == 200
