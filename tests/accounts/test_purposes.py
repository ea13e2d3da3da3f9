"""Sensitive data processed only for its stated purpose (LAW.md, personal data): every
need-to-know category has a stated purpose, readers and ground; every subject-access export
(page, API) states them; the forms that collect medical and social data say what for."""

import pytest
from rest_framework.test import APIClient

from accounts import need_to_know
from accounts.purposes import PURPOSES, purpose_rows
from accounts.roles import Role
from tests import factories


def test_every_need_to_know_category_has_a_stated_purpose():
    guarded = {need_to_know.MEDICAL, need_to_know.SOCIAL_REPORT, need_to_know.SOCIAL_PROFILE,
               need_to_know.CONFIDENTIAL_COMPLAINT, need_to_know.ALLEGATION}
    assert {perm for perm, *_ in PURPOSES.values()} == guarded
    for row in purpose_rows():
        assert all(row[k].strip() for k in ("category", "purpose", "readers", "ground")), row


@pytest.mark.django_db
def test_the_subject_access_export_states_the_purposes_on_both_doors(client, bamako, clerk, cell):
    person = factories.detainee(bamako, actor=clerk, unit=cell)
    director = factories.staff(Role.DIRECTOR, bamako)
    api = APIClient()
    api.force_authenticate(director)
    data = api.get(f"/api/v1/inmates/{person.pk}/subject-access/").data
    assert [p["key"] for p in data["purposes"]] == list(PURPOSES)
    client.force_login(director)
    html = client.get(f"/detenus/{person.pk}/acces-personne/").content.decode()
    assert "Finalités des données sensibles" in html and "Règles 65 et 66" in html
