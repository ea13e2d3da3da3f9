"""Spreadsheet exports follow the user's language (accounts/exports.py)."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.exports import csv_cell, csv_delimiter, sheet_title


def test_a_french_csv_writes_decimal_commas_and_semicolons_an_english_one_points_and_commas():
    with translation.override("fr"):
        assert (csv_delimiter(), csv_cell(12.5), csv_cell(Decimal("30.0")), csv_cell(7)) == (";", "12,5", "30,0", 7)
        assert csv_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    with translation.override("en"):
        assert (csv_delimiter(), csv_cell(12.5)) == (",", "12.5")


@pytest.mark.parametrize("title, sheet", [
    ("Établissements", "Établissements"),
    ("Personnes privées de liberté en fin de journée", "Personnes privées de liberté en"),
    ("Par juge d'instruction: cabinets [Bamako]", "Par juge d'instruction cabinets"),
    ("Détentionprovisoireau-delàdesdélaislégaux", "Détentionprovisoireau-delàdesdé"),
])
def test_a_sheet_name_fits_31_characters_cut_between_words(title, sheet):
    assert sheet_title(title) == sheet and len(sheet) <= 31


def test_sheet_names_stay_distinct_once_cut():
    first = sheet_title("Personnes privées de liberté en fin de journée")
    second = sheet_title("Personnes privées de liberté en fin de semaine", taken=[first])
    assert first != second and len(second) <= 31 and second.endswith("(2)")


@pytest.mark.django_db
def test_the_backlog_csv_and_xlsx_in_french(client, manager):
    from openpyxl import load_workbook

    client.force_login(manager)
    text = client.get(reverse("deadlines:backlog_csv")).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    decimals = [c for r in rows for c in r if c.replace(",", "").replace(".", "").isdigit() and "." in c]
    assert not decimals, decimals
    book = load_workbook(io.BytesIO(client.get(reverse("deadlines:backlog_xlsx")).content))
    for name in book.sheetnames:
        assert len(name) <= 31 and not name.endswith(("-", "'")), name
