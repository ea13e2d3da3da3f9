"""Staff search of people: the same folding and transliteration rules as duplicate detection
(`inmates.names`), ranked.

Ranks, best first:
  0  the prisoner number, whole (case aside);
  1  every word typed is a whole name of the person (case, accents, apostrophes aside:
     "Ndiaye" finds "N'DIAYE");
  2  every word typed begins a name ("Diaye" does not find "N'DIAYE", "Amadou" not "Hamadou"),
     or the text is part of the prisoner number;
  3  every word typed is, by its phonetic key, a whole name in another spelling ("mohammed"
     finds "Mahamadou", "Alousseini" finds "AG AGHALY Alhousseini"). Not the beginning of a
     key: "Cissé" would find "Sissoko".
Words are matched in any order. Only the stored columns `search_text`, `name_keys` and
`prisoner_number` are read, with regular expressions and LIKE patterns that PostgreSQL serves
from their trigram indexes (inmates migrations 0002 and 0005): never a loop over people.
"""

from django.db.models import Case, IntegerField, Q, Value, When

from .names import fold, key, tokens

RANK_NUMBER, RANK_WHOLE, RANK_PARTIAL, RANK_PHONETIC = 0, 1, 2, 3


def _all(lookup, values):
    q = Q()
    for value in values:
        q &= Q(**{lookup: value})
    return q


def search_conditions(text: str, prefix: str = "") -> list[tuple[int, Q]]:
    """(rank, condition) pairs for `text`, best rank first; `prefix` reaches the person from
    another model ("inmate__"). Empty when nothing searchable was typed."""
    text = (text or "").strip()
    if not text:
        return []
    words = fold(text).split()
    keys = [key(t) for t in tokens(text)]
    number = f"{prefix}prisoner_number"
    conditions = [(RANK_NUMBER, Q(**{f"{number}__iexact": text}))]
    if words:
        # Folded words hold only [a-z0-9]: safe inside a regular expression.
        conditions.append((RANK_WHOLE, _all(f"{prefix}search_text__regex",
                                            [rf"(^| ){w}( |$)" for w in words])))
    partial = Q(**{f"{number}__icontains": text})
    if words:
        partial |= _all(f"{prefix}search_text__regex", [rf"(^| ){w}" for w in words])
    conditions.append((RANK_PARTIAL, partial))
    if keys:
        conditions.append((RANK_PHONETIC, _all(f"{prefix}name_keys__regex",
                                               [rf"(^| ){k}( |$)" for k in keys])))

    return conditions


def search_filter_and_rank(text: str, prefix: str = ""):
    """(filter, rank expression) for `text`, or (None, None) when nothing was typed."""
    conditions = search_conditions(text, prefix)
    if not conditions:
        return None, None
    match = Q()
    for _rank, condition in conditions:
        match |= condition
    rank = Case(*(When(condition, then=Value(r)) for r, condition in conditions),
                default=Value(RANK_PHONETIC), output_field=IntegerField())
    return match, rank


def rank_search(queryset, text: str, *, prefix: str = "", ordering=()):
    """`queryset` narrowed to what `text` finds, annotated `search_rank`, best rank first and
    then `ordering`. Unchanged when nothing was typed."""
    match, rank = search_filter_and_rank(text, prefix)
    if match is None:
        return queryset
    return queryset.filter(match).annotate(search_rank=rank).order_by("search_rank", *ordering)
