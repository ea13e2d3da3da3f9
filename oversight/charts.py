"""Chart descriptions shared by the page (drawn by Chart.js from json_script) and the PDF
(drawn here as inline SVG, so that it prints sharp and needs no script).

A chart is a dict: id, title, kind ("bar" or "line"), labels, series [{label, data}], unit.
Hidden values (small counts in the profiles) are None: a gap, never a number.
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

COLOURS = ["#14532d", "#b45309", "#0b5394", "#7c3aed", "#b91c1c", "#0f766e"]


def _chart(chart_id, title, labels, series, *, kind="bar", unit=""):
    return {"id": chart_id, "title": str(title), "kind": kind, "labels": [str(x) for x in labels],
            "series": [{"label": str(s["label"]), "data": list(s["data"])} for s in series], "unit": unit,
            "hidden_label": _("masqué")}


def page_charts(key, data) -> list[dict]:
    if key == "occupancy":
        rows = data["facilities"]
        charts = [_chart("chart-congestion", _("Taux d'occupation (%)"), [r["code"] for r in rows],
                         [{"label": _("Taux d'occupation (%)"), "data": [r["congestion"] for r in rows]}],
                         unit="%")]
        if data["trend"]:
            charts.append(_chart(
                "chart-trend", _("Évolution : détenus et capacité"), [t["day"] for t in data["trend"]],
                [{"label": _("Détenus"), "data": [t["held"] for t in data["trend"]]},
                 {"label": _("Capacité officielle"), "data": [t["capacity"] for t in data["trend"]]},
                 {"label": _("Non jugés"), "data": [t["untried"] for t in data["trend"]]}], kind="line"))
        return charts
    if key == "roll":
        units = data["units"]
        return [_chart("chart-roll", _("Présents par unité, et capacité"), [u["code"] for u in units],
                       [{"label": _("Présents"), "data": [u["count"] for u in units]},
                        {"label": _("Capacité"), "data": [u["capacity"] for u in units]}])]
    if key == "separation":
        summary = data["summary"]
        return [_chart("chart-separation", _("Unités mélangeant des catégories"), [s["label"] for s in summary],
                       [{"label": _("Unités"), "data": [s["units"] for s in summary]}])]
    if key == "activities":
        totals = data["totals"]
        return [_chart("chart-activities", _("Inscrits à au moins une activité (%)"), [t["label"] for t in totals],
                       [{"label": _("Part inscrite (%)"), "data": [t["share_any"] for t in totals]}], unit="%")]
    if key == "profiles":
        if not data["columns"]:
            return []
        column = len(data["columns"]) - 1  # the national column, or the only prison shown
        charts = []
        for dim in data["dimensions"]:
            charts.append(_chart(
                f"chart-{dim['key']}", dim["label"], [r["label"] for r in dim["rows"]],
                [{"label": data["columns"][column]["label"] + " (%)",
                  "data": [r["cells"][column]["percent"] for r in dim["rows"]]}], unit="%"))
        return charts
    return []


def svg(chart, width=560) -> str:
    """The chart as inline SVG (horizontal bars, or lines), for the PDF."""
    if chart["kind"] == "line":
        return _svg_lines(chart, width)
    return _svg_bars(chart, width)


def _svg_bars(chart, width):
    labels, series = chart["labels"], chart["series"]
    bar_h, gap, label_w = 11, 6, 230
    plot_w = width - label_w - 60
    values = [v for s in series for v in s["data"] if v is not None]
    top = max(values + [1])
    row_h = bar_h * len(series) + gap
    height = 24 + row_h * len(labels) + 20
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="DejaVu Sans, sans-serif" font-size="9">',
           f'<text x="0" y="12" font-size="11" font-weight="bold">{escape(chart["title"])}</text>']
    for i, label in enumerate(labels):
        y = 24 + i * row_h
        short = label if len(label) <= 42 else label[:41] + "…"
        out.append(f'<text x="{label_w - 4}" y="{y + bar_h - 2}" text-anchor="end">{escape(short)}</text>')
        for j, s in enumerate(series):
            value = s["data"][i]
            yy = y + j * bar_h
            if value is None:
                out.append(f'<text x="{label_w + 2}" y="{yy + bar_h - 2}" fill="#555">{escape(_("masqué"))}</text>')
                continue
            w = max(plot_w * value / top, 0.5)
            out.append(f'<rect x="{label_w}" y="{yy}" width="{w:.1f}" height="{bar_h - 1}" '
                       f'fill="{COLOURS[j % len(COLOURS)]}"/>')
            out.append(f'<text x="{label_w + w + 3:.1f}" y="{yy + bar_h - 2}">{value}{chart["unit"]}</text>')
    if len(series) > 1:
        y = height - 6
        for j, s in enumerate(series):
            x = label_w + j * 120
            out.append(f'<rect x="{x}" y="{y - 8}" width="9" height="9" fill="{COLOURS[j % len(COLOURS)]}"/>')
            out.append(f'<text x="{x + 12}" y="{y}">{escape(s["label"])}</text>')
    out.append("</svg>")
    return mark_safe("".join(out))


def _svg_lines(chart, width):
    labels, series = chart["labels"], chart["series"]
    height, left, bottom = 200, 40, 30
    plot_w, plot_h = width - left - 10, height - bottom - 30
    values = [v for s in series for v in s["data"] if v is not None]
    top = max(values + [1])
    n = max(len(labels) - 1, 1)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="DejaVu Sans, sans-serif" font-size="9">',
           f'<text x="0" y="12" font-size="11" font-weight="bold">{escape(chart["title"])}</text>',
           f'<line x1="{left}" y1="{20 + plot_h}" x2="{left + plot_w}" y2="{20 + plot_h}" stroke="#999"/>',
           f'<text x="{left - 4}" y="24" text-anchor="end">{top}</text>',
           f'<text x="{left - 4}" y="{20 + plot_h}" text-anchor="end">0</text>']
    if labels:
        out.append(f'<text x="{left}" y="{height - bottom + 12}">{escape(labels[0])}</text>')
        out.append(f'<text x="{left + plot_w}" y="{height - bottom + 12}" text-anchor="end">{escape(labels[-1])}</text>')
    for j, s in enumerate(series):
        points = " ".join(f"{left + plot_w * i / n:.1f},{20 + plot_h - plot_h * v / top:.1f}"
                          for i, v in enumerate(s["data"]) if v is not None)
        colour = COLOURS[j % len(COLOURS)]
        out.append(f'<polyline fill="none" stroke="{colour}" stroke-width="1.5" points="{points}"/>')
        for point in points.split():
            x_pt, y_pt = point.split(",")
            out.append(f'<circle cx="{x_pt}" cy="{y_pt}" r="1.8" fill="{colour}"/>')
        x = left + j * 120
        out.append(f'<rect x="{x}" y="{height - 12}" width="9" height="9" fill="{colour}"/>')
        out.append(f'<text x="{x + 12}" y="{height - 4}">{escape(s["label"])}</text>')
    out.append("</svg>")
    return mark_safe("".join(out))
