"""The briefing language from the free text recorded before it was a choice (intake migration
0003): a known spelling of one of the languages of Mali, else "other" with the text kept."""

from inmates.names import fold

# Folded spellings clerks wrote -> BriefingLanguage value.
SPELLINGS = {
    "bambara": "bambara", "bamanan": "bambara", "bamanankan": "bambara", "bamana": "bambara",
    "peul": "fulfulde", "peulh": "fulfulde", "fulfulde": "fulfulde", "fula": "fulfulde",
    "pulaar": "fulfulde", "poular": "fulfulde",
    "songhai": "songhai", "songhay": "songhai", "sonrai": "songhai", "sonrhai": "songhai",
    "songoi": "songhai",
    "tamasheq": "tamasheq", "tamacheq": "tamasheq", "tamashek": "tamasheq", "tamachek": "tamasheq",
    "tamasheck": "tamasheq", "tamajaq": "tamasheq",
    "arabe": "arabic", "arabic": "arabic", "hassaniya": "arabic", "hassanya": "arabic",
    "arabe hassaniya": "arabic",
    "soninke": "soninke", "sarakole": "soninke", "dogon": "dogon", "bozo": "bozo",
    "senoufo": "senufo", "senufo": "senufo", "minyanka": "minyanka", "minianka": "minyanka",
    "mamara": "minyanka", "bobo": "bobo", "kassonke": "kassonke", "khassonke": "kassonke",
    "xaasongaxango": "kassonke", "malinke": "maninka", "maninka": "maninka",
    "maninkakan": "maninka",
    "francais": "french", "french": "french", "anglais": "english", "english": "english",
}


def language_from_text(text: str) -> tuple[str, str]:
    """(language value, other language text): ("bambara", "") or ("other", "Wolof")."""
    folded = fold(text)
    if folded in SPELLINGS:
        return SPELLINGS[folded], ""
    return "other", (text or "").strip()[:60] or "?"
