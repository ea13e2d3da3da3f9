"""Name normalisation for search and matching. Pure functions, no database."""

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9 ]+")
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower-case, strip accents and punctuation: "Traoré-N'Diaye" -> "traore n diaye"."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return _SPACES.sub(" ", _NON_ALNUM.sub(" ", ascii_only)).strip()


def search_text(*names: str) -> str:
    """The folded, space-joined text an inmate is found by (names and aliases)."""
    return " ".join(f for f in (fold(n) for n in names) if f)
