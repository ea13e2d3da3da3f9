"""Facility pages: the list with occupancy, and one facility's blocks and cells.

Every figure is counted from the records (Mandela Rule 10), through the reverse relations
`custodies` and `placements`, so this app imports nothing from `inmates`.
"""

from collections import defaultdict

from django.contrib.auth.decorators import permission_required
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from core.numbers import percentage

from .figures import LEGAL_STATUS_ORDER, legal_status_labels, published_totals
from .models import HELD_STATUSES, Facility, FacilityStatus, Unit, occupancy_text

# Legal statuses of people not yet tried (must agree with inmates.models.UNTRIED_STATUSES).
UNTRIED = ("suspect", "charged")


def add_rates(facility):
    """Congestion and untried share, from the `held` / `untried` annotations."""
    facility.congestion = Facility.congestion(facility.held, facility.official_capacity)
    facility.untried_rate = percentage(facility.untried, facility.held)
    facility.over_capacity = facility.held > facility.official_capacity
    return facility


def occupancy_breakdown(facility_ids):
    """Per facility id: people in intake, and terrorism-related people by legal status.

    One grouped query, whatever the number of people.
    """
    rows = (
        Facility.objects.filter(pk__in=facility_ids, custodies__status__in=HELD_STATUSES)
        .values("pk", "custodies__status", "custodies__legal_status", "custodies__terrorism_related")
        .annotate(n=Count("custodies"))
        .order_by()
    )
    result = {pk: {"intake": 0, "terrorism": dict.fromkeys(LEGAL_STATUS_ORDER, 0), "terrorism_total": 0}
              for pk in facility_ids}
    labels = legal_status_labels()
    for row in rows:
        stats = result[row["pk"]]
        if row["custodies__status"] == "intake":
            stats["intake"] += row["n"]
        if row["custodies__terrorism_related"]:
            stats["terrorism"][row["custodies__legal_status"]] += row["n"]
            stats["terrorism_total"] += row["n"]
    for stats in result.values():
        stats["terrorism_split"] = [(key, labels[key], stats["terrorism"][key]) for key in LEGAL_STATUS_ORDER]
    return result


def national_rows(facilities):
    """Split facilities into those in service and the others (destroyed, closed…), with the
    published totals (prisons.figures: the one definition of capacity, population and rate)."""
    operational, others = [], []
    for facility in facilities:
        add_rates(facility)
        (operational if facility.status == FacilityStatus.OPERATIONAL else others).append(facility)
    totals = published_totals({"status": f.status, "capacity": f.official_capacity, "held": f.held,
                               "untried": f.untried} for f in [*operational, *others])
    return operational, others, totals


@require_GET
@permission_required("prisons.view_facility", raise_exception=True)
def facility_list(request):
    facilities = (
        Facility.objects.visible_to(request.user).with_occupancy().select_related("region")
        .order_by("name")
    )
    operational, others, totals = national_rows(facilities)
    return render(request, "prisons/facility_list.html", {
        "facilities": operational, "others": others, "totals": totals,
    })


def _unit_tree(facility):
    """Top-level units (blocks, or stand-alone rooms), each with its cells and their counts."""
    current = Q(placements__ended_at__isnull=True)
    units = list(
        Unit.objects.filter(facility=facility).with_occupancy()
        .annotate(
            untried=Count("placements", filter=current & Q(placements__custody__legal_status__in=UNTRIED)),
            women=Count("placements", filter=current & Q(placements__custody__inmate__sex="F")),
        )
        .order_by("code")
    )
    children = defaultdict(list)
    for unit in units:
        unit.over = unit.occupants > unit.capacity
        # Mandela Rule 11: untried apart from convicted, women apart from men.
        unit.mixes_legal_status = 0 < unit.untried < unit.placed_here
        unit.mixes_sexes = 0 < unit.women < unit.placed_here
        if unit.parent_id:
            children[unit.parent_id].append(unit)
    by_id = {u.pk: u for u in units}
    blocks = [u for u in units if u.parent_id is None or u.parent_id not in by_id]
    for block in blocks:
        block.cells = children.get(block.pk, [])
        block.total_occupants = block.occupants  # its own placements and its cells
        block.total_capacity = sum(c.capacity for c in block.cells) if block.cells else block.capacity
        block.total_over = block.total_occupants > block.total_capacity
        block.occupancy_text = occupancy_text(block.total_occupants, block.total_capacity)
    return blocks


@require_GET
@permission_required("prisons.view_facility", raise_exception=True)
def facility_detail(request, pk):
    facility = get_object_or_404(
        Facility.objects.visible_to(request.user).with_occupancy().select_related("region"), pk=pk
    )
    add_rates(facility)
    breakdown = occupancy_breakdown([facility.pk])[facility.pk]
    return render(request, "prisons/facility_detail.html", {
        "facility": facility, "blocks": _unit_tree(facility), "breakdown": breakdown,
    })
