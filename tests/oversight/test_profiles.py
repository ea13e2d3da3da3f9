"""Profiles of terrorism-related detainees: hand-computed figures and small-count protection."""

import json

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from accounts.roles import Role
from inmates import services as inmate_services
from oversight import profiles
from oversight.profiles import affiliation_family
from prisons.models import Facility, Region
from tests import factories

pytestmark = pytest.mark.django_db


def _person(facility, actor, *, convicted=False, birth_year=1990, region="GAO", **profile):
    inmate = factories.detainee(facility, actor=actor, terrorism=True, convicted=convicted, birth_year=birth_year,
                                last_name=f"NOM{facility.code}{next(factories._seq)}",
                                region_of_origin=Region.objects.get(code=region))
    if profile:
        inmate_services.record_social_profile(inmate, actor=actor, **profile)
    return inmate


@pytest.fixture
def population(bamako, koulikoro):
    """Bamako: 6 charged + 3 convicted (9). Koulikoro: 5 charged + 7 convicted (12).
    Kati 2 and Kayes 3: grouped as "other prisons" (5)."""
    bko = factories.staff(Role.CLERK, bamako)
    klk = factories.staff(Role.CLERK, koulikoro)
    year = timezone.localdate().year
    people = []
    for i in range(9):
        people.append(_person(
            bamako, bko, convicted=i >= 6, birth_year=year - 25 if i < 4 else year - 40,
            region="GAO" if i < 5 else "MOP",
            involvement="voluntary" if i < 5 else "forced",
            ethnic_group="peul" if i < 5 else ("songhai" if i < 8 else "bozo"),
            affiliations=["aqim", "jnim"] if i < 6 else ["mnla", "aqim"],
            engagement_reasons=["identity", "economic"] if i < 6 else ["ideology"],
            education="koranic", marital_status="married", occupation="herder", organisational_role="fighter",
        ))
    for i in range(12):
        people.append(_person(koulikoro, klk, convicted=i >= 5, region="TBK",
                              involvement="voluntary", ethnic_group="peul",
                              affiliations=["islamic_state"] if i < 6 else [],
                              engagement_reasons=["survival"]))
    kati = Facility.objects.get(code="KTI")
    kti = factories.staff(Role.CLERK, kati)
    people += [_person(kati, kti, involvement="denies") for _ in range(2)]
    kayes = Facility.objects.get(code="KAY")
    kay = factories.staff(Role.CLERK, kayes)
    people += [_person(kayes, kay, involvement="denies") for _ in range(3)]
    factories.detainee(bamako, actor=bko)  # not terrorism-related: not in the report
    return people


def _dim(report, key):
    dim = next(d for d in report["dimensions"] if d["key"] == key)
    return {r["key"]: [c["text"] for c in r["cells"]] for r in dim["rows"]}, {
        r["key"]: [c["percent"] for c in r["cells"]] for r in dim["rows"]}


def test_merged_families_of_armed_groups():
    assert affiliation_family(["aqim", "jnim"]) == "al_qaeda"
    assert affiliation_family(["mnla"]) == "secessionist"
    assert affiliation_family(["mnla", "aqim"]) == "several"
    assert profiles.affiliation_families(["mnla", "aqim"]) == {"secessionist", "al_qaeda", "several"}
    assert profiles.affiliation_families([]) == {"unknown"}
    assert affiliation_family(["islamic_state", "unknown"]) == "islamic_state"
    assert affiliation_family([]) == "unknown" and affiliation_family(["unknown"]) == "unknown"


def test_totals_small_counts_and_the_secondary_hidden_cell(population):
    report = profiles.profiles()
    assert [c["label"] for c in report["columns"]] == [
        "Maison centrale d'arrêt de Bamako", "Maison centrale d'arrêt de Koulikoro",
        "Autres établissements (regroupés)", "Ensemble du pays"]
    assert [t["text"] for t in report["totals"]] == [9, 12, 5, 26]

    # A count of 5 is shown, a count of 4 (and 0) is not.
    texts, percents = _dim(report, "involvement")
    assert texts["voluntary"] == [5, 12, "< 5", 17]
    assert percents["voluntary"] == [55.6, 100.0, None, 65.4]  # 5/9, 12/12, 17/26
    assert texts["forced"] == ["< 5", "< 5", "< 5", "< 5"]
    assert percents["forced"] == [None, None, None, None]
    assert texts["denies"] == ["< 5", "< 5", 5, 5]

    # Convicted: Bamako 3, Koulikoro 7, others 0, national 10. With 7 and 10 shown, Bamako's 3
    # would be 10 - 7 - 0 (the zeros are known from the national column: 16 charged + 10
    # convicted = 26). So one more figure goes: the national one.
    texts, percents = _dim(report, "legal_status")
    assert texts["convicted"] == ["< 5", 7, "< 5", "n.d."]
    assert percents["convicted"] == [None, 58.3, None, None]
    assert texts["charged"] == [6, 5, 5, 16]

    table = profiles.national_table()
    assert profiles.suppression.disclosed(table["values"], table["status"], _lines(table)) == []
    bamako = Facility.objects.get(code="BKO").pk
    shown = {k for k, state in table["status"].items() if state == "shown"}
    row = [("legal_status", "convicted", c) for c in (bamako, Facility.objects.get(code="KLK").pk,
                                                       profiles.OTHERS_COLUMN, "national")]
    assert len([k for k in row if k not in shown]) >= 3
    column = [("legal_status", s, bamako) for s in ("suspect", "charged", "convicted", "appeal", "unknown")]
    assert len([k for k in column if k not in shown]) >= 2


def _lines(table):
    cols = [c for c, _l in table["columns"]]
    lines = [([("T", c) for c in cols], ("T", "national"))]
    for dim in table["dimensions"]:
        for cat, _l in dim["categories"]:
            lines.append(([(dim["key"], cat, c) for c in cols], (dim["key"], cat, "national")))
        if not dim["multi"]:
            for col in [*cols, "national"]:
                lines.append(([(dim["key"], cat, col) for cat, _l in dim["categories"]], ("T", col)))
    return lines


def test_age_origin_and_answers_from_the_controlled_lists(population):
    report = profiles.profiles()
    ages, _ = _dim(report, "age_band")
    assert ages["16-25"] == ["< 5", "< 5", "< 5", "< 5"]  # 4 in Bamako
    assert ages["36-45"][0] == 5
    zones, _ = _dim(report, "zone")
    assert zones["north"] == [5, 12, 5, 22]  # Gao ×5, Tombouctou ×12, Gao ×5 (Kati, Kayes)
    assert zones["centre"] == ["< 5", "< 5", "< 5", "< 5"]  # Mopti ×4
    regions, _ = _dim(report, "region")
    # The published base of the shares (26 answers known nationally) says no region is unknown,
    # so 26 - 10 (Gao) - 12 (Tombouctou) would give Mopti's 4 away: the national 12 goes.
    assert regions["TBK"] == ["< 5", 12, "< 5", "n.d."]
    assert regions["GAO"] == [5, "< 5", 5, 10]

    # Several answers per person: percentages of people.
    reasons, percents = _dim(report, "engagement_reasons")
    assert reasons["identity"][0] == 6 and percents["identity"][0] == 66.7  # 6 of 9 people
    assert reasons["economic"][0] == 6 and percents["economic"][0] == 66.7  # same people: sum > 100 %
    assert reasons["survival"][1] == 12 and percents["survival"][1] == 100.0
    groups, _ = _dim(report, "affiliation")
    assert groups["aqim"][0] == 9  # counted once per person
    families, _ = _dim(report, "affiliation_family")
    # Several families named: counted once in each (3 in Bamako named MNLA and AQIM).
    assert families["al_qaeda"][0] == 9 and families["several"][0] == "< 5"
    assert families["islamic_state"][1] == 6 and families["unknown"][1] == 6

    # Controlled list: one line per code. In Bamako 5 Peul, 3 Songhaï and 1 Bozo (9 known): the two
    # small lines add up to 4, which pins neither of them, so nothing more is hidden.
    ethnic, _ = _dim(report, "ethnic_group")
    assert ethnic["peul"] == [5, 12, "< 5", 17]
    assert ethnic["songhai"][0] == "< 5" and ethnic["bozo"][0] == "< 5"
    assert ethnic["other"] == ["< 5", "< 5", "< 5", "< 5"]  # nobody: 0 is shown as "< 5" too
    assert list(ethnic)[:3] == ["bambara", "malinke", "peul"] and list(ethnic)[-2:] == ["other", "unknown"]


def test_one_prisons_view_is_cut_from_the_national_table_and_names_never_appear(population, koulikoro):
    national = profiles.profiles()
    report = profiles.profiles(facility_ids=[koulikoro.pk])
    assert [c["label"] for c in report["columns"]] == ["Maison centrale d'arrêt de Koulikoro"]
    # The same cells, hidden the same way: comparing the two views gives nothing away.
    for dim, cut in zip(national["dimensions"], report["dimensions"]):
        assert [r["cells"][1] for r in dim["rows"]] == [r["cells"][0] for r in cut["rows"]]

    kati = Facility.objects.get(code="KTI")
    small = profiles.profiles(facility_ids=[kati.pk])
    assert small["columns"] == [] and small["dimensions"][0]["rows"][0]["cells"] == []
    assert "trop peu de personnes" in small["notes"][0]

    text = json.dumps(national, cls=DjangoJSONEncoder, ensure_ascii=False)
    for person in population:
        assert person.last_name not in text
        assert not person.prisoner_number or person.prisoner_number not in text


def test_a_group_of_small_prisons_below_five_takes_in_the_smallest_named_one(bamako, koulikoro):
    bko, klk = factories.staff(Role.CLERK, bamako), factories.staff(Role.CLERK, koulikoro)
    kati = Facility.objects.get(code="KTI")
    for _ in range(6):
        _person(bamako, bko)
    for _ in range(7):
        _person(koulikoro, klk)
    for _ in range(2):
        _person(kati, factories.staff(Role.CLERK, kati))
    report = profiles.profiles()
    # Kati's 2 alone would be 15 - 6 - 7: Bamako (the smallest named prison) joins the group.
    assert [c["label"] for c in report["columns"]] == [
        "Maison centrale d'arrêt de Koulikoro", "Autres établissements (regroupés)", "Ensemble du pays"]
    assert [t["text"] for t in report["totals"]] == [7, 8, 15]
    assert "trop peu de personnes" in profiles.profiles(facility_ids=[bamako.pk])["notes"][0]


def test_fewer_than_five_people_nationally_shows_nothing_but_below_five(bamako):
    bko = factories.staff(Role.CLERK, bamako)
    for _ in range(4):
        _person(bamako, bko, involvement="voluntary")
    report = profiles.profiles()
    assert [t["text"] for t in report["totals"]] == ["< 5", "< 5"]
    texts = {r["key"]: [c["text"] for c in r["cells"]] for d in report["dimensions"] for r in d["rows"]}
    assert all(t == "< 5" for cells in texts.values() for t in cells)
