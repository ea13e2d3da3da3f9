"""Duplicate candidates: people already known to the prison service who may be the arrival.

Names in Mali reach the register through several transliterations (Mohamed / Mahamadou /
Mohammed, Traoré / Traore, Coulibaly / Kulibali), with Tamasheq and Moorish "son of"
particles (Ag, Ould) written or dropped, and given name and surname often swapped. So a
name is reduced to tokens, particles are dropped, each token gets a canonical form (known
variants) and a phonetic skeleton; two names are compared token by token in any order
(rapidfuzz on the skeletons, jellyfish's Match Rating codex as a phonetic tie-breaker),
and the score is weighed with the birth year and the region.

Candidates are first narrowed in the database: on PostgreSQL with pg_trgm word
similarity on `Inmate.search_text` (GIN trigram index, migration inmates 0002), elsewhere
with a cheaper substring prefilter. Pure functions below have no database access.
"""

from dataclasses import dataclass, field

import jellyfish
from django.db import connection
from django.db.models import Func, Q, Value
from django.db.models.functions import Coalesce, ExtractYear
from rapidfuzz import fuzz

from .names import fold

# "son of" / article particles, written or not, joined or not: never decisive.
PARTICLES = frozenset({"ag", "ould", "oul", "wuld", "walad", "ben", "bin", "ibn", "el", "al"})

# Known variants of the same name -> one canonical spelling.
_VARIANT_GROUPS = {
    "mohamed": ["mohamed", "mohammed", "mohammad", "mohamad", "muhammad", "muhammed", "mahamed",
                "mahamadou", "mohamadou", "mahammadou", "mouhamed", "mouhammad", "mouhamadou",
                "mahmoud", "mahmud", "mahamadu", "hamadou", "hamed"],
    "mamadou": ["mamadou", "mamadu", "madou", "mamoudou"],
    "moussa": ["moussa", "musa", "mousa", "moussah"],
    "abdoulaye": ["abdoulaye", "abdulaye", "abdallah", "abdullah", "abdoulahi", "abdoulay"],
    "boubacar": ["boubacar", "boubakar", "aboubacar", "aboubakar", "abubakar", "bubakar", "boubakary"],
    "ousmane": ["ousmane", "usman", "othmane", "ousman", "outhmane"],
    "ibrahim": ["ibrahim", "ibrahima", "brahim", "ibrahime"],
    "souleymane": ["souleymane", "suleyman", "soulemane", "sulaiman", "souleiman"],
    "aliou": ["aliou", "ali", "aly", "alou", "alioune"],
    "seydou": ["seydou", "seidou", "saidou", "seydu"],
    "youssouf": ["youssouf", "yusuf", "yousouf", "youssef", "yousef"],
    "aminata": ["aminata", "amina", "aminetou"],
    "fatoumata": ["fatoumata", "fatimata", "fatouma", "fatima", "fatim", "fanta"],
    "aissata": ["aissata", "aissa", "aicha", "aichata"],
    "traore": ["traore", "trahore", "traoure"],
    "coulibaly": ["coulibaly", "kulibali", "koulibaly", "coulibali", "kulubali"],
    "diarra": ["diarra", "jara", "diara", "djara"],
    "toure": ["toure", "ture", "tour"],
    "cisse": ["cisse", "sisse", "cisset"],
    "diallo": ["diallo", "jallo", "djallo", "diolo"],
    "keita": ["keita", "keyta", "keitta"],
    "konate": ["konate", "konati"],
    "sangare": ["sangare", "sangari"],
    "dicko": ["dicko", "diko", "dikko"],
    "maiga": ["maiga", "mahiga", "maega"],
}
VARIANTS = {v: canon for canon, variants in _VARIANT_GROUPS.items() for v in variants}
# Pairs that are often the same person but not always (Mamadou is a Mande form of Muhammad).
RELATED = {frozenset({"mamadou", "mohamed"}): 0.8}

_SKELETON_RULES = (
    ("tch", "c"), ("dj", "j"), ("ou", "u"), ("oo", "u"), ("ph", "f"), ("kh", "k"), ("gh", "g"),
    ("ck", "k"), ("qu", "k"), ("q", "k"), ("ca", "ka"), ("co", "ko"), ("cu", "ku"), ("c", "s"),
    ("y", "i"), ("ee", "i"), ("ie", "i"), ("w", "u"), ("z", "s"),
)

NAME_WEIGHT = 0.8
DEFAULT_THRESHOLD = 0.62
PREFILTER_LIMIT = 1000
YEAR_WINDOW = 6  # beyond it the birth year weighs so much against that no match passes


def tokens(name: str) -> list[str]:
    """Folded name tokens without particles ("Ag-Ghaly" -> ["ghaly"])."""
    return [t for t in fold(name).split() if t not in PARTICLES and len(t) > 1]


def skeleton(token: str) -> str:
    """A spelling-tolerant form: French and English transliteration habits collapsed."""
    s = token
    for old, new in _SKELETON_RULES:
        s = s.replace(old, new)
    out = []
    for ch in s:
        if ch == "h" and out and out[-1] not in "aeiou":
            continue  # silent h after a consonant: "Mahmoud" / "Mamud"
        if out and out[-1] == ch:
            continue  # doubled letters
        out.append(ch)
    s = "".join(out)
    if len(s) > 3 and s.endswith("e"):
        s = s[:-1]
    return s


def canonical(token: str) -> str:
    return VARIANTS.get(token, token)


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
    if score >= 0.6 and jellyfish.match_rating_comparison(sa, sb):
        score = max(score, 0.85)
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
        total += best
        remaining.pop(best_i)
    score = total / len(query)
    # Extra candidate names (aliases, a second given name) cost a little, never much.
    extra = max(0, len(candidate) - len(query))
    return max(0.0, score - 0.02 * min(extra, 3))


def score(query_tokens, query_year, query_region_id, *, candidate_names, birth_year,
          region_id) -> float:
    """Name likeness weighed with birth year and region, 0..1."""
    best = max((name_similarity(query_tokens, names) for names in candidate_names), default=0.0)
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
    regex) or close to it (pg_trgm word similarity `%>`); both use the GIN trigram index."""
    where, params = [], []
    for token in query_tokens:
        where.append("(search_text ~ %s OR search_text %%> %s)")
        params += [r"\m(" + "|".join(variants_of(token)) + r")\M", token]
    return queryset.extra(where=[" AND ".join(where)], params=params)


def _prefilter_generic(queryset, query_tokens):
    """Cheaper prefilter for SQLite: every token's first letters (in one of its spellings)."""
    q = Q()
    for token in query_tokens:
        any_spelling = Q()
        for spelling in variants_of(token):
            any_spelling |= Q(search_text__contains=spelling[:3])
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


def find_candidates(*, last_name: str, first_name: str = "", birth_year=None, region_id=None,
                    queryset=None, limit: int = 10, threshold: float = DEFAULT_THRESHOLD):
    """Existing and past detainees who may be this person, best first."""
    from .models import Inmate

    query_tokens = tokens(f"{first_name} {last_name}")
    if not query_tokens:
        return []
    queryset = queryset if queryset is not None else Inmate.objects.all()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Loose enough for transliterations, strict enough for the index to be selective.
            cursor.execute("SET pg_trgm.word_similarity_threshold = 0.6")
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
    rows = list(
        narrowed.only("id", "last_name", "first_name", "birth_year", "date_of_birth",
                      "region_of_origin_id", "prisoner_number", "search_text")[:PREFILTER_LIMIT]
    )
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
