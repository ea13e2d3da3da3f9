"""Duplicate candidates: people already known to the prison service who may be the arrival.

Names in Mali reach the register through several transliterations (Mohamed / Mahamadou /
Mohammed, Traoré / Traore, Coulibaly / Kulibali), with Tamasheq and Moorish "son of"
particles (Ag, Ould) written or dropped, and given name and surname often swapped. So a
name is reduced to tokens, particles are dropped, each token gets a canonical form (known
variants) and a phonetic skeleton; two names are compared token by token in any order
(rapidfuzz on the skeletons, jellyfish's Match Rating codex as a phonetic tie-breaker),
and the score is weighed with the birth year and the region.

Candidates are first narrowed in the database: on PostgreSQL with pg_trgm word
similarity on `Inmate.search_text` and the phonetic keys `Inmate.name_keys` (GIN trigram
indexes, migrations inmates 0002 and 0005), elsewhere with a cheaper substring prefilter. The
folding and keys are those of `inmates.names`, stored on every write of a name, so staff search
(`inmates.search`) and this matching agree. Pure functions below have no database access.
"""

import datetime
from dataclasses import dataclass, field

import jellyfish
from django.db import connection
from django.db.models import Func, Q, Value
from django.db.models.functions import Coalesce, ExtractYear
from rapidfuzz import fuzz

from .names import _VARIANT_GROUPS, PARTICLES, canonical, key, skeleton, tokens  # noqa: F401 (re-exported)

# Pairs that are often the same person but not always (Mamadou is a Mande form of Muhammad).
RELATED = {frozenset({"mamadou", "mohamed"}): 0.8}

NAME_WEIGHT = 0.8
SAME_NAME = 0.85  # name likeness from which two names are the same name (variant spellings)
OTHER_NAME_WEIGHT = 0.6  # a token below SAME_NAME is another name: it counts for less
NAME_FLOOR = 0.8  # below it, no birth year or region makes a candidate (Traoré is not Touré)
DEFAULT_THRESHOLD = 0.62
PREFILTER_LIMIT = 1000
YEAR_WINDOW = 6  # beyond it the birth year weighs so much against that no match passes


def token_similarity(a: str, b: str) -> float:
    """0..1 likeness of two name tokens (folded)."""
    if a == b:
        return 1.0
    ca, cb = canonical(a), canonical(b)
    if ca == cb:
        return 0.97
    related = RELATED.get(frozenset({ca, cb}))
    sa, sb = skeleton(ca), skeleton(cb)
    if sa == sb:
        return 0.95
    score = fuzz.ratio(sa, sb) / 100
    # The phonetic codex settles a close call between long names only: on short ones a letter
    # is another family (Koné / Konaté, Samaké / Samassé).
    if score >= 0.8 and min(len(sa), len(sb)) >= 6 and jellyfish.match_rating_comparison(sa, sb):
        score = max(score, SAME_NAME)
    if related:
        score = max(score, related)
    return score


def name_similarity(query: list[str], candidate: list[str]) -> float:
    """Order-insensitive comparison of two token lists (given name / surname swaps)."""
    if not query or not candidate:
        return 0.0
    remaining = list(candidate)
    total = 0.0
    for token in sorted(query, key=len, reverse=True):
        if not remaining:
            break
        best_i, best = max(enumerate(token_similarity(token, c) for c in remaining), key=lambda x: x[1])
        total += best if best >= SAME_NAME else best * OTHER_NAME_WEIGHT
        remaining.pop(best_i)
    score = total / len(query)
    # Extra candidate names (aliases, a second given name) cost a little, never much.
    extra = max(0, len(candidate) - len(query))
    return max(0.0, score - 0.02 * min(extra, 3))


def same_name(a: str, b: str) -> bool:
    """Whether two written names are the same name (spelling, particles, order aside)."""
    ta, tb = tokens(a), tokens(b)
    return min(name_similarity(ta, tb), name_similarity(tb, ta)) >= SAME_NAME


def score(query_tokens, query_year, query_region_id, *, candidate_names, birth_year,
          region_id) -> float:
    """Name likeness weighed with birth year and region, 0..1."""
    best = max((name_similarity(query_tokens, names) for names in candidate_names), default=0.0)
    if best < NAME_FLOOR:
        return 0.0
    value = NAME_WEIGHT * best
    if query_year and birth_year:
        gap = abs(query_year - birth_year)
        value += 0.15 if gap == 0 else 0.1 if gap <= 2 else 0.03 if gap <= 5 else -0.25
    if query_region_id and region_id:
        value += 0.05 if query_region_id == region_id else -0.03
    return round(max(0.0, min(1.0, value)), 3)


def variants_of(token: str) -> list[str]:
    """The token and the known spellings of the same name, for the database prefilter."""
    canon = canonical(token)
    group = set(_VARIANT_GROUPS.get(canon, ())) | {token}
    for pair in RELATED:
        if canon in pair:
            for other in pair - {canon}:
                group |= set(_VARIANT_GROUPS.get(other, ()))
    return sorted(group)


@dataclass
class Candidate:
    inmate: object
    score: float
    reasons: list = field(default_factory=list)


def _prefilter_postgresql(queryset, query_tokens):
    """Every query token must appear in search_text, in one of its known spellings (a word
    regex) or close to it (pg_trgm word similarity `%>`), or its phonetic key in name_keys;
    all use GIN trigram indexes (migrations 0002, 0005)."""
    where, params = [], []
    for token in query_tokens:
        where.append("(search_text ~ %s OR search_text %%> %s OR name_keys ~ %s)")
        params += [r"\m(" + "|".join(variants_of(token)) + r")\M", token, r"\m" + key(token) + r"\M"]
    return queryset.extra(where=[" AND ".join(where)], params=params)


def _prefilter_generic(queryset, query_tokens):
    """Cheaper prefilter for SQLite: every token's first letters (in one of its spellings, or
    of its phonetic key)."""
    q = Q()
    for token in query_tokens:
        any_spelling = Q()
        for spelling in variants_of(token):
            any_spelling |= Q(search_text__contains=spelling[:3])
        any_spelling |= Q(name_keys__contains=key(token)[:3])
        q &= any_spelling
    return queryset.filter(q)


def _birth_year_window(queryset, birth_year):
    """People born within YEAR_WINDOW years of the given year, or of unknown age."""
    if not birth_year:
        return queryset
    low, high = birth_year - YEAR_WINDOW, birth_year + YEAR_WINDOW
    return queryset.filter(
        (Q(birth_year__isnull=True) & Q(date_of_birth__isnull=True))
        | Q(birth_year__range=(low, high)) | Q(date_of_birth__year__range=(low, high))
    )


def _narrowed(queryset, query_tokens, birth_year):
    """The people the database keeps for one query (prefilter, birth-year window, closest years first)."""
    if connection.vendor == "postgresql":
        narrowed = _prefilter_postgresql(queryset, query_tokens)
    else:
        narrowed = _prefilter_generic(queryset, query_tokens)
    narrowed = _birth_year_window(narrowed, birth_year)
    if birth_year:
        # The closest birth years first, so that the limit drops the least likely.
        narrowed = narrowed.annotate(
            year_gap=Func(Coalesce("birth_year", ExtractYear("date_of_birth"), Value(birth_year))
                          - Value(birth_year), function="ABS")
        ).order_by("year_gap", "id")
    return narrowed


FIELDS = ("id", "last_name", "first_name", "birth_year", "date_of_birth", "region_of_origin_id", "prisoner_number",
          "search_text")


def _set_trigram_threshold():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Loose enough for transliterations, strict enough for the index to be selective.
            cursor.execute("SET pg_trgm.word_similarity_threshold = 0.6")


def _scored(rows, query_tokens, birth_year, region_id, *, limit, threshold):
    results = []
    for inmate in rows:
        names = [tokens(f"{inmate.first_name} {inmate.last_name}")]
        full = inmate.search_text.split()
        if len(full) > len(names[0]):
            names.append([t for t in full if t not in PARTICLES and len(t) > 1])
        year = inmate.birth_year or (inmate.date_of_birth.year if inmate.date_of_birth else None)
        value = score(query_tokens, birth_year, region_id, candidate_names=names,
                      birth_year=year, region_id=inmate.region_of_origin_id)
        if value >= threshold:
            reasons = []
            if birth_year and year:
                reasons.append(f"né(e) en {year}")
            if region_id and inmate.region_of_origin_id == region_id:
                reasons.append("même région")
            results.append(Candidate(inmate=inmate, score=value, reasons=reasons))
    results.sort(key=lambda c: (-c.score, c.inmate.pk))
    return results[:limit]


def find_candidates(*, last_name: str, first_name: str = "", birth_year=None, region_id=None,
                    queryset=None, limit: int = 10, threshold: float = DEFAULT_THRESHOLD):
    """Existing and past detainees who may be this person, best first."""
    from .models import Inmate

    query_tokens = tokens(f"{first_name} {last_name}")
    if not query_tokens:
        return []
    queryset = queryset if queryset is not None else Inmate.objects.all()
    _set_trigram_threshold()
    rows = list(_narrowed(queryset, query_tokens, birth_year).only(*FIELDS)[:PREFILTER_LIMIT])
    return _scored(rows, query_tokens, birth_year, region_id, limit=limit, threshold=threshold)


def _many_postgresql(queryset, part):
    """(query index, person) pairs for the prefilters of `part` in one statement: a UNION ALL of each
    query's prefilter (_prefilter_postgresql's conditions), birth-year window and closest-years-first
    limit, as _narrowed builds them, written as SQL once rather than compiled by the ORM per person;
    `queryset`'s own conditions are computed once (a materialised WITH)."""
    from .models import Inmate

    meta = Inmate._meta
    columns = ", ".join(f'"{meta.get_field(name).column}"' for name in FIELDS)
    restricted = bool(queryset.query.where)
    sql, params = [], []
    if restricted:
        base, base_params = queryset.values("pk").query.sql_with_params()
        sql.append(f"WITH allowed(id) AS MATERIALIZED ({base}) ")
        params += list(base_params)
    selects = []
    for index, query_tokens, query in part:
        where, year, own = [], query.get("birth_year"), [index]  # the parameters in the statement's order
        for token in query_tokens:
            where.append("(search_text ~ %s OR search_text %%> %s OR name_keys ~ %s)")
            own += [r"\m(" + "|".join(variants_of(token)) + r")\M", token, r"\m" + key(token) + r"\M"]
        if year:
            low, high = year - YEAR_WINDOW, year + YEAR_WINDOW
            where.append("((birth_year IS NULL AND date_of_birth IS NULL) OR birth_year BETWEEN %s AND %s "
                         "OR date_of_birth BETWEEN %s AND %s)")
            own += [low, high, datetime.date(low, 1, 1), datetime.date(high, 12, 31)]
        if restricted:
            where.append("id IN (SELECT id FROM allowed)")
        order = "ABS(COALESCE(birth_year, EXTRACT(YEAR FROM date_of_birth)::integer, %s) - %s), id" if year else "id"
        own += [year, year] if year else []
        selects.append(f"(SELECT {columns}, %s FROM {meta.db_table} WHERE {' AND '.join(where)} "
                       f"ORDER BY {order} LIMIT {PREFILTER_LIMIT})")
        params += own
    sql.append(" UNION ALL ".join(selects))
    with connection.cursor() as cursor:
        cursor.execute("".join(sql), params)
        for row in cursor.fetchall():
            yield row[-1], Inmate(**dict(zip(FIELDS, row[:-1], strict=True)))


MANY_PER_QUERY = 250  # queries answered by one SQL statement (a UNION ALL of their prefilters)


def find_candidates_many(queries: list[dict], *, queryset=None, limit: int = 10,
                         threshold: float = DEFAULT_THRESHOLD) -> list[list[Candidate]]:
    """`find_candidates` for many people at once (a register file): each query a dict of its keywords
    (last_name, first_name, birth_year, region_id); the same prefilter and scores, the prefilters of up to
    MANY_PER_QUERY people sent as one statement on PostgreSQL. The answers in the queries' order."""
    from .models import Inmate

    queryset = queryset if queryset is not None else Inmate.objects.all()
    asked = [(i, tokens(f"{q.get('first_name', '')} {q.get('last_name', '')}"), q) for i, q in enumerate(queries)]
    asked = [(i, t, q) for i, t, q in asked if t]
    found = {i: [] for i, _t, _q in asked}
    if asked:
        _set_trigram_threshold()
    for start in range(0, len(asked), MANY_PER_QUERY):
        part = asked[start:start + MANY_PER_QUERY]
        if connection.vendor == "postgresql":
            for asked_by, inmate in _many_postgresql(queryset, part):
                found[asked_by].append(inmate)
            continue
        parts = []
        for i, query_tokens, q in part:
            narrowed = _narrowed(queryset, query_tokens, q.get("birth_year"))
            if not q.get("birth_year"):  # the same columns in every part of the union
                narrowed = narrowed.annotate(year_gap=Value(0)).order_by("id")
            parts.append(narrowed.annotate(asked=Value(i)).values(*FIELDS, "year_gap", "asked")[:PREFILTER_LIMIT])
        for row in (row for one in parts for row in one):  # elsewhere (SQLite): a statement per person
            asked_by = row.pop("asked")
            row.pop("year_gap")
            found[asked_by].append(Inmate(**row))
    answers = [[] for _q in queries]
    for i, query_tokens, q in asked:
        answers[i] = _scored(found[i], query_tokens, q.get("birth_year"), q.get("region_id"), limit=limit,
                             threshold=threshold)
    return answers
