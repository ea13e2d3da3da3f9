"""Figures shown in reports: one rounding rule for every percentage."""


def percentage(part, whole):
    """Part of a whole as a percentage with one decimal (None when the whole is 0)."""
    return round(100 * part / whole, 1) if whole else None


# The CFA franc of West Africa (ISO 4217 "XOF") is written "FCFA" on French documents; what a
# clerk types for it is read as the ISO code (the field once kept three letters: "FCF").
CFA_SPELLINGS = {"XOF", "FCFA", "CFA", "FCF", "F CFA", "F.CFA", "FRANCS CFA"}


def normalize_currency(text):
    """The ISO code of a currency typed on a form ("FCFA", "f cfa", "xof" → "XOF")."""
    cleaned = " ".join((text or "").upper().split())
    if not cleaned or cleaned in CFA_SPELLINGS:
        return "XOF"
    return cleaned


def currency_label(code):
    """How a currency is written on a document: "FCFA" for the CFA franc, else its code."""
    return "FCFA" if normalize_currency(code) == "XOF" else code


def grouped(number):
    """A whole number with its thousands grouped the French way: 12500 → "12 500" (no-break space)."""
    if number is None or number == "":
        return ""
    try:
        value = int(number)
    except (TypeError, ValueError):
        return str(number)
    return f"{value:,}".replace(",", "\u00a0")


def money(amount, currency="XOF"):
    """An amount and its currency, as printed: 12500 → "12 500 FCFA"."""
    if amount is None or amount == "":
        return ""
    return f"{grouped(amount)}\u00a0{currency_label(currency)}"
