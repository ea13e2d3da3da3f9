"""The published occupancy figures: one definition for every page, API and export.

Mandela Rule 10: counted from the records, never typed in. The definition, everywhere:

- capacity: the official capacity of the prisons *in service* in the scope;
- population: the people held (in intake or held) in those prisons;
- occupancy rate: population ÷ capacity, as a percentage with one decimal.

Prisons destroyed, closed or being rebuilt are never in the capacity nor in the rate: they,
and anyone still recorded in them, are counted apart (`apart`), so that nobody is out of
sight and no page divides by places that do not exist. The home page, the occupancy report
and the backlog report (page, API, exports) all take their totals from `published_totals`.
"""

from django.db.models import Count, Q

from core.numbers import percentage

from .models import Facility, FacilityStatus


def in_service(row) -> bool:
    return row["status"] == FacilityStatus.OPERATIONAL


def published_totals(rows) -> dict:
    """Totals of facility rows (dicts with status, capacity, held, untried), by the one definition.

    `apart` counts the prisons out of service and the people still recorded in them.
    """
    rows = list(rows)
    serving = [r for r in rows if in_service(r)]
    others = [r for r in rows if not in_service(r)]
    held = sum(r["held"] for r in serving)
    capacity = sum(r["capacity"] for r in serving)
    untried = sum(r["untried"] for r in serving)
    return {
        "held": held, "capacity": capacity, "congestion": Facility.congestion(held, capacity),
        "untried": untried, "untried_share": percentage(untried, held), "facilities": len(serving),
        "apart": {"facilities": len(others), "held": sum(r["held"] for r in others),
                  "untried": sum(r["untried"] for r in others)},
    }


def facility_rows(facility_ids=None) -> list[dict]:
    """Status, capacity, held and untried of each facility in the scope (one grouped query)."""
    qs = Facility.objects.all() if facility_ids is None else Facility.objects.filter(pk__in=facility_ids)
    return [{"id": r["pk"], "status": r["status"], "capacity": r["official_capacity"], "held": r["held"],
             "untried": r["untried"]}
            for r in qs.with_occupancy().values("pk", "status", "official_capacity", "held", "untried").order_by()]


def published_figures(facility_ids=None) -> dict:
    """Capacity, population and occupancy rate of the scope (None: the whole country)."""
    return published_totals(facility_rows(facility_ids))


# --- terrorism-related people, always by legal status (presumption of innocence) -----------

# The four legal statuses, in the order every page shows them (DESIGN.md §5: never a bare flag).
LEGAL_STATUS_ORDER = ("suspect", "charged", "appeal", "convicted")


def legal_status_labels() -> dict:
    """Labels of the custody's legal statuses, read through the reverse relation (no import)."""
    custody_model = Facility._meta.get_field("custodies").related_model
    return {key: str(label) for key, label in custody_model._meta.get_field("legal_status").flatchoices}


def terrorism_count_fields(path="") -> dict:
    """`terrorism_<status>` → the filter of a grouped Count, one per legal status; `path` leads
    from the counted model to the custody (e.g. "placements__custody__")."""
    return {f"terrorism_{s}": Q(**{f"{path}terrorism_related": True, f"{path}legal_status": s})
            for s in LEGAL_STATUS_ORDER}


def terrorism_annotations(counted="id", path="", within=None) -> dict:
    """Count() annotations `terrorism_<status>` of `counted`, restricted by `within` (a Q)."""
    return {key: Count(counted, filter=q if within is None else within & q)
            for key, q in terrorism_count_fields(path).items()}


def terrorism_by_status(row, labels=None) -> list[dict]:
    """[{status, label, count}] from a row holding `terrorism_<status>` counts, in the shown order."""
    labels = labels or legal_status_labels()
    if not isinstance(row, dict):  # a model instance annotated with terrorism_annotations()
        row = vars(row)
    return [{"status": s, "label": labels[s], "count": row.get(f"terrorism_{s}", 0)} for s in LEGAL_STATUS_ORDER]


def add_terrorism_totals(totals, rows) -> dict:
    """Sum the terrorism counts of the rows (in service) into `totals`, with their split."""
    serving = [r for r in rows if in_service(r)]
    for s in LEGAL_STATUS_ORDER:
        totals[f"terrorism_{s}"] = sum(r.get(f"terrorism_{s}", 0) for r in serving)
    totals["terrorism"] = sum(r.get("terrorism", 0) for r in serving)
    totals["terrorism_by_status"] = terrorism_by_status(totals)
    return totals
