"""The duplicate search for many people at once (a register file) gives exactly what the search for each
one gives: the same candidates, the same scores, in the same order, on SQLite and PostgreSQL."""

import pytest

from inmates.matching import find_candidates, find_candidates_many
from inmates.models import Inmate
from tests import factories

pytestmark = pytest.mark.django_db

PEOPLE = [("TRAORÉ", "Moussa", 1970), ("Traore", "Mousa", 1972), ("COULIBALY", "Bakary", 1981),
          ("Kulibali", "Bakari", None), ("KEÏTA", "Seydou", 1990), ("DIARRA", "Awa", 1985), ("Sow", "Oumou", 1960)]
ASKED = [("Traoré", "Moussa", 1971), ("Coulibaly", "Bakary", 1980), ("Keita", "Seydou", None),
         ("Diarra", "Awa", 1999), ("Touré", "Ali", 1970), ("", "", None)]


def test_many_at_once_is_each_one_in_turn(bamako, clerk):
    for last, first, year in PEOPLE:
        factories.detainee(bamako, actor=clerk, last_name=last, first_name=first, birth_year=year)
    left_out = Inmate.objects.get(last_name="Sow")
    for queryset in (None, Inmate.objects.exclude(pk=left_out.pk)):
        queries = [{"last_name": last, "first_name": first, "birth_year": year} for last, first, year in ASKED]
        many = find_candidates_many(queries, limit=3, queryset=queryset)
        one = [find_candidates(**q, limit=3, queryset=queryset) for q in queries]
        assert [[(c.inmate.pk, c.score) for c in answer] for answer in many] == \
            [[(c.inmate.pk, c.score) for c in answer] for answer in one]
    assert [c.inmate.last_name for c in many[0]][:2] == ["TRAORÉ", "Traore"]
    assert many[-1] == []
