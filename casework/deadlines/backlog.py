"""The pre-trial backlog: aggregates for DNAPES (national) and directors (their prison).

Each figure is one grouped query over the whole scope (five in all, plus the short list of courts), so the report takes
the same number of queries for 100 or 1,000,000 detainees. Median and 90th percentile of
days untried come from a histogram by start day (a few thousand rows at most), which gives
the same nearest-rank values as PostgreSQL's `percentile_disc` on every database.
"""

import datetime
import math
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Q
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models import AlertKind, BacklogSnapshot, CaseDeadline, Court, DeadlineAlert
from core.numbers import percentage
from inmates.models import UNTRIED_STATUSES, Custody
from prisons.figures import (
    LEGAL_STATUS_ORDER,
    add_terrorism_totals,
    in_service,
    legal_status_labels,
    published_totals,
    terrorism_annotations,
    terrorism_by_status,
    terrorism_count_fields,
)
from prisons.models import HELD_STATUSES, Facility

# Time untried, in days (a month counted as 30.44 days): < 1, 1–6, 6–12, 12–24, 24–36, > 36 months.
BUCKETS = [
    ("lt1", _("< 1 mois"), 0, 30),
    ("1to6", _("1 à 6 mois"), 30, 183),
    ("6to12", _("6 à 12 mois"), 183, 365),
    ("12to24", _("12 à 24 mois"), 365, 730),
    ("24to36", _("24 à 36 mois"), 730, 1096),
    ("gt36", _("> 36 mois"), 1096, None),
]
COURT_LIST_LENGTH = 50


def nearest_rank(histogram: list[tuple[int, int]], fraction: float) -> int | None:
    """The nearest-rank percentile of values given as sorted (value, count) pairs."""
    total = sum(n for _, n in histogram)
    if not total:
        return None
    rank = max(1, math.ceil(fraction * total))
    running = 0
    for value, count in histogram:
        running += count
        if running >= rank:
            return value
    return histogram[-1][0]


def _scope(qs, facility_ids, field):
    return qs if facility_ids is None else qs.filter(**{f"{field}__in": facility_ids})


def _evaluate_in_thread(queryset):
    try:
        return list(queryset)
    finally:
        connection.close()  # this thread's own connection


def evaluate(queries: dict) -> dict:
    """Run independent aggregate queries, concurrently on PostgreSQL (each in its own
    connection: the report costs about its slowest query, not their sum). Inside a
    transaction (tests, a service) they run one after the other, to see its uncommitted rows."""
    parallel = (connection.vendor == "postgresql" and not connection.in_atomic_block
                and getattr(settings, "BACKLOG_PARALLEL_QUERIES", True))
    if not parallel:
        return {name: list(qs) for name, qs in queries.items()}
    with ThreadPoolExecutor(max_workers=len(queries)) as pool:
        futures = {name: pool.submit(_evaluate_in_thread, qs) for name, qs in queries.items()}
        return {name: future.result() for name, future in futures.items()}


def backlog(*, facility_ids=None, today: datetime.date | None = None) -> dict:
    """Every figure of the backlog report for these facilities (None: all of them)."""
    today = today or timezone.localdate()
    untried = Q(legal_status__in=UNTRIED_STATUSES)
    terror = Q(terrorism_related=True)
    queries = {
        "facility_list": _scope(Facility.objects.all(), facility_ids, "pk")
        .values("pk", "code", "name", "official_capacity", "status").order_by("name"),
        # One pass over the people held, grouped by prison (no join).
        "counts": _scope(Custody.objects.filter(status__in=HELD_STATUSES), facility_ids, "facility_id")
        .values("facility_id").annotate(held=Count("id"), untried=Count("id", filter=untried),
                                        terrorism=Count("id", filter=terror),
                                        terrorism_untried=Count("id", filter=terror & untried),
                                        **terrorism_annotations()).order_by(),
        # Days untried, from arrest (or admission when the arrest date is unknown).
        "starts": _scope(Custody.objects.filter(status__in=HELD_STATUSES, legal_status__in=UNTRIED_STATUSES),
                         facility_ids, "facility_id")
        .annotate(day=TruncDate(Coalesce("arrested_at", "admitted_at")))
        .values("day").annotate(n=Count("id")).order_by(),
        "alerts": _scope(DeadlineAlert.objects.open(), facility_ids, "custody__facility_id")
        .values_list("kind").annotate(n=Count("id")).order_by(),
        # Pre-trial detentions by court and judge: the sweep's scope (`active`, kept current by
        # the sweep and by every case change), so no join over every custody is needed.
        "by_judge": _scope(CaseDeadline.objects.filter(active=True), facility_ids, "case__custody__facility_id")
        .values("court_id", "investigating_judge")
        .annotate(untried=Count("case_id"), overdue=Count("case_id", filter=Q(deadline_on__lt=today)))
        .order_by(),
        "courts": Court.objects.values_list("pk", "name"),
    }
    results = evaluate(queries)
    counts = {row["facility_id"]: row for row in results["counts"]}
    zero = {"held": 0, "untried": 0, "terrorism": 0, "terrorism_untried": 0, **dict.fromkeys(terrorism_count_fields(), 0)}
    facilities = [{**f, **{k: counts.get(f["pk"], zero)[k] for k in zero}} for f in results["facility_list"]]
    labels = legal_status_labels()
    all_rows = []
    for f in facilities:
        all_rows.append({
            "id": f["pk"], "code": f["code"], "name": f["name"], "status": f["status"],
            "capacity": f["official_capacity"],
            "held": f["held"], "congestion": percentage(f["held"], f["official_capacity"]),
            "untried": f["untried"], "untried_share": percentage(f["untried"], f["held"]),
            "terrorism": f["terrorism"], "terrorism_untried": f["terrorism_untried"],
            "terrorism_untried_share": percentage(f["terrorism_untried"], f["terrorism"]),
            **{k: f[k] for k in terrorism_count_fields()}, "terrorism_by_status": terrorism_by_status(f, labels),
        })
    # Capacity, population and rate by the one published definition (prisons.figures): the
    # prisons out of service are never in the capacity; they and their people are listed apart.
    rows = [r for r in all_rows if in_service(r)]
    others = [r for r in all_rows if not in_service(r)]
    totals = add_terrorism_totals(published_totals(all_rows), all_rows)
    totals["terrorism_untried"] = sum(r["terrorism_untried"] for r in rows)
    totals["terrorism_untried_share"] = percentage(totals["terrorism_untried"], totals["terrorism"])

    histogram = sorted(((today - row["day"]).days, row["n"]) for row in results["starts"])
    buckets = {key: 0 for key, *_ in BUCKETS}
    for days, n in histogram:
        for key, _label, low, high in BUCKETS:
            if days >= low and (high is None or days < high):
                buckets[key] += n
                break

    alerts = dict(results["alerts"])
    by_judge = results["by_judge"]
    court_names = dict(results["courts"])
    by_judge = [{"court_id": r["court_id"], "court__name": court_names.get(r["court_id"], "—"),
                 "investigating_judge": r["investigating_judge"], "untried": r["untried"],
                 "overdue": r["overdue"]} for r in by_judge]
    courts = defaultdict(lambda: {"untried": 0, "overdue": 0})
    for row in by_judge:
        court = courts[(row["court_id"], row["court__name"])]
        court["untried"] += row["untried"]
        court["overdue"] += row["overdue"]
    by_court = sorted(({"court_id": cid, "court": name, **v} for (cid, name), v in courts.items()),
                      key=lambda r: (-r["overdue"], -r["untried"], r["court"]))
    judges = sorted(({"court_id": r["court_id"], "court": r["court__name"],
                      "judge": r["investigating_judge"] or "", "untried": r["untried"], "overdue": r["overdue"]}
                     for r in by_judge), key=lambda r: (-r["overdue"], -r["untried"], r["court"], r["judge"]))

    return {
        "day": today,
        "facilities": rows,
        "other_facilities": others,
        "totals": totals,
        "buckets": [{"key": key, "label": str(label), "count": buckets[key]} for key, label, *_ in BUCKETS],
        "median_days_untried": nearest_rank(histogram, 0.5),
        "p90_days_untried": nearest_rank(histogram, 0.9),
        "alerts": [{"kind": k, "label": str(label), "count": alerts.get(k, 0)} for k, label in AlertKind.choices],
        "by_court": by_court[:COURT_LIST_LENGTH],
        "by_judge": judges[:COURT_LIST_LENGTH],
    }


def snapshot_figures(report: dict) -> dict:
    """The part of a report kept each day for the trend."""
    return {
        **report["totals"],
        "median_days_untried": report["median_days_untried"],
        "p90_days_untried": report["p90_days_untried"],
        "buckets": {b["key"]: b["count"] for b in report["buckets"]},
        "alerts": {a["kind"]: a["count"] for a in report["alerts"]},
    }


@transaction.atomic
def write_snapshots(today: datetime.date | None = None) -> int:
    """The day's snapshot, nationally and per prison (written again if the job re-runs that day)."""
    today = today or timezone.localdate()
    national = backlog(today=today)
    BacklogSnapshot.objects.update_or_create(day=today, facility=None,
                                             defaults={"figures": snapshot_figures(national)})
    written = 1
    for row in [*national["facilities"], *national["other_facilities"]]:
        if not row["held"]:
            continue
        report = backlog(facility_ids=[row["id"]], today=today)
        BacklogSnapshot.objects.update_or_create(day=today, facility_id=row["id"],
                                                 defaults={"figures": snapshot_figures(report)})
        written += 1
    return written


def trend(*, facility_id=None, days=90, today=None) -> list[dict]:
    """Daily snapshots of the last `days` days for the scope (the nation when no facility)."""
    today = today or timezone.localdate()
    qs = BacklogSnapshot.objects.filter(day__gt=today - datetime.timedelta(days=days))
    qs = qs.filter(facility_id=facility_id) if facility_id else qs.filter(facility__isnull=True)
    return [
        {"day": s.day.isoformat(), "held": s.figures.get("held", 0), "untried": s.figures.get("untried", 0),
         "overdue": s.figures.get("alerts", {}).get(AlertKind.OVERDUE, 0)}
        for s in qs.order_by("day")
    ]


# --- exports ----------------------------------------------------------------------------------

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Neutralise spreadsheet formula injection: text starting with = + - @ gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _terrorism_head():
    labels = legal_status_labels()
    return [str(_("Terrorisme : %(status)s") % {"status": labels[s]}) for s in LEGAL_STATUS_ORDER]


def _terrorism_cells(row):
    return [s["count"] for s in row["terrorism_by_status"]]


def export_sections(report: dict) -> list[tuple[str, list[str], list[list]]]:
    """The report as titled tables (title, header, rows), shared by the CSV, XLSX and PDF exports."""
    t = report["totals"]
    head = [str(_("Code")), str(_("Établissement")), str(_("Capacité")), str(_("Détenus")),
            str(_("Taux d'occupation %")), str(_("Non jugés")), str(_("Part non jugés %")),
            str(_("Affaires liées au terrorisme")), *_terrorism_head(), str(_("dont non jugés")),
            str(_("Part non jugés (terrorisme) %"))]

    def row(f):
        return [f["code"], f["name"], f["capacity"], f["held"], f["congestion"], f["untried"], f["untried_share"],
                f["terrorism"], *_terrorism_cells(f), f["terrorism_untried"], f["terrorism_untried_share"]]

    sections = [
        (str(_("Établissements")), head,
         [row(f) for f in report["facilities"]]
         + [["", str(_("Total")), t["capacity"], t["held"], t["congestion"], t["untried"], t["untried_share"],
             t["terrorism"], *_terrorism_cells(t), t["terrorism_untried"], t["terrorism_untried_share"]]]),
        (str(_("Hors service (hors total)")), head,
         [row(f) for f in report.get("other_facilities", [])]),
        (str(_("Durée de détention sans jugement")), [str(_("Tranche")), str(_("Détenus"))],
         [[b["label"], b["count"]] for b in report["buckets"]]
         + [[str(_("Médiane (jours)")), report["median_days_untried"]],
            [str(_("90e centile (jours)")), report["p90_days_untried"]]]),
        (str(_("Alertes ouvertes")), [str(_("Type")), str(_("Nombre"))],
         [[a["label"], a["count"]] for a in report["alerts"]]),
        (str(_("Par juridiction")), [str(_("Juridiction")), str(_("Non jugés")), str(_("Délai dépassé"))],
         [[c["court"], c["untried"], c["overdue"]] for c in report["by_court"]]),
        (str(_("Par juge d'instruction")),
         [str(_("Juridiction")), str(_("Juge d'instruction")), str(_("Non jugés")), str(_("Délai dépassé"))],
         [[j["court"], j["judge"], j["untried"], j["overdue"]] for j in report["by_judge"]]),
    ]
    return [(title, header, [[safe_cell(v) for v in row] for row in rows]) for title, header, rows in sections]
