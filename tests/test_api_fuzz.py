"""schemathesis over the OpenAPI schema: generated requests against every operation.

No 5xx and no response that breaks the schema; error responses are documented in the
schema rather than checks being turned off. The requests are made in-process (WSGI) as a
Bamako clerk holding a token, on a database with real records.
"""

import json

import pytest
import schemathesis
from django.core.serializers.json import DjangoJSONEncoder
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.config import SchemathesisConfig

from config.wsgi import application
from tests import factories

POSITIVE_EXAMPLES = 12
NEGATIVE_EXAMPLES = 6


# Rejections that depend on the data rather than the schema's shape (an id that does not
# exist or is outside the user's prisons, a business rule) are expected answers to
# schema-valid requests; everything else in the default checks stays on.
# Negative inputs are still sent (and must never cause a 5xx or a response that breaks the
# schema), but "negative data rejection" is off: the API accepts form encodings, which carry
# no types, so `aliases=false` in a form is the one-item list ["false"], not a boolean.
CONFIG = SchemathesisConfig.from_dict({
    "checks": {
        "positive_data_acceptance": {"expected-statuses": ["2xx", "400", "403", "404", "409"]},
        "negative_data_rejection": {"enabled": False},
    },
})


def _load_schema():
    from drf_spectacular.generators import SchemaGenerator

    spec = SchemaGenerator().get_schema(request=None, public=True)
    spec = json.loads(json.dumps(spec, cls=DjangoJSONEncoder))
    loaded = schemathesis.openapi.from_dict(spec, config=CONFIG)
    loaded.app = application
    # Logging out revokes the very token the run is authenticated with (every later request
    # would be a 401): those two operations have their own tests (tests/security).
    return loaded.exclude(path_regex=r"/auth/logout")


@pytest.fixture
def token_user(bamako, clerk, cell, settings):
    settings.ALLOWED_HOSTS = ["*"]
    for i in range(3):
        factories.detainee(bamako, actor=clerk, unit=cell, last_name=f"Fuzz{i}", terrorism=(i == 0))
    from accounts.services import issue_api_token

    _, token = issue_api_token(clerk, actor=clerk)
    clerk.api_token = token
    # Requests go straight to the WSGI app: keep Django from closing the test's database
    # connection at the end of each request (what its own test client does too).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield clerk
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.django_db
def test_generated_requests_get_no_server_error_and_match_the_schema(token_user):
    """Every operation, with schema-valid (positive) and schema-breaking (negative) inputs.

    One test function, so that the request count is one number under pytest-xdist too.
    """
    from schemathesis.generation import GenerationMode

    schema = _load_schema()

    @schema.auth(refresh_interval=None)
    class ClerkToken:
        """The Bamako clerk's API token."""

        def get(self, case, context):
            return token_user.api_token

        def set(self, case, data, context):
            case.headers = {**(case.headers or {}), "Authorization": f"Token {data}"}

    requests, by_status, failures = 0, {}, []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode, examples in ((GenerationMode.POSITIVE, POSITIVE_EXAMPLES), (GenerationMode.NEGATIVE, NEGATIVE_EXAMPLES)):
            strategy = operation.as_strategy(generation_mode=mode, auth_storage=schema.auth)

            @given(case=strategy)
            @hypothesis_settings(max_examples=examples, deadline=None, database=None, derandomize=True,
                                 suppress_health_check=list(HealthCheck))
            def run(case):
                nonlocal requests
                response = case.call_and_validate()
                requests += 1
                by_status[response.status_code] = by_status.get(response.status_code, 0) + 1

            try:
                run()
            except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001 — collected, reported together below
                failures.append(f"{operation.label} ({mode.value}): {str(error)[:1500]}")
    print(f"\nschemathesis: {requests} requests, by status {sorted(by_status.items())}")
    if failures:
        pytest.fail("\n\n".join(failures))
    assert requests >= 1000
    assert not any(status >= 500 for status in by_status)
