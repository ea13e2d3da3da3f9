"""The API refuses what it cannot understand, with the documented JSON error format."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, clerk, inmate):
    client.force_login(clerk)
    return client


@pytest.mark.parametrize("query, status, key", [
    ("?page=abc", 404, "detail"),
    ("?page=", 404, "detail"),
    ("?page_size=abc", 400, "page_size"),
    ("?page_size=0", 400, "page_size"),
    ("?legal_status=", 400, "legal_status"),
    ("?terrorism_related=peut-etre", 400, "terrorism_related"),
    ("?facility=%C2%B3", 400, "facility"),
    ("?ordering=nom_inconnu", 400, "ordering"),
])
def test_malformed_query_strings_are_refused_with_a_message(api, query, status, key):
    response = api.get(f"/api/v1/inmates/{query}")
    assert response.status_code == status
    assert key in response.json()


def test_a_valid_page_size_is_honoured(api):
    assert api.get("/api/v1/inmates/?page_size=1").json()["results"].__len__() == 1


@pytest.mark.parametrize("path", ["/api/v1/inmates/0.5/", "/api/v1/inmates/%C2%B3/", "/api/v1/nowhere/"])
def test_unknown_api_paths_answer_json_404(api, path):
    response = api.get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def test_unknown_pages_answer_the_french_404_page(api):
    response = api.get("/nulle-part/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_an_alias_without_a_kind_is_recorded_as_another_spelling(api, inmate):
    response = api.post(f"/api/v1/inmates/{inmate.pk}/aliases/", {"name": "Mamadou Traore"},
                        content_type="application/json")
    assert response.status_code == 201
    assert response.json()["kind"] == "spelling"


def test_custody_life_lists_refuse_empty_filters(api):
    response = api.get("/api/v1/cell-leaders/?current=")
    assert response.status_code == 400
    assert "current" in response.json()


def test_the_api_has_no_format_suffix_twins(api, inmate):
    """`/cases/1.json` was a second route to every object: undocumented, and a 500 for every
    reader (the handlers take no `format` argument). JSON is chosen by the Accept header."""
    from django.urls import URLPattern, URLResolver, get_resolver

    def parameters(patterns):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from parameters(p.url_patterns)
            elif isinstance(p, URLPattern):
                yield from p.pattern.regex.groupindex

    assert "format" not in set(parameters(get_resolver().url_patterns))
    custody = inmate.custodies.get()
    for path in (f"/api/v1/inmates/{inmate.pk}.json", f"/api/v1/custodies/{custody.pk}.json",
                 f"/api/v1/cases/{custody.cases.get().pk}.json", "/api/v1/inmates.json"):
        response = api.get(path)
        assert response.status_code == 404 and response["Content-Type"].startswith("application/json"), path
    assert api.get(f"/api/v1/inmates/{inmate.pk}/", HTTP_ACCEPT="application/json").status_code == 200


# A JSON value of the wrong type is refused, not coerced (schemathesis's coverage phase sent a
# number where the schema says string: DRF's CharField stored it as text and answered 201).

NOT_A_STRING = ["Une chaîne de caractères est attendue."]


def test_a_number_in_a_model_text_field_is_refused(api, inmate):
    response = api.post(f"/api/v1/inmates/{inmate.pk}/aliases/", {"name": 0, "kind": "alias"},
                        content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"name": NOT_A_STRING}
    assert not inmate.aliases.filter(name="0").exists()


@pytest.mark.parametrize("value", [0, 1.5, True, ["texte"], {"texte": 1}])
def test_a_declared_string_field_refuses_every_other_type(api, inmate, value):
    charge = inmate.custodies.get().cases.get().charges.first()
    response = api.post(f"/api/v1/charges/{charge.pk}/status/", {"status": "current", "reason": value},
                        content_type="application/json")
    assert response.status_code == 400
    assert "reason" in response.json()


def test_a_number_in_a_relatives_note_is_refused(api, inmate):
    response = api.post(f"/api/v1/inmates/{inmate.pk}/relatives/",
                        {"name": "Fatoumata", "relation": "spouse", "notes": 0}, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"notes": NOT_A_STRING}


def test_form_bodies_still_carry_their_strings(api, inmate):
    """Form values are always text: the strict check concerns JSON's types only."""
    response = api.post(f"/api/v1/inmates/{inmate.pk}/aliases/", {"name": "1234", "kind": "alias"})
    assert response.status_code == 201
    assert response.json()["name"] == "1234"


@pytest.mark.parametrize("path, parameter", [
    ("/api/v1/reports/roll/", "date"),
    ("/api/v1/reports/roll/", "etablissement"),
    ("/api/v1/intakes/", "stalled"),
    ("/api/v1/intakes/", "status"),
])
def test_an_empty_query_value_is_refused_rather_than_read_as_absent(api, path, parameter):
    """`?date=` answered today's roll as if no date had been given."""
    response = api.get(f"{path}?{parameter}=")
    assert response.status_code == 400
    assert response.json() == {parameter: ["Valeur vide : retirez ce paramètre ou donnez-lui une valeur."]}


RELATIVE = {"name": "Fatoumata", "relation": "spouse"}


@pytest.mark.parametrize("value", [0, 1, "true", "oui"])
def test_a_json_boolean_is_true_or_false_only(api, inmate, value):
    response = api.post(f"/api/v1/inmates/{inmate.pk}/relatives/", {**RELATIVE, "is_emergency_contact": value},
                        content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"is_emergency_contact": ["Valeur attendue : true ou false."]}


def test_a_json_integer_is_a_number_not_its_text(api, inmate):
    case = inmate.custodies.get().cases.get()
    response = api.post(f"/api/v1/cases/{case.pk}/charges/",
                        {"offence": "Vol", "legal_class": "delit", "max_penalty_months": "12"},
                        content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"max_penalty_months": ["Un nombre entier est attendu."]}


def test_a_json_id_is_a_number_not_its_text(api, inmate, cell):
    custody = inmate.custodies.get()
    response = api.post(f"/api/v1/custodies/{custody.pk}/placements/", {"unit": str(cell.pk)},
                        content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"unit": ["Identifiant attendu (nombre entier)."]}


def test_a_form_body_still_carries_booleans_and_numbers_as_text(api, inmate):
    response = api.post(f"/api/v1/inmates/{inmate.pk}/relatives/",
                        {**RELATIVE, "is_emergency_contact": "true", "age_years": "40"})
    assert response.status_code == 201, response.json()
    assert response.json()["is_emergency_contact"] is True and response.json()["age_years"] == 40


def test_a_report_page_still_reads_its_form_left_on_all(api, bamako):
    """The page's own filter form sends `etablissement=` for « Tous » and an empty date: for a
    page those mean "not given" (only the API refuses them)."""
    response = api.get(f"/rapports/roll/?etablissement={bamako.pk}&date=")
    assert response.status_code == 200
    assert "Valeur vide" not in response.content.decode()


def test_every_serializer_uses_the_strict_fields():
    """DRF's own CharField, BooleanField, IntegerField, FloatField, PrimaryKeyRelatedField and
    ModelSerializer convert a JSON value of another type; the apps declare core.api's instead,
    and accounts (below core in the layers) the strict text field that core.api takes from it
    (accounts.api_fields)."""
    import pathlib
    import re

    from django.conf import settings

    loose = re.compile(r"\bserializers\.(CharField|BooleanField|IntegerField|FloatField|PrimaryKeyRelatedField|"
                       r"ModelSerializer)\b")
    found = []
    for app in ("accounts", "core", "prisons", "inmates", "detention", "casework", "intake", "oversight", "registers"):
        for path in (pathlib.Path(settings.BASE_DIR) / app).rglob("*.py"):
            if "migrations" in path.parts or path.as_posix().endswith(("core/api.py", "accounts/api_fields.py")):
                continue
            found += [f"{path.relative_to(settings.BASE_DIR)}: {m.group(0)}"
                      for m in loose.finditer(path.read_text(encoding="utf-8"))]
    assert found == []


@pytest.mark.parametrize("body, field", [
    ({"username": 12, "password": "x"}, "username"),
    ({"username": ["clerk"], "password": "x"}, "username"),
    ({"username": "clerk", "password": 1234}, "password"),
    ({"username": "clerk", "password": "x", "otp_token": 123456}, "otp_token"),
])
def test_the_token_door_refuses_a_value_that_is_not_a_string(client, clerk, body, field):
    """The sign-in body had DRF's converting CharField: a number as identifier became its text
    and was tried as a username. A JSON value of another type is refused, in French, before any
    sign-in is attempted (no refused sign-in counted against the account or the address)."""
    from axes.models import AccessAttempt

    response = client.post("/api/v1/auth/token/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()[field] == ["Une chaîne de caractères est attendue."]
    assert not AccessAttempt.objects.exists()


def test_the_token_door_still_takes_a_form_body(client, clerk):
    response = client.post("/api/v1/auth/token/", {"username": clerk.username, "password": "wrong"})
    assert response.status_code == 400
    assert "non_field_errors" in response.json()
