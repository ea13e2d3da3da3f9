"""Name normalisation for search and matching: the one folding of a name. Pure functions, no
database.

Every path that writes a person's names (create, correction, alias, data loads, benchmarks)
stores `name_fields(...)`: `search_text`, the folded words (case, accents, apostrophes and
punctuation removed: "N'DIAYE Aïssata" -> "ndiaye aissata"), and `name_keys`, one phonetic key
per word with the "son of" particles dropped ("AG AGHALY Alhousseini" -> "agali aluseini"). Staff
search and duplicate detection both read these stored keys, so the same rules find the same
person through every door, and the database can narrow with its indexes (trigram on PostgreSQL).

Names in Mali reach the register through several transliterations (Mohamed / Mahamadou /
Mohammed, Traoré / Traore, Coulibaly / Kulibali, Diarra / Jara), with Tamasheq and Moorish
"son of / daughter of" particles (Ag, Ould, Walet, Mint, Ben, Ibn, Al) written or dropped, and
given name and surname often swapped.
"""

import re
import unicodedata

_APOSTROPHES = re.compile(r"['’ʼ‘`´]")
_NON_ALNUM = re.compile(r"[^a-z0-9 ]+")
_SPACES = re.compile(r"\s+")

# "son of" / "daughter of" / article particles, written or not: never decisive.
PARTICLES = frozenset({"ag", "ould", "oul", "oult", "wuld", "walad", "walet", "welet", "mint",
                       "ben", "bin", "ibn", "el", "al"})

# Known variants of the same name -> one canonical spelling.
_VARIANT_GROUPS = {
    "mohamed": ["mohamed", "mohammed", "mohammad", "mohamad", "muhammad", "muhammed", "mahamed",
                "mahamadou", "mohamadou", "mahammadou", "mouhamed", "mouhammad", "mouhamadou",
                "mahmoud", "mahmud", "mahamadu", "hamadou", "hamed"],
    "mamadou": ["mamadou", "mamadu", "madou", "mamoudou"],
    "moussa": ["moussa", "musa", "mousa", "moussah"],
    "abdoulaye": ["abdoulaye", "abdulaye", "abdallah", "abdullah", "abdoulahi", "abdoulay"],
    "boubacar": ["boubacar", "boubakar", "aboubacar", "aboubakar", "abubakar", "bubakar", "boubakary"],
    "ousmane": ["ousmane", "usman", "othmane", "ousman", "outhmane", "osman"],
    "oumar": ["oumar", "omar", "umar", "omer"],
    "ibrahim": ["ibrahim", "ibrahima", "brahim", "ibrahime"],
    "souleymane": ["souleymane", "suleyman", "soulemane", "sulaiman", "souleiman"],
    "aliou": ["aliou", "ali", "aly", "alou", "alioune"],
    "seydou": ["seydou", "seidou", "saidou", "seydu"],
    "youssouf": ["youssouf", "yusuf", "yousouf", "youssef", "yousef"],
    "aminata": ["aminata", "amina", "aminetou"],
    "fatoumata": ["fatoumata", "fatimata", "fatouma", "fatima", "fatim", "fanta", "fadimata"],
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

# Ordered: digraphs first, then French / English habits collapsed.
_SKELETON_RULES = (
    ("tch", "c"), ("dj", "j"), ("gue", "ge"), ("gui", "gi"), ("ou", "u"), ("oo", "u"), ("ph", "f"),
    ("kh", "k"), ("gh", "g"), ("dh", "d"), ("th", "t"), ("ck", "k"), ("qu", "k"), ("q", "k"),
    ("ca", "ka"), ("co", "ko"), ("cu", "ku"), ("c", "s"), ("y", "i"), ("ee", "i"), ("ie", "i"),
    ("w", "u"), ("z", "s"), ("h", ""),
)
_DI_VOWEL = re.compile(r"di(?=[aeou])")  # Bambara spelling: Diarra / Jara, Kadiatou / Kadjatou


def fold(text: str) -> str:
    """Lower-case, strip accents, apostrophes and punctuation: "Traoré-N'Diaye" -> "traore ndiaye"."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    ascii_only = _APOSTROPHES.sub("", ascii_only)
    return _SPACES.sub(" ", _NON_ALNUM.sub(" ", ascii_only)).strip()


def tokens(name: str) -> list[str]:
    """Folded name tokens without particles ("Ag-Ghaly Iyad" -> ["ghaly", "iyad"])."""
    return [t for t in fold(name).split() if t not in PARTICLES and len(t) > 1]


def canonical(token: str) -> str:
    return VARIANTS.get(token, token)


def skeleton(token: str) -> str:
    """A spelling-tolerant form: French, English and Bambara transliteration habits collapsed
    (ou/u, y/i, w/u, dj/di/j, kh/k, gh/g, dh/d, h, doubled letters, final e, final ou/o)."""
    s = _DI_VOWEL.sub("j", token)
    for old, new in _SKELETON_RULES:
        s = s.replace(old, new)
    out = []
    for ch in s:
        if out and out[-1] == ch:
            continue  # doubled letters
        out.append(ch)
    s = "".join(out)
    if len(s) > 3 and s.endswith("e"):
        s = s[:-1]
    elif len(s) > 3 and s.endswith("u"):
        s = s[:-1] + "o"  # Guindou / Guindo, Daou / Dao
    return s


def key(token: str) -> str:
    """The phonetic key of one folded token: its known canonical spelling, reduced."""
    return skeleton(canonical(token))


def name_keys(*names: str) -> str:
    """The space-joined keys of all the names' tokens (particles dropped), in order."""
    return " ".join(key(t) for name in names for t in tokens(name))


def search_text(*names: str) -> str:
    """The folded, space-joined text an inmate is found by (names and aliases)."""
    return " ".join(f for f in (fold(n) for n in names) if f)


def name_fields(*names: str) -> dict:
    """What a person record stores to be found by its names: folded text and phonetic keys."""
    return {"search_text": search_text(*names), "name_keys": name_keys(*names)}
