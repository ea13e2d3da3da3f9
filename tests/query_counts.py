"""Counting a page's queries the way a member of staff meets it: signed in for a while, so the
session and the account's access profile are already in the cache (accounts.access)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def page_queries(client, url, status=200) -> int:
    """Queries of a GET of `url` after a first, warming one."""
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return len(ctx.captured_queries)
