"""Rights explained in a language the person understands (issue 16 §7; Rules 54–55, 111):
the security step records the briefing language from the languages of Mali, the interpreter,
whether the person reads (oral briefing otherwise), the acknowledgement (signature, thumbprint,
refusal before a witness) and when and by whom the charges and reasons were communicated."""

import datetime
import importlib

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from intake import services
from intake.languages import language_from_text
from intake.models import SecurityCheck, Step, StepRecord
from tests import factories

from .conftest import security_data


@pytest.mark.parametrize("overrides, field, message", [
    ({"rules_language": "wolof"}, "rules_language", "Choisissez la langue"),
    ({"rules_language": "other", "rules_language_other": "  "}, "rules_language_other", "Précisez"),
    ({"can_read": None}, "can_read", "sait lire"),
    ({"can_read": False, "rules_mode": "written"}, "rules_mode", "oralement"),
    ({"acknowledgement": ""}, "acknowledgement", "signature, empreinte ou refus"),
    ({"acknowledgement": "refused", "acknowledgement_witness": ""}, "acknowledgement_witness", "témoin"),
    ({"charges_communicated": False}, "charges_communicated", "Règle 111"),
    ({"charges_communicated_at": None}, "charges_communicated_at", "quand"),
    ({"charges_communicated_at": timezone.now() + datetime.timedelta(days=1)}, "charges_communicated_at", "futur"),
    ({"charges_communicated_by": " "}, "charges_communicated_by", "qui"),
])
def test_an_incomplete_briefing_is_refused_and_nothing_written(arrival, security_officer, cell,
                                                               overrides, field, message):
    with pytest.raises(ValidationError) as err:
        services.complete_step(arrival, Step.SECURITY, actor=security_officer,
                               data=security_data(cell, **overrides))
    assert list(err.value.message_dict) == [field] and message in err.value.message_dict[field][0]
    assert not StepRecord.objects.exists() and not SecurityCheck.objects.exists()


def test_the_briefing_is_recorded(arrival, security_officer, cell):
    when = timezone.now() - datetime.timedelta(hours=3)
    services.complete_step(arrival, Step.SECURITY, actor=security_officer, data=security_data(
        cell, rules_language="other", rules_language_other=" Wolof ", interpreter_name="Moussa Sow",
        can_read=True, rules_mode="written", acknowledgement="refused", acknowledgement_witness="Sgt Keïta",
        charges_communicated_at=when, charges_communicated_by="Juge d'instruction"))
    check = SecurityCheck.objects.get()
    assert (check.language_display, check.interpreter_name, check.can_read) == ("Wolof", "Moussa Sow", True)
    assert (check.acknowledgement, check.acknowledgement_witness) == ("refused", "Sgt Keïta")
    assert (check.charges_communicated_at, check.charges_communicated_by) == (when, "Juge d'instruction")


def _security_post(cell, **overrides):
    return {"rules_explained": "on", "rules_language": "tamasheq", "can_read": "false",
            "interpreter_name": "Ibrahim Ag Mohamed", "rules_mode": "oral", "acknowledgement": "thumbprint",
            "charges_communicated": "on", "charges_communicated_at": "2026-01-05T10:00",
            "charges_communicated_by": "Greffier Traoré", "search_done": "on", "unit": str(cell.pk),
            **overrides}


def test_the_page_refuses_a_written_briefing_to_a_person_who_cannot_read(client, arrival, security_officer,
                                                                         clerk, cell):
    client.force_login(security_officer)
    url = reverse("intake:step_form", args=[arrival.pk, "security"])
    response = client.post(url, _security_post(cell, rules_mode="written"))
    assert response.status_code == 200
    assert "explications doivent être données oralement" in response.content.decode()
    assert not SecurityCheck.objects.exists()
    response = client.post(url, _security_post(cell))
    assert response.status_code == 302
    client.force_login(clerk)
    sheet = client.get(reverse("intake:intake_sheet", args=[arrival.pk])).content.decode()
    for text in ("Tamasheq", "Ibrahim Ag Mohamed", "Empreinte du pouce", "05/01/2026", "Greffier Traoré"):
        assert text in sheet


def test_the_api_takes_the_briefing_and_explains_what_is_missing(bamako, arrival, cell):
    security = factories.staff("security", bamako)
    api = APIClient()
    api.force_authenticate(security)
    url = f"/api/v1/intakes/{arrival.pk}/security/"
    payload = {"rules_explained": True, "rules_language": "fulfulde", "rules_mode": "oral", "can_read": False,
               "acknowledgement": "refused", "charges_communicated": True,
               "charges_communicated_at": "2026-01-05T10:00:00Z", "charges_communicated_by": "OPJ Coulibaly",
               "search_done": True, "unit": cell.pk}
    response = api.post(url, payload, format="json")
    assert response.status_code == 400 and "acknowledgement_witness" in response.json()
    assert api.post(url, {**payload, "rules_language": "wolof"}, format="json").status_code == 400
    response = api.post(url, {**payload, "acknowledgement_witness": "Adjudant Dembélé"}, format="json")
    assert response.status_code == 200
    check = SecurityCheck.objects.get()
    assert (check.rules_language, check.acknowledgement_witness) == ("fulfulde", "Adjudant Dembélé")
    briefing = api.get(f"/api/v1/intakes/{arrival.pk}/").json()["briefing"]
    assert briefing["language_display"] == "Peul (fulfulde)" and briefing["can_read"] is False
    assert (briefing["acknowledgement"], briefing["charges_communicated_by"]) == ("refused", "OPJ Coulibaly")
    assert api.get("/api/v1/intakes/").json()["results"][0]["briefing"]["rules_language"] == "fulfulde"


@pytest.mark.parametrize("text, expected", [
    ("bambara", ("bambara", "")), ("Bamanankan", ("bambara", "")), ("PEULH", ("fulfulde", "")),
    ("sonrhaï", ("songhai", "")), ("Tamacheq", ("tamasheq", "")), ("français", ("french", "")),
    ("Arabe hassaniya", ("arabic", "")), ("Sarakolé", ("soninke", "")), ("Wolof", ("other", "Wolof")),
    ("bambara et français", ("other", "bambara et français")),
])
def test_free_text_languages_become_choices(text, expected):
    assert language_from_text(text) == expected


def test_the_migration_keeps_existing_values(arrival, security_officer, cell):
    services.complete_step(arrival, Step.SECURITY, actor=security_officer, data=security_data(cell))
    SecurityCheck.objects.update(rules_language="Sonrhaï", rules_language_other="")
    migration = importlib.import_module("intake.migrations.0003_names_briefing")
    migration.languages_from_free_text(django_apps, None)
    assert SecurityCheck.objects.get().rules_language == "songhai"
    SecurityCheck.objects.update(rules_language="bozo de Djenné")
    migration.languages_from_free_text(django_apps, None)
    check = SecurityCheck.objects.get()
    assert (check.rules_language, check.rules_language_other) == ("other", "bozo de Djenné")
