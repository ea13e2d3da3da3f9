"""Every report's API answer matches the response schema the OpenAPI document publishes (issue 10,
the API contract): fetched as the roles that read it, validated with jsonschema against the
generated schema, with no field left undeclared (additionalProperties off)."""

import json

import jsonschema
import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.roles import Role
from detention import services as detention_services
from inmates import services as inmate_services
from oversight.models import OccupancySnapshot
from oversight.reports import write_occupancy_snapshots
from prisons.models import Facility, Region
from tests import factories

pytestmark = pytest.mark.django_db

REPORTS = ["occupancy", "roll", "separation", "activities", "profiles", "register"]


def _json_schema(node):
    """OpenAPI 3.0 → JSON Schema: `nullable` becomes a null alternative; objects with declared
    properties admit no other key (every field the server sends must be in the schema)."""
    if isinstance(node, list):
        return [_json_schema(n) for n in node]
    if not isinstance(node, dict):
        return node
    node = {k: _json_schema(v) for k, v in node.items() if k not in ("readOnly", "writeOnly")}
    if node.get("type") == "object" and "properties" in node:
        node.setdefault("additionalProperties", False)
    if node.pop("nullable", False):
        return {"anyOf": [node, {"type": "null"}]}
    return node


@pytest.fixture(scope="module")
def components():
    from drf_spectacular.generators import SchemaGenerator

    spec = json.loads(json.dumps(SchemaGenerator().get_schema(request=None, public=True), cls=DjangoJSONEncoder))
    return spec


def _validate(spec, path, body):
    response_schema = spec["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    document = _json_schema({"components": spec["components"], **response_schema})
    jsonschema.Draft7Validator(document).validate(json.loads(json.dumps(body, cls=DjangoJSONEncoder)))


@pytest.fixture
def records(bamako, koulikoro, clerk, cell):
    """People of every kind the reports count: terrorism-related with profiles in three prisons
    (some cells below 5, some hidden), untried, convicted and others in one unit, an activity and
    an enrolment, yesterday's snapshot."""
    year = timezone.localdate().year
    klk = factories.staff(Role.CLERK, koulikoro)
    for i in range(12):
        facility, actor = (bamako, clerk) if i < 7 else (koulikoro, klk)
        inmate = factories.detainee(facility, actor=actor, unit=cell if i < 7 else None, terrorism=True,
                                    convicted=i % 3 == 0, birth_year=year - 20 - 3 * i,
                                    last_name=f"SCHEMA{i}", region_of_origin=Region.objects.get(code="GAO"))
        inmate_services.record_social_profile(
            inmate, actor=actor, involvement="voluntary" if i < 8 else "forced", ethnic_group="peul" if i < 9 else "bozo",
            affiliations=["jnim"] if i < 6 else ["mnla", "aqim"], engagement_reasons=["economic"],
            education="koranic", marital_status="married", occupation="herder", organisational_role="fighter")
    general = factories.detainee(bamako, actor=clerk, unit=cell, last_name="GENERAL")
    activity = detention_services.create_activity(bamako, name="Couture", kind="tailoring", open_to_regimes=[cell.regime],
                                               actor=factories.staff(Role.DIRECTOR, bamako))
    detention_services.enrol(activity, custody=general.custodies.get(), actor=clerk)
    write_occupancy_snapshots(timezone.localdate() - timezone.timedelta(days=1))


@pytest.mark.parametrize("key", REPORTS)
@pytest.mark.parametrize("role", ["director", "manager"])
def test_each_report_answers_what_its_schema_declares(components, records, request, role, key, bamako):
    client = APIClient()
    client.force_authenticate(request.getfixturevalue(role))
    params = {"etablissement": bamako.pk} if key in ("roll", "register") and role == "manager" else {}
    response = client.get(f"/api/v1/reports/{key}/", params)
    assert response.status_code == 200, response.content
    _validate(components, f"/api/v1/reports/{key}/", response.data)


def test_an_earlier_days_occupancy_from_its_snapshot_matches_the_schema_too(components, records, manager):
    client = APIClient()
    client.force_authenticate(manager)
    day = (timezone.localdate() - timezone.timedelta(days=1)).isoformat()
    response = client.get("/api/v1/reports/occupancy/", {"date": day})
    assert response.data["source"] == "snapshot"
    _validate(components, "/api/v1/reports/occupancy/", response.data)
    bamako = next(f for f in response.data["facilities"] if f["code"] == "BKO")
    assert (bamako["region"], bamako["region_name"]) == ("BKO", "District de Bamako")


def test_a_snapshot_written_with_the_region_name_reads_as_the_code(components, records, manager):
    day = timezone.localdate() - timezone.timedelta(days=1)
    snapshot = OccupancySnapshot.objects.get(day=day, facility=Facility.objects.get(code="BKO"))
    figures = {k: v for k, v in snapshot.figures.items() if k not in ("region_name", "terrorism_by_status")}
    snapshot.figures = {**figures, "region": "District de Bamako"}
    snapshot.save()
    client = APIClient()
    client.force_authenticate(manager)
    data = client.get("/api/v1/reports/occupancy/", {"date": day.isoformat()}).data
    _validate(components, "/api/v1/reports/occupancy/", data)
    bamako = next(f for f in data["facilities"] if f["code"] == "BKO")
    assert (bamako["region"], bamako["region_name"], bamako["terrorism_by_status"]) == (
        "BKO", "District de Bamako", None)


def test_the_masked_counts_are_explained_in_the_schema(components):
    text = json.dumps(components["components"]["schemas"])
    assert "< 5" in text and "n.d." in text
    cell = components["components"]["schemas"]["ProfileCell"]["properties"]["text"]
    assert {"type": "string", "enum": ["< 5", "n.d."]} in cell["oneOf"]


def test_the_profiles_answer_shows_masked_cells_as_the_schema_says(components, records, manager):
    client = APIClient()
    client.force_authenticate(manager)
    data = client.get("/api/v1/reports/profiles/").data
    texts = {cell["text"] for dim in data["dimensions"] for row in dim["rows"] for cell in row["cells"]}
    assert "< 5" in texts and any(isinstance(t, int) for t in texts)


@pytest.mark.parametrize("role", ["director", "manager"])
def test_the_follow_up_report_and_its_trend_answer_what_the_schema_declares(components, records, request, role):
    from oversight.followup_trend import write_snapshots

    write_snapshots()
    client = APIClient()
    client.force_authenticate(request.getfixturevalue(role))
    response = client.get("/api/v1/reports/followup/")
    assert response.status_code == 200, response.content
    assert response.data["trend"][-1]["day"] == timezone.localdate().isoformat()
    assert response.data["trend"][0]["day"] is None  # no snapshot that month: null, as declared
    _validate(components, "/api/v1/reports/followup/", response.data)
