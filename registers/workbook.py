"""The register workbook: its columns (French headers, explanations, examples) and the French
template (an example row, drop-down lists for every coded column, an explanation sheet). Reading an
uploaded file and the error workbook are django-import-export's (registers.resources)."""

import datetime
import io
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

DATA_SHEET = "Registre d'écrou"
HELP_SHEET = "Explications"
LISTS_SHEET = "Listes"


@dataclass(frozen=True)
class Column:
    key: str  # the column's name in registers.sample rows; the record's field is `attribute`
    header: str
    required: bool
    kind: str  # text, int, date, choice
    help: str
    example: object = ""
    max_length: int = 0

    @property
    def attribute(self):
        return {"volume": "register_volume", "page": "register_page", "line": "register_line"}.get(self.key,
                                                                                                  self.key)


COLUMNS = [
    Column("volume", "Volume du registre", True, "text", "Numéro ou cote du volume du registre d'écrou.", "12", 20),
    Column("page", "Page", True, "int", "Numéro de la page du registre (nombre entier).", 34),
    Column("line", "Ligne", True, "int", "Numéro de la ligne sur la page (nombre entier).", 5),
    Column("register_number", "N° d'écrou du registre", False, "int",
           "Numéro d'écrou porté au registre papier (nombre entier). Conservé ; les nouveaux numéros "
           "continuent après le plus élevé. Vide : un numéro est attribué.", 1042),
    Column("last_name", "Nom", True, "text", "Nom de famille.", "TRAORÉ", 80),
    Column("first_name", "Prénom(s)", True, "text", "Prénom(s).", "Moussa", 120),
    Column("sex", "Sexe", True, "choice", "M (homme) ou F (femme).", "M"),
    Column("birth_date", "Date de naissance", False, "date", "JJ/MM/AAAA, si connue.", ""),
    Column("birth_year", "Année de naissance", False, "int",
           "À défaut de date : année (estimée). L'une des deux est obligatoire.", 1990),
    Column("father_name", "Prénom du père", False, "text", "Facultatif.", "Bakary", 120),
    Column("mother_name", "Nom et prénom de la mère", False, "text", "Facultatif.", "Awa DIARRA", 160),
    Column("region", "Région d'origine", False, "choice", "Code de la région (voir la feuille Listes).", ""),
    Column("admitted_on", "Date d'écrou", True, "date", "JJ/MM/AAAA : date d'entrée portée au registre.",
           datetime.date(2025, 3, 14)),
    Column("unit", "Quartier / cellule", False, "choice",
           "Code du quartier ou de la cellule actuelle dans l'établissement (feuille Listes).", ""),
    Column("legal_status", "Statut juridique", True, "choice",
           "suspect, charged (inculpé), convicted (condamné) ou appeal (condamné, en appel).", "charged"),
    Column("case_number", "N° de dossier", False, "text", "Numéro RP / RI / parquet de l'affaire.", "RI 2025/118",
           60),
    Column("court", "Juridiction", False, "choice", "Code de la juridiction (obligatoire avec un dossier).", ""),
    Column("offence", "Infraction", False, "text", "Infraction retenue (avec un dossier).", "Vol qualifié", 200),
    Column("legal_class", "Qualification", False, "choice", "contravention, delit ou crime (avec une infraction).",
           "crime"),
    Column("order_kind", "Type de titre", False, "choice", "Code du titre de détention (feuille Listes).",
           "committal"),
    Column("order_reference", "Référence du titre", False, "text", "Numéro du mandat ou de l'ordonnance.",
           "MD 45/2025", 60),
    Column("order_issued_on", "Titre délivré le", False, "date", "JJ/MM/AAAA (obligatoire avec un titre).",
           datetime.date(2025, 3, 13)),
    Column("order_issued_by", "Titre délivré par", False, "text", "Magistrat ou parquet (obligatoire avec un titre).",
           "Juge d'instruction, 2e cabinet", 160),
    Column("order_valid_until", "Titre valable jusqu'au", False, "date", "JJ/MM/AAAA, s'il expire.", ""),
    Column("origin", "Source", False, "choice",
           "register (recopié du registre, par défaut), oral (déclaration orale de la personne) ou no_file "
           "(aucun dossier : signalé au parquet).", "register"),
]
HEADERS = [c.header for c in COLUMNS]
BY_HEADER = {c.header.casefold(): c for c in COLUMNS}
ERROR_HEADER = "Erreurs"


def build_template(lists: dict[str, list[tuple[str, str]]]) -> bytes:
    """The empty register workbook: headers, an example row, drop-downs, an explanation sheet.
    `lists` maps a choice column's key to its (code, label) pairs."""
    book = Workbook()
    data = book.active
    data.title = DATA_SHEET
    data.append(HEADERS)
    for cell in data[1]:
        cell.font = Font(bold=True)
    example = []
    for column in COLUMNS:
        value = column.example
        if column.kind == "choice" and not value and lists.get(column.key):
            value = lists[column.key][0][0]
        example.append(value)
    data.append(example)
    for index in range(len(COLUMNS)):
        data.column_dimensions[data.cell(row=1, column=index + 1).column_letter].width = 18
    sheet = book.create_sheet(LISTS_SHEET)
    for index, column in enumerate(c for c in COLUMNS if c.kind == "choice"):
        pairs = lists.get(column.key, [])
        letter = sheet.cell(row=1, column=index + 1).column_letter
        sheet.cell(row=1, column=index + 1, value=column.header).font = Font(bold=True)
        for r, (code, _label) in enumerate(pairs, start=2):
            sheet.cell(row=r, column=index + 1, value=code)
        if pairs:
            target = data.cell(row=1, column=COLUMNS.index(column) + 1).column_letter
            rule = DataValidation(type="list", formula1=f"'{LISTS_SHEET}'!${letter}$2:${letter}${len(pairs) + 1}",
                                  allow_blank=not column.required)
            rule.error = _("Choisissez une valeur de la liste.")
            data.add_data_validation(rule)
            rule.add(f"{target}2:{target}10000")
    helps = book.create_sheet(HELP_SHEET)
    helps.append(["Colonne", "Obligatoire", "Explication", "Valeurs permises"])
    for cell in helps[1]:
        cell.font = Font(bold=True)
    for column in COLUMNS:
        allowed = ", ".join(f"{code} ({label})" for code, label in lists.get(column.key, []))
        helps.append([column.header, "oui" if column.required else "non", column.help, allowed])
    helps.column_dimensions["A"].width = 28
    helps.column_dimensions["C"].width = 80
    helps.column_dimensions["D"].width = 80
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


class UnreadableFile(ValueError):
    pass


def missing_headers(headers) -> list[str]:
    """The required columns a file's header row lacks (a French message names them)."""
    present = {str(h).strip().casefold() for h in headers if h is not None}
    return [c.header for c in COLUMNS if c.required and c.header.casefold() not in present]
