"""schemathesis over the OpenAPI schema: generated requests against every operation, all four
phases, as several roles (clerk, director, medical staff, DNAPES) and with several seeds.

- Fuzzing (positive and negative data): every operation as each role, two seeds per role and
  no seed shared (eight in all), so each role's answers (what it may read, which fields it is
  shown, its 403s) are checked against the response schema.
- Explicit examples: once per role.
- Coverage (each schema boundary, and each value of another type than the schema's, of every
  parameter and field): once per operation, as the first role the operation's door admits. It
  tests how the input is read, which is the same for every role that gets past the door; as a
  role the door refuses, each of its ~11,000 requests stopped at the same 403 (what ran before,
  four times over). It found the JSON values of the wrong type that DRF's fields converted (a
  number for a string, 0 for false, "12" for 12), which the strict fields now refuse, and the
  empty query values read as absent.
- Stateful: scenarios of linked calls that follow the schema's OpenAPI links (core.schema_links)
  from the lists to the records' own operations with real ids, as a clerk (who writes).

No 5xx, no response that breaks the schema, and every negative (schema-breaking) request
refused with a 4xx. Requests are made in-process (WSGI) with each role's API token, on a
database with real records.
"""

import contextlib
import copy
import json

import pytest
import schemathesis
from django.core.serializers.json import DjangoJSONEncoder
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.config import SchemathesisConfig
from schemathesis.generation.hypothesis.builder import HypothesisTestConfig, HypothesisTestMode, create_test

from accounts.roles import Role
from config.wsgi import application
from tests import factories

FUZZ_EXAMPLES = 4
ROLES = {"clerk": Role.CLERK, "director": Role.DIRECTOR, "medical": Role.MEDICAL, "dnapes": Role.DNAPES}
# Fuzzing: two seeds per role, none shared (eight different seeds in all).
FUZZ_RUNS = [(role, 2 * rank + n) for rank, role in enumerate(ROLES) for n in (1, 2)]
FORM_ONLY = "/api/v1/intakes/{id}/administration/"  # the photo and the warrant scan: multipart only
TOKEN = "/api/v1/auth/token/"

# Rejections that depend on the data rather than the schema's shape (an id that does not
# exist or is outside the user's prisons, a business rule, a role without the permission)
# are expected answers to schema-valid requests; every other default check stays on.
# "Negative data rejection" (a schema-breaking request must get a 4xx) is on wherever the
# body is JSON, which is why the JSON media type is the one the requests use when an operation
# offers it. It is off for the one multipart-only operation: form encodings carry no types
# (`aliases=false` in a form is the one-item list ["false"], not a boolean), so a "negative"
# form body is often a valid one. The token endpoint's 429 is its documented answer once the
# run's own refused sign-ins from one address pass the lockout limit (issue 10, item 7).
CONFIG = {
    "checks": {
        "positive_data_acceptance": {"expected-statuses": ["2xx", "400", "403", "404", "409"]},
    },
    "operations": [
        {"include-path": FORM_ONLY, "checks": {"negative_data_rejection": {"enabled": False}}},
        {
            "include-path": TOKEN,
            "checks": {
                "positive_data_acceptance": {"expected-statuses": ["2xx", "400", "403", "404", "409", "429"]}
            },
        },
    ],
    # The stateful phase follows the links the schema publishes (core.schema_links), not inferred ones.
    "phases": {"stateful": {"inference": {"algorithms": []}}},
}


def _json_bodies(spec):
    """The schema with JSON as the only request media type where an operation accepts JSON."""
    spec = copy.deepcopy(spec)
    for operations in spec["paths"].values():
        for operation in operations.values():
            content = (operation.get("requestBody") or {}).get("content", {})
            if "application/json" in content:
                operation["requestBody"]["content"] = {"application/json": content["application/json"]}
    return spec


def _load_schema(headers=None):
    from drf_spectacular.generators import SchemaGenerator

    spec = SchemaGenerator().get_schema(request=None, public=True)
    spec = _json_bodies(json.loads(json.dumps(spec, cls=DjangoJSONEncoder)))
    loaded = schemathesis.openapi.from_dict(spec, config=SchemathesisConfig.from_dict(CONFIG))
    loaded.app = application
    if headers:
        # Configured headers are the run's explicit credentials (the missing-auth check
        # replays without them).
        loaded.config.update(headers=headers)
    # Logging out revokes the very token the run is authenticated with (every later request
    # would be a 401): those two operations have their own tests (tests/security).
    return loaded.exclude(path_regex=r"/auth/logout")


@pytest.fixture
def records(bamako, clerk, cell, settings):
    settings.ALLOWED_HOSTS = ["*"]
    for i in range(3):
        factories.detainee(bamako, actor=clerk, unit=cell, last_name=f"Fuzz{i}", terrorism=(i == 0))
    with _test_connection_kept():
        yield


@contextlib.contextmanager
def _test_connection_kept():
    """Requests go straight to the WSGI app: keep Django from closing the test's database
    connection at the end of each request (what its own test client does too). Django's test
    client connects the signal again after each of its requests, so every WSGI run asks again."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _token(role, bamako, clerk):
    from accounts.services import issue_api_token

    user = (
        clerk
        if role == "clerk"
        else factories.staff(ROLES[role], *([] if role == "dnapes" else [bamako]), username=f"fuzz.{role}")
    )
    return issue_api_token(user, actor=user)[1]


def _headers(token):
    # The WSGI transport does not undo the gzip that GZipMiddleware applies when a client
    # accepts it; ask for plain bodies so the responses can be read and validated.
    return {"Authorization": f"Token {token}", "Accept-Encoding": "identity"}


def _run(operations, modes, seed):
    """Each (operation, headers) through the given phases; the requests made, by status."""
    settings = hypothesis_settings(
        max_examples=FUZZ_EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    by_status, failures = {}, []

    def caller(headers):
        def call(case):
            response = case.call_and_validate(headers=headers)
            by_status[response.status_code] = by_status.get(response.status_code, 0) + 1

        return call

    # The test client (the admitting-role probe) connected Django's connection closing again.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    for operation, headers in operations:
        config = HypothesisTestConfig(
            project=operation.schema.config, modes=modes, settings=settings, seed=seed
        )
        test = create_test(operation=operation, test_func=caller(headers), config=config)
        try:
            test()
        except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001 — collected, reported together below
            failures.append(f"{operation.label}: {str(error)[:1500]}")
    if failures:
        pytest.fail(f"{len(failures)} operations failed\n\n" + "\n\n".join(failures))
    assert not any(status >= 500 for status in by_status)
    return sum(by_status.values()), sorted(by_status.items())


def _operations(schema):
    return [result.ok() for result in schema.get_all_operations()]


@pytest.mark.django_db
@pytest.mark.parametrize("role, seed", FUZZ_RUNS)
def test_generated_requests_get_no_server_error_and_match_the_schema(records, bamako, clerk, role, seed):
    """Every operation as one role, fuzzing (positive and negative) with this seed, and the
    explicit examples once per role (they do not depend on the seed)."""
    schema = _load_schema()
    headers = _headers(_token(role, bamako, clerk))
    modes = [HypothesisTestMode.FUZZING]
    if seed == min(s for r, s in FUZZ_RUNS if r == role):
        modes.append(HypothesisTestMode.EXAMPLES)
    requests, by_status = _run([(operation, headers) for operation in _operations(schema)], modes, seed)
    print(f"\nschemathesis {role} seed {seed}: {requests} requests, by status {by_status}")
    assert requests >= 250


def _admitting_role(operation, tokens):
    """The first role (clerk, director, medical staff, DNAPES) that the operation's door lets
    through: anything but a 403 to a request with an existing id and an empty body."""
    from django.test import Client

    path = operation.path.replace("{id}", "1").replace("{code}", "BKO")
    client = Client()
    for role, token in tokens.items():
        response = client.generic(
            operation.method.upper(),
            path,
            "{}",
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Token {token}",
        )
        if response.status_code != 403:
            return role
    return next(iter(tokens))


@pytest.mark.django_db
def test_the_coverage_phase_reaches_every_operation_as_a_role_it_admits(records, bamako, clerk):
    """The coverage phase (each schema boundary, and each value of another type than the
    schema's, of every parameter and field) once per operation, as the first role its door
    admits. The phase tests how the input is read, which does not depend on the role; as a role
    the door refuses, every request would stop at the same 403 before any input is read."""
    tokens = {role: _token(role, bamako, clerk) for role in ROLES}
    operations, roles = [], {}
    for operation in _operations(_load_schema()):
        role = _admitting_role(operation, tokens)
        operations.append((operation, _headers(tokens[role])))
        roles[role] = roles.get(role, 0) + 1
    requests, by_status = _run(operations, [HypothesisTestMode.COVERAGE], seed=1)
    print(f"\nschemathesis coverage: {requests} requests, operations by role {roles}, by status {by_status}")
    assert set(roles) == set(ROLES)  # each role is the one a part of the API admits
    assert requests >= 5000


STATEFUL_SCENARIOS = 6
STATEFUL_STEPS = 10


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["clerk"])
def test_linked_requests_follow_the_published_links_without_a_server_error(records, bamako, clerk, role):
    """The stateful phase: scenarios of linked calls that follow the schema's OpenAPI links
    (core.schema_links), from a list or a creation to the record's own operations with its
    real id, as a role that writes. Same checks as above, plus schemathesis's stateful checks
    (a record just created is found; one just changed still answers)."""
    schema = _load_schema(
        headers={"Authorization": f"Token {_token(role, bamako, clerk)}", "Accept-Encoding": "identity"}
    )
    by_status, reached = {}, set()

    class Scenario(schema.as_state_machine()):
        def before_call(self, case):
            # A list is where a scenario gets real ids: ask for it unfiltered (the filters'
            # generated values, mostly refused with a 400, are the other phases' job).
            if case.operation.method.lower() == "get" and not case.path_parameters:
                case.query = {}

        def after_call(self, response, case):
            super().after_call(response, case)
            by_status[response.status_code] = by_status.get(response.status_code, 0) + 1
            if case.path_parameters and response.status_code < 300:
                reached.add(case.operation.label)  # a record's operation, with an id from a link

    # Scenarios start from the lists (real records, real ids); a creation with a random body,
    # mostly refused, is the other phases' job and would spend the few steps there are.
    for name in Scenario.root_rules:
        if "POST" in name:
            setattr(Scenario, name, None)

    Scenario.run(
        settings=hypothesis_settings(
            max_examples=STATEFUL_SCENARIOS,
            stateful_step_count=STATEFUL_STEPS,
            deadline=None,
            database=None,
            derandomize=True,  # the same scenarios on every run, as the fixed seeds above
            suppress_health_check=list(HealthCheck),
        )
    )
    print(f"\nschemathesis stateful {role}: by status {sorted(by_status.items())}, reached {sorted(reached)}")
    assert not any(status >= 500 for status in by_status)
    assert reached  # the links were followed to at least one record
