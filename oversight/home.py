"""The home dashboard: first what is waiting for the signed-in user (oversight.queues), then a
facility's own figures for its staff, the national table for DNAPES.

Every figure is counted from the records (Facility.objects.with_occupancy()), never typed.
"""

from django.db.models import Prefetch
from django.shortcuts import render
from django.views.decorators.http import require_GET

from inmates.models import Custody, Placement
from oversight.queues import queues_for
from prisons.models import Facility
from prisons.views import add_rates, national_rows, occupancy_breakdown

RECENT_ADMISSIONS = 10


@require_GET
def home(request):
    user = request.user
    # Accounts from outside the prison service have their own home (issue 14).
    if user.is_monitor:
        from oversight.monitor_views import monitor_home

        return monitor_home(request)
    if user.is_magistrate:
        from casework.court_portal.views import home as court_home

        return court_home(request)
    facilities = Facility.objects.visible_to(user).with_occupancy().select_related("region").order_by("name")
    if user.visible_facility_ids() is None:
        operational, others, totals = national_rows(facilities)
        return render(request, "home.html", {
            "national": True, "facilities": operational, "others": others, "totals": totals,
            "queues": queues_for(user),
        })
    facilities = [add_rates(f) for f in facilities]
    breakdown = occupancy_breakdown([f.pk for f in facilities])
    for facility in facilities:
        facility.breakdown = breakdown[facility.pk]
    recent = []
    if facilities and user.has_perm("inmates.view_inmate"):
        recent = list(
            Custody.objects.visible_to(user).current().select_related("inmate", "facility")
            .prefetch_related(Prefetch("placements", queryset=Placement.objects.current().select_related("unit"),
                                       to_attr="current_placements"))
            .order_by("-admitted_at")[:RECENT_ADMISSIONS]
        )
    return render(request, "home.html", {"national": False, "facilities": facilities, "recent": recent,
                                         "queues": queues_for(user)})
