"""No Content-Security-Policy violation in a real browser on the pages whose HTML we do not
write ourselves (issue 10, item 18): Django's admin, drf-spectacular's API documentation, and
the home page beside them. The other browser tests check their own pages the same way."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from playwright.sync_api import expect


@pytest.fixture
def superuser_session(transactional_db):
    user = get_user_model().objects.create_superuser("root.csp", password="x-long-enough-2026")
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_admin_the_api_docs_and_the_home_page_raise_no_csp_violation(page, live_server, superuser_session):
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.context.add_cookies([{"name": "sessionid", "value": superuser_session, "url": live_server.url}])

    page.goto(live_server.url + "/")
    # A superuser sees every prison: the national situation is its home page.
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert "/comptes/" not in page.url
    page.goto(live_server.url + "/admin/inmates/inmate/")
    expect(page.locator("#changelist")).to_be_visible()
    page.goto(live_server.url + "/api/docs/")
    expect(page.locator(".swagger-ui .info")).to_be_visible(timeout=15000)
    assert violations == []
