"""Pages of the discipline and isolation registers (per prison), scoped and audited."""

from django.contrib.auth.decorators import permission_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.reads import record_rows
from detention import discipline_reads
from detention.models import DisciplinaryCharge, DisciplineLimit, IsolationPlacement, Sanction
from inmates.views import facility_or_404


@require_GET
@permission_required("detention.view_disciplinarycharge", raise_exception=True)
def discipline_list(request, pk):
    facility = facility_or_404(request, pk)
    charges = (DisciplinaryCharge.objects.visible_to(request.user).filter(incident__facility=facility)
               .select_related("custody__inmate", "custody__facility", "incident", "sanction", "decided_by"))
    record_rows(request.user, kind=_("registre disciplinaire"), query=request.GET, queryset=charges,
                target=facility, facility_id=facility.pk)
    return render(request, "detention/discipline_list.html", {
        "facility": facility, "charges": charges[:200],
        "sanctions": Sanction.objects.filter(facility=facility), "limits": DisciplineLimit.objects.all(),
    })


@require_GET
@permission_required("detention.view_disciplinarycharge", raise_exception=True)
def discipline_detail(request, pk):
    charge = discipline_reads.open_disciplinary_charge(pk, actor=request.user)
    return render(request, "detention/discipline_detail.html", {"charge": charge, "custody": charge.custody})


@require_GET
@permission_required("detention.view_isolationplacement", raise_exception=True)
def isolation_list(request, pk):
    facility = facility_or_404(request, pk)
    rows = discipline_reads.isolation_rows(facility)
    record_rows(request.user, kind=_("registre de l'isolement"), query=request.GET,
                queryset=IsolationPlacement.objects.open().filter(facility=facility), target=facility,
                facility_id=facility.pk)
    return render(request, "detention/isolation_list.html", {
        "facility": facility, "rows": rows, "today": timezone.localdate(),
        "reconciliation": discipline_reads.isolation_reconciliation(facility),
        "limits": DisciplineLimit.objects.all(),
    })
