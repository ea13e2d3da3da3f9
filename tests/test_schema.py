import pytest
import yaml
from django.core.management import call_command

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    "/api/v1/facilities/", "/api/v1/units/", "/api/v1/inmates/", "/api/v1/inmates/{id}/aliases/",
    "/api/v1/inmates/{id}/relatives/", "/api/v1/custodies/", "/api/v1/custodies/{id}/prior-custodies/",
    "/api/v1/custodies/{id}/placements/", "/api/v1/custodies/{id}/complete-admission/", "/api/v1/cases/",
    "/api/v1/cases/{id}/charges/", "/api/v1/cases/{id}/detention-orders/", "/api/v1/cases/{id}/hearings/",
    "/api/v1/cases/{id}/judgments/", "/api/v1/charges/{id}/status/", "/api/v1/courts/", "/api/v1/auth/token/",
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
