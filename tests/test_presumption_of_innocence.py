"""Presumption of innocence everywhere (DESIGN.md §5): wherever the terrorism flag or a count of
it appears — a template, a serializer, an export — the legal status is beside it, by the four
statuses (suspect / charged, awaiting trial / convicted, on appeal / convicted)."""

import csv
import importlib
import inspect
import io
import pathlib
import re

import pytest
from django.conf import settings
from django.urls import reverse
from rest_framework import serializers

from accounts.roles import Role
from detention import services as detention_services
from inmates.models import LegalStatus
from oversight import exports
from oversight.reports import activities, occupancy, separation
from tests import factories

STATUS_LABELS = [str(label) for _key, label in LegalStatus.choices]
FLAG = re.compile(r"terrorism(?!e)")  # the field and its counts, not the French word
# How a template puts the status beside the flag: the status itself, or a shared include.
BESIDE = ("legal_status", "terrorism_split", "terrorism_by_status", "terrorism_heads", "terrorism_cells",
          "terrorism_status_list")
# Names that carry the flag word but say nothing about a person.
NOT_A_PERSON = {"open_to_terrorism_related", "is_counter_terrorism_pole"}
# What a client sends (the charges of an arrival), not what anyone reads.
INPUT_SERIALIZERS = {"ArrivalChargeSerializer"}
# The separation report's "terrorism" there is whether a unit mixes terrorism-related people with
# the general population (a boolean, or a number of units): about units, not people. The people
# counted in those units carry the statuses (SeparationUnitSerializer's terrorism_by_status).
UNIT_MIXES = {"SeparationMixesSerializer", "SeparationFacilitySerializer"}
TEMPLATE_EXCEPTIONS = {
    # An activity's admission rule ("open to terrorism-related cases"), not a person's flag.
    "detention/activity_detail.html",
}


def _template_tags(text):
    return re.findall(r"{[{%].*?[}%]}", text, re.S)


def test_every_template_that_names_the_flag_shows_the_legal_status_beside_it():
    root = pathlib.Path(settings.BASE_DIR) / "templates"
    found, missing = [], []
    for path in sorted(root.rglob("*.html")):
        name = str(path.relative_to(root))
        text = path.read_text(encoding="utf-8")
        named = [t for t in _template_tags(text) if FLAG.search(re.sub("|".join(NOT_A_PERSON), "", t))]
        if not named or name in TEMPLATE_EXCEPTIONS:
            continue
        found.append(name)
        if not any(marker in text for marker in BESIDE):
            missing.append(name)
    assert len(found) >= 10 and "oversight/occupancy.html" in found and "inmates/separation.html" in found
    assert missing == []


def _project_serializers():
    base = pathlib.Path(settings.BASE_DIR)
    for app in ("accounts", "prisons", "inmates", "casework", "detention", "intake", "oversight", "sync",
                "followup", "registers"):
        # Packages too (casework/deadlines/serializers.py, casework/releases/...).
        for path in sorted((base / app).rglob("*serializers.py")):
            module = importlib.import_module(".".join(path.relative_to(base).with_suffix("").parts))
            for _name, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, serializers.BaseSerializer) and cls.__module__ == module.__name__:
                    yield cls


def _output_fields(cls):
    names = set(getattr(cls, "_declared_fields", {}))
    meta = getattr(cls, "Meta", None)
    if meta is not None and isinstance(getattr(meta, "fields", None), (list, tuple)):
        names |= set(meta.fields)
    return names


def test_every_serializer_that_names_the_flag_carries_the_legal_status():
    checked, missing = [], []
    for cls in _project_serializers():
        if "Input" in cls.__name__ or cls.__name__ in INPUT_SERIALIZERS | UNIT_MIXES:
            continue
        fields = _output_fields(cls)
        if not any(FLAG.search(f) for f in fields - NOT_A_PERSON):
            continue
        checked.append(cls.__name__)
        if not {"legal_status", "terrorism_by_status"} & fields:
            missing.append(f"{cls.__module__}.{cls.__name__}")
    assert "ChargeSerializer" in checked and "FacilityFiguresSerializer" in checked
    assert missing == []


@pytest.fixture
def terrorism_cases(bamako, cell):
    """In Bamako: a terrorism-related person charged and awaiting trial, one convicted (both
    placed in a cell and enrolled in an activity open to them), and one other person."""
    clerk = factories.staff(Role.CLERK, bamako)
    charged = factories.detainee(bamako, actor=clerk, terrorism=True, unit=cell)
    convicted = factories.detainee(bamako, actor=clerk, terrorism=True, convicted=True, unit=cell)
    factories.detainee(bamako, actor=clerk, unit=cell)
    director = factories.staff(Role.DIRECTOR, bamako)
    activity = detention_services.create_activity(bamako, name="Atelier couture", kind="tailoring",
                                               open_to_regimes=["standard"], actor=director, open_to_terrorism_related=True)
    for person in (charged, convicted):
        detention_services.enrol(activity, custody=person.custodies.get(), actor=director)
    return {"charged": charged, "convicted": convicted, "director": director}


def _has_every_status(text):
    return [label for label in STATUS_LABELS if label not in text]


@pytest.mark.django_db
def test_every_page_and_export_with_a_terrorism_count_shows_the_four_statuses(client, manager, bamako,
                                                                              terrorism_cases):
    client.force_login(manager)
    for url in (reverse("oversight:report", args=["occupancy"]), reverse("oversight:report", args=["separation"]),
                reverse("deadlines:backlog"), reverse("oversight:export", args=["occupancy", "csv"]),
                reverse("oversight:export", args=["separation", "csv"]), reverse("deadlines:backlog_csv")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert _has_every_status(response.content.decode("utf-8-sig")) == [], url
    client.force_login(terrorism_cases["director"])
    for name in ("life:separation", "life:activity_list", "life:activity_access"):
        response = client.get(reverse(name, args=[bamako.pk]))
        assert response.status_code == 200, name
        assert _has_every_status(response.content.decode()) == [], name

    # The occupancy export's terrorism columns are the four statuses, then the total.
    data = occupancy()
    table = exports.sections("occupancy", data)[0]
    head = [str(h) for h in table[1]]
    assert [h for h in head if h.startswith("Terrorisme")] == [
        "Terrorisme : Suspect, non inculpé", "Terrorisme : Inculpé, en attente de jugement",
        "Terrorisme : Condamné, en appel", "Terrorisme : Condamné", "Terrorisme : total"]
    national = table[2][-1]
    at = head.index("Terrorisme : Inculpé, en attente de jugement")
    assert national[at:at + 4] == [1, 0, 1, 2]  # charged 1, appeal 0, convicted 1, total 2

    # The separation report: the cell mixing them with the general population, by status.
    unit = next(u for u in separation()["units"] if u["mixes"]["terrorism"])
    assert [s["count"] for s in unit["terrorism_by_status"]] == [0, 1, 0, 1] and unit["terrorism"] == 2
    # The activities report: one category per legal status of the terrorism-related people.
    bko = next(f for f in activities()["facilities"] if f["id"] == bamako.pk)
    held = {c["key"]: c["held"] for c in bko["categories"]}
    assert (held["terrorism_suspect"], held["terrorism_charged"], held["terrorism_appeal"],
            held["terrorism_convicted"]) == (0, 1, 0, 1)

    # The backlog CSV: the same four columns, Bamako's row counted by status.
    rows = list(csv.reader(io.StringIO(client.get(reverse("deadlines:backlog_csv")).content.decode("utf-8-sig")),
                           delimiter=";"))
    header = next(r for r in rows if "Terrorisme : Condamné" in r)
    bko = next(r for r in rows if r and r[0] == "BKO")
    assert bko[header.index("Terrorisme : Inculpé, en attente de jugement")] == "1"
    assert bko[header.index("Terrorisme : Condamné")] == "1"


@pytest.mark.django_db
def test_the_charges_api_and_the_admin_charge_pages_give_the_persons_status(client, manager, terrorism_cases):
    client.force_login(manager)
    charges = client.get("/api/v1/charges/").json()
    charges = charges.get("results", charges)
    flagged = [c for c in charges if c["terrorism_related"]]
    assert sorted(c["legal_status"] for c in flagged) == ["charged", "convicted"]
    assert {c["legal_status_display"] for c in flagged} == {"Inculpé, en attente de jugement", "Condamné"}
    one = client.get(f"/api/v1/charges/{flagged[0]['id']}/").json()
    assert one["legal_status"] == flagged[0]["legal_status"]

    client.force_login(factories.UserFactory(is_superuser=True, is_staff=True))
    listing = client.get("/admin/casework/charge/").content.decode()
    assert "Inculpé, en attente de jugement" in listing and "Condamné" in listing
    charge_id = flagged[0]["id"]
    page = client.get(f"/admin/casework/charge/{charge_id}/change/").content.decode()
    assert flagged[0]["legal_status_display"] in page
    case_id = one["case"]
    assert flagged[0]["legal_status_display"] in client.get(f"/admin/casework/case/{case_id}/change/").content.decode()
