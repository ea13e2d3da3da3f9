"""Exports of every report: the same titled tables as CSV, XLSX and PDF (A4, inline SVG charts).

Every cell goes through accounts.exports.safe_cell (no spreadsheet formula can run). The
profiles export is built from the protected report only: hidden cells are text there too.
"""

import io

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.exports import csv_response, safe_cell, sheet_title
from prisons.figures import LEGAL_STATUS_ORDER, legal_status_labels
from prisons.printing import print_stylesheets

from . import charts

FORMATS = ("csv", "xlsx", "pdf")


def _pct(value):
    return "" if value is None else value


def _person_rows(people, *extra):
    return [[p["prisoner_number"], p["name"], p["legal_status_label"],
             _("Oui") if p["terrorism_related"] else _("Non"), *[p.get(k, "") for k in extra]] for p in people]


def terrorism_head():
    """Column titles of a terrorism count: one per legal status, then the total (presumption of innocence)."""
    labels = legal_status_labels()
    return [*[_("Terrorisme : %(status)s") % {"status": labels[s]} for s in LEGAL_STATUS_ORDER],
            _("Terrorisme : total")]


def terrorism_cells(row):
    """The counts under terrorism_head(): by legal status (blank for a snapshot kept before the split)."""
    split = row.get("terrorism_by_status")
    return [*([s["count"] for s in split] if split else [""] * len(LEGAL_STATUS_ORDER)), row["terrorism"]]


def sections(key, data) -> list[tuple[str, list, list]]:
    """The report as titled tables: (title, header, rows)."""
    if key == "occupancy":
        terror_head = terrorism_head()
        head = [_("Code"), _("Établissement"), _("Région"), _("Capacité officielle"), _("Détenus"),
                _("Taux d'occupation %"), _("Non jugés"), _("Part non jugés %"), _("En cours d'écrou"),
                *terror_head, _("Sans affectation")]

        def row(f):
            return [f["code"], f["name"], f["region_name"], f["capacity"], f["held"], _pct(f["congestion"]), f["untried"],
                    _pct(f["untried_share"]), f["intake"], *terrorism_cells(f), f["unplaced"]]

        t = data["totals"]
        out = [(_("Établissements en service"), head, [row(f) for f in data["facilities"]]
                + [["", _("Total national"), "", t["capacity"], t["held"], _pct(t["congestion"]), t["untried"],
                    _pct(t["untried_share"]), t["intake"], *terrorism_cells(t), ""]]),
               (_("Établissements détruits, fermés ou en reconstruction (hors total national)"),
                [*head[:3], _("État"), *head[3:5], *terror_head],
                [[f["code"], f["name"], f["region_name"], f["status_label"], f["capacity"], f["held"], *terrorism_cells(f)]
                 for f in data["other_facilities"]])]
        out.append((_("Par unité"), [_("Établissement"), _("Unité"), _("Régime"), _("Capacité"), _("Occupants"),
                                     _("Taux d'occupation %"), _("Non jugés")],
                    [[f["code"], u["name"], u["regime_label"], u["capacity"], u["occupants"], _pct(u["congestion"]),
                      u["untried"]] for f in data["facilities"] for u in f["units"]]))
        out.append((_("Évolution (relevés quotidiens)"), [_("Jour"), _("Détenus"), _("Capacité"), _("Non jugés"),
                                                         _("Taux d'occupation %")],
                    [[t["day"], t["held"], t["capacity"], t["untried"], _pct(t["congestion"])] for t in data["trend"]]))
        return out
    if key == "register":
        return _register_sections(data)
    if key == "roll":
        head = [_("N° d'écrou"), _("Nom"), _("Statut juridique"), _("Affaire liée au terrorisme")]
        out = [(f'{u["code"]} — {u["name"]} ({u["count"]} / {u["capacity"]})', head, _person_rows(u["people"]))
               for u in data["units"]]
        out.append((_("Sans affectation"), head, _person_rows(data["unplaced"])))
        out.append((_("En cours d'écrou"), head, _person_rows(data["intake"])))
        out.append((_("Arrivées du jour"), [*head, _("Heure"), _("Motif")],
                    [[*r[:4], timezone.localtime(p["at"]).strftime("%H:%M"), p["how"]]
                     for r, p in zip(_person_rows(data["arrivals"]), data["arrivals"])]))
        out.append((_("Départs du jour"), [*head, _("Heure"), _("Motif")],
                    [[*r[:4], timezone.localtime(p["at"]).strftime("%H:%M"), p["how"]]
                     for r, p in zip(_person_rows(data["departures"]), data["departures"])]))
        out.append((_("Absences : convoqués au tribunal"), [*head, _("Juridiction"), _("Audience")],
                    _person_rows(data["absences"]["court"], "court", "hearing")))
        out.append((_("Absences : infirmerie / hôpital"), [*head, _("Unité")],
                    _person_rows(data["absences"]["infirmary"], "unit")))
        out.append((_("Absences : en transfert (partis, non arrivés)"), [*head, _("Motif")],
                    _person_rows(data["absences"]["in_transit"], "how")))
        return out
    if key == "separation":
        return [
            (_("Synthèse"), [_("Mélange"), _("Unités"), _("Personnes concernées")],
             [[s["label"], s["units"], s["people"]] for s in data["summary"]]),
            (_("Unités concernées"),
             [_("Établissement"), _("Unité"), _("Régime"), _("Mélanges"), _("Occupants"), _("Hommes"), _("Femmes"),
              _("Prévenus"), _("Condamnés"), _("Mineurs"), _("Majeurs"), _("Âge inconnu"),
              *terrorism_head(), _("Droit commun")],
             [[u["facility"], u["unit"], u["regime_label"], ", ".join(u["mix_labels"]), u["total"], u["men"],
               u["women"], u["untried"], u["convicted"], u["minors"], u["adults"], u["age_unknown"],
               *terrorism_cells(u), u["general"]] for u in data["units"]]),
        ]
    if key == "activities":
        cats = data["categories"]
        out = [(_("Ensemble : inscrits à au moins une activité"),
                [_("Catégorie"), _("Détenus"), _("Inscrits"), _("Part %")],
                [[t["label"], t["held"], t["enrolled_any"], _pct(t["share_any"])] for t in data["totals"]])]
        for f in data["facilities"]:
            head = [_("Activité")] + [c["label"] for c in cats]
            rows = [[_("Détenus")] + [c["held"] for c in f["categories"]]]
            for k in f["kinds"]:
                rows.append([k["label"]] + [
                    (f'{c["enrolled"]} ({_pct(c["share"])} %)' if c["open"] else
                     f'{_("fermée")} ({c["enrolled"]})') for c in k["cells"]])
            out.append((f["name"], head, rows))
        return out
    if key == "profiles":
        head = [_("Catégorie")] + [c["label"] for col in data["columns"] for c in
                                   ({"label": col["label"]}, {"label": "%"})]
        out = [(_("Effectif"), [""] + [c["label"] for c in data["columns"]],
                [[_("Personnes")] + [t["text"] for t in data["totals"]]])]
        for dim in data["dimensions"]:
            rows = [[r["label"]] + [v for cell in r["cells"] for v in (cell["text"], _pct(cell["percent"]))]
                    for r in dim["rows"]]
            rows.append([_("Réponses connues (base des pourcentages)")] + [v for cell in dim["known"]
                                                                          for v in (cell["text"], "")])
            out.append((dim["label"], head, rows))
        if data.get("by_year"):
            y = data["by_year"]
            rows = [[r["label"]] + [v for cell in r["cells"] for v in (cell["text"], _pct(cell["percent"]))]
                    for r in y["rows"]]
            rows.append([_("Réponses connues (base des pourcentages)")] + [v for c in y["known"] for v in (c["text"], "")])
            rows.append([_("Personnes écrouées ces années-là")] + [v for c in y["totals"] for v in (c["text"], "")])
            out.append((y["label"], [_("Zone d'origine")] + [v for c in y["columns"] for v in (c, "%")], rows))
        return out
    raise KeyError(key)


def _when(value):
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value else ""


def _register_sections(data):
    terror = {True: _("oui"), False: _("non")}
    head = [_("N° d'écrou"), _("Nom"), _("Sexe"), _("Naissance"), _("Statut juridique"),
            _("Affaire liée au terrorisme"), _("Situation"), _("Force ayant arrêté"), _("Unité / service"),
            _("Lieu de l'arrestation"), _("Date et heure de l'arrestation"), _("Privé de liberté depuis"),
            _("Gardes antérieures"), _("Écrou"), _("Autorité ayant ordonné la détention"), _("Motifs"),
            _("Unité")]

    def cells(p):
        chain = "; ".join(f'{c["kind"]} — {c["place"]} ({_when(c["started_at"])} → {_when(c["ended_at"]) or "…"})'
                          for c in p["prior_custody"])
        return [p["prisoner_number"], p["name"], p["sex"], p["birth"], p["legal_status_label"],
                terror[p["terrorism_related"]], p["status_label"], p["arresting_force"], p["arresting_unit"],
                p["arrest_place"], _when(p["arrested_at"]), _when(p["deprived_since"]), chain,
                _when(p["admitted_at"]), p["committing_authority"], p["grounds"], p["unit"]]

    return [(_("Personnes privées de liberté en fin de journée"), head, [cells(p) for p in data["people"]]),
            (_("Sorties du jour"), [*head, _("Sortie"), _("Motif de sortie")],
             [[*cells(p), _when(p["released_at"]), p["release_reason"]] for p in data["left"]])]


def _filename(key, scope, ext):
    day = scope.day.isoformat()
    where = scope.facility.code if scope.facility else ("national" if scope.national else "etablissements")
    return f"rapport-{key}-{where}-{day}.{ext}"


def _notes(key, data):
    notes = []
    if key == "profiles":
        notes.append(_("« < 5 » : moins de 5 personnes. « n.d. » : non diffusé, pour qu'une petite valeur ne "
                       "puisse pas être retrouvée par différence. Pourcentages de personnes (plusieurs réponses "
                       "possibles pour les groupes et les raisons)."))
        notes.extend(data.get("notes", []))
    if key == "roll":
        notes.append(_("Absences déduites des dossiers : audience fixée ce jour, placement en infirmerie, "
                       "transfert parti et non arrivé."))
    if key == "register":
        notes.append(data["note"])
    if key == "occupancy" and data.get("source") == "missing":
        notes.append(_("Aucun relevé quotidien n'a été enregistré pour ce jour."))
    return notes


def respond(key, title, data, scope, fmt, *, request=None) -> HttpResponse:
    tables = sections(key, data)
    subtitle = _("Au %(d)s") % {"d": scope.day.strftime("%d/%m/%Y")}
    if scope.facility:
        subtitle += " — " + scope.facility.name
    elif key in ("roll", "register"):
        subtitle += " — " + data["facility"]["name"]
    if fmt == "csv":
        rows = [[subtitle]] + [[n] for n in _notes(key, data)]
        for section_title, header, body in tables:
            rows += [[], [section_title], header, *body]
        return csv_response(_filename(key, scope, "csv"), [title], rows)
    if fmt == "xlsx":
        return _xlsx(key, title, subtitle, tables, data, scope)
    return _pdf(key, title, subtitle, tables, data, scope, request)


def build_file(key, title, data, scope, fmt) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the export, without a request (the background job)."""
    response = respond(key, title, data, scope, fmt)
    return response.content, response["Content-Type"], _filename(key, scope, fmt)


def _xlsx(key, title, subtitle, tables, data, scope):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title(title)
    sheet.append([safe_cell(title)])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([safe_cell(subtitle)])
    for note in _notes(key, data):
        sheet.append([safe_cell(note)])
    for section_title, header, body in tables:
        sheet.append([])
        sheet.append([safe_cell(section_title)])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
        sheet.append([safe_cell(h) for h in header])
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        for row in body:
            sheet.append([safe_cell(v) for v in row])
    sheet.column_dimensions["A"].width = 38
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{_filename(key, scope, "xlsx")}"'
    return response


def _pdf(key, title, subtitle, tables, data, scope, request):
    from weasyprint import HTML

    figures = [charts.svg(c) for c in charts.page_charts(key, data)]
    if key == "profiles":  # each dimension's chart beside its table
        blocks = [(tables[0], None)] + [(t, figures[i] if i < len(figures) else None)
                                        for i, t in enumerate(tables[1:])]
        figures = []
    else:
        blocks = [(t, None) for t in tables]
    html = render_to_string("oversight/report_pdf.html", {
        "title": title, "subtitle": subtitle, "blocks": blocks, "charts": figures, "notes": _notes(key, data),
        "printed_at": timezone.localtime(), "landscape": key != "roll",
    })
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/") if request else None).write_pdf(
        stylesheets=print_stylesheets("report"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(key, scope, "pdf")}"'
    return response
