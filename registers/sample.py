"""A made-up paper register (for the tests and `bench_import`): rows in the template's columns,
written as the clerk would fill the template."""

import datetime
import io
import random

from openpyxl import Workbook

from .workbook import COLUMNS, DATA_SHEET, HEADERS

LAST = ["TRAORÉ", "COULIBALY", "DIARRA", "KEÏTA", "KONÉ", "SANGARÉ", "DEMBÉLÉ", "CISSÉ", "TOURÉ", "MAÏGA",
        "DIALLO", "SIDIBÉ", "SAMAKÉ", "DOUMBIA", "BALLO", "GOÏTA", "KANTÉ", "SISSOKO", "FOFANA", "BAGAYOKO"]
FIRST = ["Moussa", "Bakary", "Seydou", "Adama", "Oumar", "Modibo", "Souleymane", "Ibrahim", "Drissa",
         "Lassana", "Mamadou", "Boubacar", "Amadou", "Sékou", "Issa", "Yacouba", "Aliou", "Hamidou",
         "Abdoulaye", "Siaka", "Fousseyni", "Brahima", "Tiémoko", "Karim", "Youssouf"]
# A scanned register page for the tests and the walks: a 1×1 PNG (the first bytes decide what a file is).
PAGE_PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f"
            b"\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND"
            b"\xaeB`\x82")
OFFENCES = [("Vol qualifié", "crime"), ("Escroquerie", "delit"), ("Coups et blessures volontaires", "delit"),
            ("Trafic de stupéfiants", "crime"), ("Abus de confiance", "delit"), ("Meurtre", "crime")]


def sample_rows(count: int, *, courts, units=(), start_line: int = 1, volume: str = "12", seed: int = 7,
                first_number: int = 1, women: bool = False) -> list[dict]:
    """`count` distinct people (names × birth years never repeat), each with a case, a charge and an order."""
    rng = random.Random(seed)
    today = datetime.date.today()
    rows = []
    for i in range(count):
        n = start_line - 1 + i
        admitted = today - datetime.timedelta(days=20 + (n * 7) % 900)
        offence, legal_class = OFFENCES[n % len(OFFENCES)]
        rows.append({
            "volume": volume, "page": n // 25 + 1, "line": n % 25 + 1,
            "register_number": first_number + n,
            "last_name": LAST[n % len(LAST)], "first_name": f"{FIRST[(n // len(LAST)) % len(FIRST)]}",
            "sex": "F" if women and n % 17 == 0 else "M", "birth_date": None,
            # a name pair × a birth year is one person: 500 name pairs, then the next year.
            "birth_year": 1970 + (n // (len(LAST) * len(FIRST))) % 30,
            "father_name": rng.choice(FIRST), "mother_name": f"{rng.choice(FIRST[:5])} {rng.choice(LAST)}",
            "region": "", "admitted_on": admitted, "unit": units[n % len(units)] if units else "",
            "legal_status": "charged" if n % 3 else "convicted",
            "case_number": f"RI {admitted.year}/{volume}-{n + 1:05d}", "court": courts[n % len(courts)],
            "offence": offence, "legal_class": legal_class, "order_kind": "committal",
            "order_reference": f"MD {n + 1}/{admitted.year}", "order_issued_on": admitted - datetime.timedelta(days=1),
            "order_issued_by": "Juge d'instruction, 1er cabinet", "order_valid_until": None,
        })
    return rows


def to_xlsx(rows: list[dict]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(DATA_SHEET)
    sheet.append(HEADERS)
    for row in rows:
        sheet.append([row.get(c.key) for c in COLUMNS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
