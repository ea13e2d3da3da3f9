"""The profile's four answers that were free text (ethnic group, religion, occupation,
organisational role) are codes of controlled lists with "other: …" for the rest (issue 10, the
API contract): the existing answers migrated onto the lists, both doors refusing anything else,
the database behind them, and the report counting one line per code."""

import importlib
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from rest_framework.test import APIClient

from inmates import services as inmate_services
from inmates.models import SocialProfile
from inmates.vocabularies import VOCABULARIES
from intake.models import Step
from oversight import profiles
from tests import factories
from tests.intake.conftest import interview_data, run_steps, staff_by_step  # noqa: F401 — the intake's step fixtures, used below

migration = importlib.import_module("inmates.migrations.0008_profile_vocabularies")


@pytest.mark.parametrize(("field", "text", "expected"), [
    ("ethnic_group", "Tamasheq (Touareg)", ("touareg", "")),
    ("ethnic_group", "Touareg", ("touareg", "")),
    ("ethnic_group", "  KEL   TAMASHEQ ", ("touareg", "")),
    ("ethnic_group", " peul ", ("peul", "")),
    ("ethnic_group", "Peulh", ("peul", "")),
    ("ethnic_group", "Fulani", ("peul", "")),
    ("ethnic_group", "Songhaï", ("songhai", "")),
    ("ethnic_group", "SONRHAÏ", ("songhai", "")),
    ("ethnic_group", "Soninké", ("soninke", "")),
    ("ethnic_group", "Sarakolé", ("soninke", "")),
    ("ethnic_group", "Haoussa", ("other", "Haoussa")),
    ("religion", "Islam (sunnite)", ("islam", "")),
    ("religion", "musulman", ("islam", "")),
    ("religion", "Catholique", ("christianity", "")),
    ("religion", "SECRET-RELIGION-4K", ("other", "SECRET-RELIGION-4K")),
    ("occupation", "Éleveur", ("herder", "")),
    ("occupation", "Berger", ("herder", "")),
    ("occupation", "Élève coranique", ("koranic_student", "")),
    ("occupation", "Maître coranique", ("koranic_teacher", "")),
    ("occupation", "Sans emploi", ("unemployed", "")),
    ("occupation", "Tisserand  de  Ségou", ("other", "Tisserand de Ségou")),
    ("organisational_role", "Combattant", ("fighter", "")),
    ("organisational_role", "Chef d'unité", ("leader", "")),
    ("organisational_role", "Logisticien du groupe", ("logistics", "")),
    ("organisational_role", "Aucun rôle connu", ("none_known", "")),
    ("organisational_role", "", ("", "")),
])
def test_an_existing_answer_is_mapped_onto_its_list(field, text, expected):
    assert migration.classify(field, text) == expected


def test_every_code_the_migration_maps_to_is_in_the_list():
    for field, codes in migration.SYNONYMS.items():
        assert set(codes) <= set(VOCABULARIES[field].values), field


class _Rows:
    """The historical model, as `apps.get_model` gives it to the migration, over rows in memory."""

    def __init__(self, rows):
        self.rows = rows
        self.objects = self

    def all(self):
        return self

    def iterator(self):
        return iter(self.rows)


def _row(**values):
    row = SimpleNamespace(saved=None, **{f: "" for f in migration.LENGTHS},
                          **{f"{f}_other": "" for f in migration.LENGTHS})
    vars(row).update(values)
    row.save = lambda update_fields: setattr(row, "saved", sorted(update_fields))
    return row


def test_the_data_migration_rewrites_each_profile_and_keeps_unknown_answers_as_said():
    rows = [_row(ethnic_group="Tamasheq (Touareg)", religion="Islam", occupation="Orpailleur",
                 organisational_role="Porte-drapeau"),
            _row(ethnic_group="peul"),  # already a code: untouched
            _row()]
    apps = SimpleNamespace(get_model=lambda app, name: _Rows(rows))
    migration.to_codes(apps, None)
    first, second, third = rows
    assert (first.ethnic_group, first.religion, first.occupation) == ("touareg", "islam", "gold_miner")
    assert (first.organisational_role, first.organisational_role_other) == ("other", "Porte-drapeau")
    assert second.saved is None and third.saved is None
    migration.to_text(apps, None)  # and back: the words that were typed, or the code
    assert (first.ethnic_group, first.organisational_role) == ("touareg", "Porte-drapeau")


@pytest.mark.django_db
def test_the_service_refuses_a_word_outside_the_list_and_other_without_its_text(bamako, clerk):
    person = factories.detainee(bamako, actor=clerk)
    with pytest.raises(ValidationError) as error:
        inmate_services.record_social_profile(person, actor=clerk, ethnic_group="Tamasheq (Touareg)")
    assert "ethnic_group" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        inmate_services.record_social_profile(person, actor=clerk, religion="other")
    assert error.value.message_dict["religion_other"] == ["« Autre » : précisez la réponse."]
    with pytest.raises(ValidationError) as error:
        inmate_services.record_social_profile(person, actor=clerk, religion="islam", religion_other="Sunnite")
    assert "religion_other" in error.value.message_dict
    assert not SocialProfile.objects.filter(inmate=person).exists()
    profile = inmate_services.record_social_profile(person, actor=clerk, occupation="other",
                                                    occupation_other="  Tisserand ")
    assert (profile.occupation, profile.occupation_other) == ("other", "Tisserand")
    profile = inmate_services.record_social_profile(person, actor=clerk, occupation="herder")
    assert (profile.occupation, profile.occupation_other) == ("herder", "")  # the text goes with "other"


@pytest.mark.django_db
def test_the_database_refuses_a_code_outside_the_list_and_other_without_text(bamako, clerk):
    person = factories.detainee(bamako, actor=clerk)
    inmate_services.record_social_profile(person, actor=clerk, ethnic_group="peul")
    for values in ({"ethnic_group": "Touareg"}, {"ethnic_group": "other"},
                   {"ethnic_group": "peul", "ethnic_group_other": "Peulh"}):
        with pytest.raises(IntegrityError), transaction.atomic():
            SocialProfile.objects.filter(inmate=person).update(**values)


@pytest.fixture
def at_interview(bamako, clerk, run_steps):
    from intake import services
    from tests.intake.conftest import warrant_data

    terror = warrant_data(court=factories.court("PJS-C6"), charges=[{
        "offence": "Association de malfaiteurs terroriste", "legal_class": "crime", "terrorism_related": True}])
    return run_steps(services.register_arrival(terror, facility=bamako, actor=clerk), Step.MEDICAL)


@pytest.mark.django_db
def test_the_api_takes_the_codes_and_refuses_free_words(at_interview, social_worker):
    client = APIClient()
    client.force_authenticate(social_worker)
    url = f"/api/v1/intakes/{at_interview.pk}/interview/"
    body = interview_data(affiliations=["jnim"], involvement="forced")
    refused = client.post(url, {**body, "ethnic_group": "Tamasheq (Touareg)", "organisational_role": "other"},
                          format="json")
    assert refused.status_code == 400 and "ethnic_group" in refused.data
    assert not SocialProfile.objects.filter(inmate=at_interview.inmate).exists()
    done = client.post(url, {**body, "ethnic_group": "touareg", "religion": "islam", "occupation": "herder",
                             "organisational_role": "other", "organisational_role_other": "Porte-drapeau"},
                       format="json")
    assert done.status_code == 200, done.data
    profile = SocialProfile.objects.get(inmate=at_interview.inmate)
    assert (profile.ethnic_group, profile.organisational_role_other) == ("touareg", "Porte-drapeau")


@pytest.mark.django_db
def test_the_interview_page_offers_the_lists_and_refuses_other_without_text(client, at_interview, social_worker):
    client.force_login(social_worker)
    url = reverse("intake:step_form", args=[at_interview.pk, "interview"])
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    html = page.content.decode()
    assert '<select name="ethnic_group"' in html and '<option value="touareg">' in html
    assert 'name="ethnic_group_other"' in html
    body = interview_data(affiliations=["jnim"], involvement="forced", ethnic_group="other", needs=["lawyer"])
    response = client.post(url, body)
    assert response.status_code == 200 and "précisez la réponse" in response.content.decode()
    assert not SocialProfile.objects.filter(inmate=at_interview.inmate).exists()


@pytest.mark.django_db
def test_the_schema_publishes_each_list_as_an_enum(client, clerk):
    import yaml

    client.force_login(clerk)
    schema = yaml.safe_load(client.get("/api/schema/").content)["components"]["schemas"]
    interview = schema["InterviewRequest"]["properties"]
    for field, vocabulary in VOCABULARIES.items():
        refs = [part.get("$ref", "") for part in interview[field].get("oneOf", interview[field].get("allOf", []))]
        enum = next(schema[r.rsplit("/", 1)[1]]["enum"] for r in refs if r and "enum" in schema[r.rsplit("/", 1)[1]])
        assert set(enum) == set(vocabulary.values), field
        assert f"{field}_other" in interview


@pytest.mark.django_db
def test_the_report_counts_touareg_once_whatever_was_typed(bamako, clerk):
    for _ in range(5):
        person = factories.detainee(bamako, actor=clerk, terrorism=True, last_name=f"AG {next(factories._seq)}")
        inmate_services.record_social_profile(person, actor=clerk, ethnic_group="touareg", involvement="forced")
    report = profiles.profiles()
    ethnic = next(d for d in report["dimensions"] if d["key"] == "ethnic_group")
    rows = {r["key"]: r for r in ethnic["rows"]}
    assert rows["touareg"]["label"] == "Touareg (Tamasheq)" and rows["touareg"]["cells"][-1]["text"] == 5
    assert set(rows) == {*VOCABULARIES["ethnic_group"].values, "unknown"}
