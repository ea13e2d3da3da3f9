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
