import pytest
import yaml
from django.core.management import call_command

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    "/api/v1/facilities/",
    "/api/v1/units/",
    "/api/v1/inmates/",
    "/api/v1/inmates/{id}/aliases/",
    "/api/v1/inmates/{id}/relatives/",
    "/api/v1/custodies/",
    "/api/v1/custodies/{id}/prior-custodies/",
    "/api/v1/custodies/{id}/placements/",
    "/api/v1/custodies/{id}/complete-admission/",
    "/api/v1/cases/",
    "/api/v1/cases/{id}/charges/",
    "/api/v1/cases/{id}/detention-orders/",
    "/api/v1/cases/{id}/hearings/",
    "/api/v1/cases/{id}/judgments/",
    "/api/v1/charges/{id}/status/",
    "/api/v1/courts/",
    "/api/v1/auth/token/",
]


def test_the_schema_generates_and_validates_without_a_single_warning(tmp_path):
    target = tmp_path / "schema.yml"
    # --fail-on-warn raises SchemaGenerationError on any warning or error.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = yaml.safe_load(target.read_text())
    assert set(ENDPOINTS) <= set(schema["paths"])


def test_write_endpoints_document_their_error_responses(tmp_path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--file", str(target))
    paths = yaml.safe_load(target.read_text())["paths"]
    assert {"400", "403", "404", "409"} <= set(paths["/api/v1/inmates/{id}/"]["patch"]["responses"])
    assert {"400", "403", "404"} <= set(paths["/api/v1/custodies/{id}/placements/"]["post"]["responses"])
    assert {"400", "403"} <= set(paths["/api/v1/cases/"]["post"]["responses"])
    assert "404" in paths["/api/v1/inmates/{id}/"]["get"]["responses"]


def test_the_schema_and_the_docs_page_open_for_a_signed_in_user(client, clerk):
    client.force_login(clerk)
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/inmates/" in schema.content
    assert client.get("/api/docs/").status_code == 200


def test_the_schema_publishes_links_from_what_creates_or_lists_a_record_to_its_operations(tmp_path):
    """OpenAPI links (core.schema_links): a client, and schemathesis's stateful phase, can follow
    a creation's 201 `id` or a list's first `results` item to the record's own operations."""
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--file", str(target))
    paths = yaml.safe_load(target.read_text())["paths"]
    by_id = {
        op["operationId"]: (path, op)
        for path, ops in paths.items()
        for op in ops.values()
        if "operationId" in op
    }

    created = paths["/api/v1/cases/"]["post"]["responses"]["201"]["links"]
    assert created["v1_cases_retrieve"]["parameters"] == {"path.id": "$response.body#/id"}
    assert {"v1_cases_partial_update", "v1_cases_charges_create", "v1_cases_judgments_create"} <= set(created)
    listed = paths["/api/v1/inmates/"]["get"]["responses"]["200"]["links"]
    assert listed["v1_inmates_retrieve"]["parameters"] == {"path.id": "$response.body#/results/0/id"}
    # A creation answered with another resource's record links to that resource (an arrival
    # opens an intake), and a field holding a record's id to that record.
    arrival = paths["/api/v1/arrivals/"]["post"]["responses"]["201"]["links"]
    assert {"v1_intakes_retrieve", "v1_intakes_registry_create"} <= set(arrival)
    assert arrival["custody.v1_custodies_retrieve"]["parameters"] == {"path.id": "$response.body#/custody"}
    assert paths["/api/v1/regions/"]["get"]["responses"]["200"]["links"]["v1_regions_retrieve"][
        "parameters"
    ] == {"path.code": "$response.body#/0/code"}
    # A record's detail and actions give no id it did not already have: no links from them.
    assert "links" not in paths["/api/v1/cases/{id}/"]["get"]["responses"]["200"]
    assert "links" not in paths["/api/v1/transfers/{id}/approve/"]["post"]["responses"]["200"]

    count = 0
    for ops in paths.values():
        for operation in ops.values():
            for response in operation.get("responses", {}).values():
                for link in response.get("links", {}).values():
                    count += 1
                    path, _target = by_id[link["operationId"]]
                    [(name, expression)] = link["parameters"].items()
                    assert "{" + name.removeprefix("path.") + "}" in path
                    assert expression.startswith("$response.body#/")
    assert count > 300
