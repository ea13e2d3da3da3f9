"""schemathesis over the OpenAPI schema: generated requests against every operation.

No 5xx and no response that breaks the schema; error responses are documented in the
schema rather than checks being turned off. The requests are made in-process (WSGI) as a
Bamako clerk holding a token, on a database with real records.
"""

import json

import pytest
import schemathesis
from schemathesis.config import SchemathesisConfig
from django.core.serializers.json import DjangoJSONEncoder
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from rest_framework.authtoken.models import Token

from config.wsgi import application
from tests import factories

EXAMPLES_PER_OPERATION = 15
REQUESTS = {"count": 0, "by_status": {}}


# Rejections that depend on the data rather than the schema's shape (an id that does not
# exist or is outside the user's prisons, a business rule) are expected answers to
# schema-valid requests; everything else in the default checks stays on.
CONFIG = SchemathesisConfig.from_dict({
    "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "400", "403", "404", "409"]}},
})


def _load_schema():
    from drf_spectacular.generators import SchemaGenerator

    spec = SchemaGenerator().get_schema(request=None, public=True)
    spec = json.loads(json.dumps(spec, cls=DjangoJSONEncoder))
    loaded = schemathesis.openapi.from_dict(spec, config=CONFIG)
    loaded.app = application
    return loaded


@pytest.fixture
def token_user(bamako, clerk, cell, settings):
    settings.ALLOWED_HOSTS = ["*"]
    for i in range(3):
        factories.detainee(bamako, actor=clerk, unit=cell, last_name=f"Fuzz{i}", terrorism=(i == 0))
    Token.objects.get_or_create(user=clerk)
    # Requests go straight to the WSGI app: keep Django from closing the test's database
    # connection at the end of each request (what its own test client does too).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield clerk
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


schema = _load_schema()


@schema.auth(refresh_interval=None)
class ClerkToken:
    """The Bamako clerk's API token (created by the `token_user` fixture in each test)."""

    def get(self, case, context):
        try:
            token = Token.objects.filter(user__username="greffier.bko").first()
        except RuntimeError:  # asked while collecting tests, before any database exists
            return None
        return token.key if token else None

    def set(self, case, data, context):
        case.headers = {**(case.headers or {}), "Authorization": f"Token {data}"}


@schema.parametrize()
@hypothesis_settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None,
                     suppress_health_check=list(HealthCheck))
@pytest.mark.django_db
def test_generated_requests_get_no_server_error_and_match_the_schema(case, token_user):
    response = case.call_and_validate()
    REQUESTS["count"] += 1
    REQUESTS["by_status"][response.status_code] = REQUESTS["by_status"].get(response.status_code, 0) + 1



def test_at_least_a_thousand_requests_were_generated():
    # Many 403s are schemathesis' own negative cases (an empty or invalid Authorization header).
    print(f"\nschemathesis: {REQUESTS['count']} requests, by status {sorted(REQUESTS['by_status'].items())}")
    if REQUESTS["count"] == 0:
        pytest.skip("run together with the generated tests above")
    assert REQUESTS["count"] >= 1000
