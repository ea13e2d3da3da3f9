"""API clients for tests: a client signed in as a user, and the queries one GET costs."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient


def client_for(user):
    """An API client authenticated as `user` (no session, no second factor)."""
    client = APIClient()
    client.force_authenticate(user=user)
    return client


def queries_for(client, url):
    """How many queries a successful GET of `url` costs."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx)
