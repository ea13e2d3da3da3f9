"""Profiles by the published study's method, on 30 people whose percentages are computed by hand;
the year-of-admission table and an attacker who compares every pair of published tables."""

import datetime
import itertools

import pytest
from django.utils import timezone

from accounts.roles import Role
from inmates import services as inmate_services
from oversight import profiles, suppression
from prisons.models import Region
from tests import factories

pytestmark = pytest.mark.django_db


def _admitted(year):
    return timezone.make_aware(datetime.datetime(year, 6, 1, 10, 0))


@pytest.fixture
def thirty(bamako):
    """30 people held in Bamako in a terrorism-related case, all charged and awaiting trial.

    Groups named: 5 AQIM only, 4 MNLA and JNIM, 16 MNLA only, 5 Islamic State.
    Education: 12 koranic, 6 none, 6 primary, 6 not known.
    Reasons: 18 identity and economic, 12 ideology.
    Admitted: 10 in 2021 (all from the north), 10 in 2023 (6 north, 4 centre), 10 in 2025 (all centre).
    """
    clerk = factories.staff(Role.CLERK, bamako)
    groups = [["aqim"]] * 5 + [["mnla", "jnim"]] * 4 + [["mnla"]] * 16 + [["islamic_state"]] * 5
    education = ["koranic"] * 12 + ["none"] * 6 + ["primary"] * 6 + ["unknown"] * 6
    reasons = [["identity", "economic"]] * 18 + [["ideology"]] * 12
    years = [2021] * 10 + [2023] * 10 + [2025] * 10
    zones = ["GAO"] * 16 + ["MOP"] * 14
    for i in range(30):
        inmate = factories.detainee(bamako, actor=clerk, terrorism=True, admitted_at=_admitted(years[i]),
                                    last_name=f"PERSONNE{i:02d}", region_of_origin=Region.objects.get(code=zones[i]))
        inmate_services.record_social_profile(inmate, actor=clerk, affiliations=groups[i],
                                              education=education[i], engagement_reasons=reasons[i])


def _national(report, key):
    dim = next(d for d in report["dimensions"] if d["key"] == key)
    return ({r["key"]: (r["cells"][-1]["text"], r["cells"][-1]["percent"]) for r in dim["rows"]},
            dim["known"][-1]["text"])


def test_the_thirty_people_give_the_hand_computed_percentages(thirty):
    report = profiles.profiles()
    assert [t["text"] for t in report["totals"]] == [30, 30]

    # A person who named a secessionist movement and an al-Qaeda-linked group counts in both:
    # al-Qaeda-linked 5 + 4 = 9 of 30 = 30.0 % (not 5 = 16.7 %); secessionist 4 + 16 = 20 = 66.7 %.
    families, known = _national(report, "affiliation_family")
    assert known == 30
    assert families["al_qaeda"] == (9, 30.0)
    assert families["secessionist"] == (20, 66.7)
    assert families["islamic_state"] == (5, 16.7)
    assert families["several"] == ("< 5", None)  # the 4 who named both
    assert sum(p for _t, p in families.values() if p) > 100  # several answers: shares of people

    groups, _known = _national(report, "affiliation")
    assert groups["mnla"] == (20, 66.7) and groups["aqim"] == (5, 16.7) and groups["jnim"] == ("< 5", None)

    # Education: shares of the 24 whose answer is known; the 6 unknowns apart, without a share.
    education, known = _national(report, "education")
    assert known == 24
    assert education["koranic"] == (12, 50.0)
    assert education["none"] == (6, 25.0) and education["primary"] == (6, 25.0)
    assert education["unknown"] == (6, None)
    assert next(r for d in report["dimensions"] if d["key"] == "education" for r in d["rows"]
                if r["key"] == "unknown")["apart"]

    reasons, known = _national(report, "engagement_reasons")
    assert known == 30
    assert reasons["identity"] == (18, 60.0) and reasons["economic"] == (18, 60.0)
    assert reasons["ideology"] == (12, 40.0)

    legal, known = _national(report, "legal_status")
    assert legal["charged"] == (30, 100.0) and known == 30


def test_the_year_of_admission_table_shows_the_shift_without_a_small_cell(thirty):
    report = profiles.profiles()
    by_year = report["by_year"]
    assert by_year["columns"] == ["2021", "2023", "2025"]
    assert [c["text"] for c in by_year["totals"]] == [10, 10, 10]
    rows = {r["key"]: r["cells"] for r in by_year["rows"]}
    # The 4 people from the centre admitted in 2023 are hidden. 10 - 6 would give them away, so
    # the north's 6 goes; then 16 (north, zone table) - 10 - 0 would give the 6 back and with it
    # the 4, so the north's 10 of 2021 goes too. The zone table's 16 and 14 stay published.
    assert [c["text"] for c in rows["centre"]] == ["< 5", "< 5", 10]
    assert [c["text"] for c in rows["north"]] == ["n.d.", "n.d.", "< 5"]
    assert [c["text"] for c in by_year["known"]] == [10, 10, 10]
    # The shift the study describes: everyone admitted in 2025 is from the centre.
    assert rows["centre"][2]["percent"] == 100.0
    zones, known = _national(report, "zone")
    assert zones["north"] == (16, 53.3) and zones["centre"] == (14, 46.7) and known == 30
    # A prison's own view (or another reader's) gets no year table cut from it.
    assert profiles.profiles(facility_ids=[next(iter(profiles.national_table()["per_facility"]))])["by_year"] is None


def _tables(table):
    """The published tables as their own sets of sums: each dimension (with the populations)
    and the year-of-admission table."""
    by_table = {}
    for members, total in table["lines"]:
        keys = [*members, total]
        names = {k[0] for k in keys} - {"T"}
        name = "by_year" if names & {"Y", "YT", "YK"} else (names.pop() if names else "T")
        by_table.setdefault(name, []).append((members, total))
    return by_table


def test_no_comparison_of_two_published_tables_narrows_a_cell_below_five(thirty):
    table = profiles.national_table()
    values, status = table["values"], table["status"]
    tables = _tables(table)
    assert "by_year" in tables and "zone" in tables and len(tables) >= 10
    populations = tables.pop("T", [])
    for a, b in itertools.combinations(sorted(tables), 2):
        lines = populations + tables[a] + tables[b]
        assert suppression.disclosed(values, status, lines) == [], (a, b)
    assert suppression.disclosed(values, status, table["lines"]) == []  # and all of them at once

    # The attacker has teeth: with only the "< 5" cells hidden, the year table and the zone
    # table together give the 4 people from the centre in 2023 away.
    primary_only = {k: (suppression.PRIMARY if v < suppression.THRESHOLD else suppression.SHOWN)
                    for k, v in values.items()}
    leaks = suppression.disclosed(values, primary_only, populations + tables["zone"] + tables["by_year"])
    assert ("Y", "centre", "2023") in leaks


def test_year_groups_merge_thin_years_with_the_next():
    assert profiles.year_groups({2019: 2, 2020: 2, 2021: 3, 2022: 6, 2023: 1}) == [
        ("2019–2021", [2019, 2020, 2021]), ("2022–2023", [2022, 2023])]
    assert profiles.year_groups({2024: 3}) == [("2024", [2024])]
