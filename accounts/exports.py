"""Spreadsheet-safe exports (CSV). Cells are neutralised against formula injection.

A CSV follows the user's language, as the spreadsheet that opens it does: in French, numbers
with a decimal comma and fields separated by ";" (French Excel reads "12.5" as a date or text);
in English, a decimal point and ",". XLSX sheet names fit Excel's 31 characters, cut between words.
"""

import csv
import re
from decimal import Decimal

from django.http import HttpResponse
from django.utils.formats import get_format

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """A value a spreadsheet will show as text, never run as a formula (OWASP CSV injection)."""
    if value is None:
        return ""
    if isinstance(value, (int, float)):
        return value
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def decimal_separator() -> str:
    """The active language's decimal separator ("," in French)."""
    return get_format("DECIMAL_SEPARATOR") or "."


def csv_delimiter() -> str:
    """";" where the decimal separator is a comma (French), "," otherwise."""
    return ";" if decimal_separator() == "," else ","


def csv_cell(value):
    """A CSV cell: formula-safe, and a decimal number written with the language's separator."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (float, Decimal)):
        return str(value).replace(".", decimal_separator())
    return safe_cell(value)


def write_csv(stream, rows) -> None:
    """Rows into `stream` in the language's CSV dialect (delimiter, decimal separator)."""
    writer = csv.writer(stream, delimiter=csv_delimiter())
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])


def csv_response(filename: str, header: list, rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # BOM: Excel opens UTF-8 accents correctly
    write_csv(response, [header, *rows])
    return response


_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_title(text, *, taken=()) -> str:
    """An XLSX sheet name: Excel's forbidden characters removed, at most 31 characters cut at a
    word boundary (never mid-word), and distinct from the names already `taken`."""
    name = " ".join(_SHEET_FORBIDDEN.sub(" ", str(text)).split()) or "Feuille"
    if len(name) > 31:
        cut = name[:32].rsplit(" ", 1)[0] if " " in name[:32] else name[:31]
        name = cut.rstrip(" ,;:—–-(")
    base, n = name, 2
    taken = {t.lower() for t in taken}
    while name.lower() in taken:
        suffix = f" ({n})"
        name = base[:31 - len(suffix)].rstrip() + suffix
        n += 1
    return name
