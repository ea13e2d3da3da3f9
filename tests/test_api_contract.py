"""What an integrator writing a client from the schema alone needs (issue 10, the API contract):
regions have one representation (the code, with the name beside it) and a list of their own;
a call without credentials is a 401 that says how to authenticate; an API client that asks for
English gets English messages, French otherwise."""

import pytest
from rest_framework.test import APIClient

from prisons.models import Region
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_regions_are_listed_by_code_with_name_and_zone(clerk):
    client = APIClient()
    client.force_authenticate(clerk)
    response = client.get("/api/v1/regions/")
    assert response.status_code == 200, response.content
    assert [row["code"] for row in response.data] == list(Region.objects.order_by("name").values_list("code", flat=True))
    mopti = client.get("/api/v1/regions/MOP/").data
    assert (mopti["code"], mopti["name"]) == ("MOP", "Mopti") and mopti["zone_display"]
    assert client.get("/api/v1/regions/XXX/").status_code == 404


def test_a_region_is_the_same_code_on_input_and_on_output(clerk, bamako, inmate):
    client = APIClient()
    client.force_authenticate(clerk)
    custody = inmate.custodies.get()
    url = f"/api/v1/custodies/{custody.pk}/"
    changed = client.patch(url, {"arrest_region": "SEG", "reason": "Lieu d'arrestation corrigé"}, format="json")
    assert changed.status_code == 200, changed.data
    assert (changed.data["arrest_region"], changed.data["arrest_region_name"]) == ("SEG", "Ségou")
    by_id = client.patch(url, {"arrest_region": Region.objects.get(code="MOP").pk, "reason": "Essai"}, format="json")
    assert by_id.status_code == 400 and "arrest_region" in by_id.data
    unknown = client.patch(url, {"arrest_region": "ZZZ", "reason": "Essai"}, format="json")
    assert unknown.status_code == 400
    custody.refresh_from_db()
    assert custody.arrest_region.code == "SEG"
    person = client.get(f"/api/v1/inmates/{inmate.pk}/").data
    assert person["region_of_origin"] in (None, inmate.region_of_origin and inmate.region_of_origin.code)
    facility = client.get(f"/api/v1/facilities/{bamako.pk}/").data
    assert (facility["region"], facility["region_name"]) == ("BKO", "District de Bamako")
    court = client.get("/api/v1/courts/", {"region": "BKO"}).data["results"][0]
    assert court["region"] == "BKO" and court["region_name"] == "District de Bamako"


def test_without_credentials_the_api_answers_401_with_the_scheme_to_use():
    response = APIClient().get("/api/v1/inmates/")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Token"


def test_a_session_still_authenticates_the_api(client, clerk):
    client.force_login(clerk)
    assert client.get("/api/v1/inmates/").status_code == 200


def test_the_api_speaks_the_language_the_client_asks_for(clerk):
    client = APIClient()
    english = client.get("/api/v1/inmates/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert english.data["detail"] == "Authentication credentials were not provided."
    assert english.headers["Content-Language"] == "en"
    french = client.get("/api/v1/inmates/", HTTP_ACCEPT_LANGUAGE="en-US;q=0.4,fr;q=0.8")
    assert french.data["detail"] == "Informations d'authentification non fournies."
    assert client.get("/api/v1/inmates/", HTTP_ACCEPT_LANGUAGE="de").data["detail"].startswith("Informations")


def test_the_pages_ignore_the_browsers_language(client, clerk):
    client.force_login(clerk)
    page = client.get("/detenus/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.headers.get("Content-Language", "fr") == "fr"
    assert "Détenus" in page.content.decode() or "détenus" in page.content.decode()


def test_the_english_region_name_is_not_invented(clerk):
    client = APIClient()
    client.force_authenticate(clerk)
    assert client.get("/api/v1/regions/KID/", HTTP_ACCEPT_LANGUAGE="en").data["name"] == "Kidal"
    assert factories.region("KID").name == "Kidal"


def _schema(client, user):
    import yaml

    client.force_login(user)
    response = client.get("/api/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def test_the_schema_declares_what_the_server_requires(client, clerk):
    from intake.services import WARRANT_REQUIRED

    schemas = _schema(client, clerk)["components"]["schemas"]
    assert set(schemas["ArrivalRequest"]["required"]) >= {*WARRANT_REQUIRED, "charges"}
    assert {"photo", "warrant_scan", "identity_confirmed"} <= set(schemas["AdministrationRequest"]["required"])
    assert {"family_situation", "conclusions"} <= set(schemas["InterviewRequest"]["required"])


def test_the_schema_types_path_ids_and_names_the_roles_of_each_step(client, clerk):
    schema = _schema(client, clerk)
    for path, operations in schema["paths"].items():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path" and parameter["name"] == "id":
                    assert parameter["schema"]["type"] == "integer", path
    medical = schema["paths"]["/api/v1/intakes/{id}/medical/"]["post"]["description"]
    assert "Personnel médical" in medical and "Greffe" not in medical
    assert "Subclasses" not in str(schema) and "input_serializer" not in str(schema)


def test_a_missing_required_field_is_still_refused_with_the_services_message(clerk, bamako):
    client = APIClient()
    client.force_authenticate(clerk)
    response = client.post("/api/v1/arrivals/", {"facility": "BKO", "last_name": "Keïta"}, format="json")
    assert response.status_code == 400
    assert any("Manque au titre de détention" in m for m in response.data["warrant_number"])


def test_a_match_gives_the_region_as_its_code_with_the_name_beside_it(clerk, bamako):
    factories.detainee(bamako, actor=clerk, last_name="TRAORÉ", first_name="Mahamadou", birth_year=1988,
                       region_of_origin=Region.objects.get(code="MOP"))
    client = APIClient()
    client.force_authenticate(clerk)
    found = client.get("/api/v1/inmates/matches/", {"last_name": "Traore", "region": "MOP"}).json()
    assert (found[0]["region"], found[0]["region_name"]) == ("MOP", "Mopti")


def test_the_occupancy_report_gives_the_region_as_its_code_with_the_name_beside_it(manager):
    client = APIClient()
    client.force_authenticate(manager)
    rows = client.get("/api/v1/reports/occupancy/").data["facilities"]
    bamako = next(row for row in rows if row["code"] == "BKO")
    assert (bamako["region"], bamako["region_name"]) == ("BKO", "District de Bamako")


@pytest.mark.parametrize("url", ["/api/v1/intakes/?status=", "/api/v1/intakes/?stalled=",
                                 "/api/v1/reports/backlog/?facility=", "/api/v1/reports/late-releases/?facility="])
def test_an_empty_query_value_is_refused_not_taken_for_the_default(url, manager):
    client = APIClient()
    client.force_authenticate(manager)
    response = client.get(url)
    assert response.status_code == 400, (url, response.status_code)
    assert "Valeur vide" in str(response.data)
