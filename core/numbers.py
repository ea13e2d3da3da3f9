"""Figures shown in reports: one rounding rule for every percentage."""


def percentage(part, whole):
    """Part of a whole as a percentage with one decimal (None when the whole is 0)."""
    return round(100 * part / whole, 1) if whole else None
