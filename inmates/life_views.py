"""Staff pages of custody life: transfers, cell moves, releases, classification, separation,
cell leaders, visits, complaints, activities and family notifications.

Each page is scoped by `.visible_to(user)` (another prison's record: 404); each form view
validates with a form, calls one service and turns its ValidationError into form errors.
Aggregate pages (separation, access to activities) count in the database, in a constant
number of queries whatever the number of units or people.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.reads import record_rows
from prisons.figures import legal_status_labels, terrorism_annotations, terrorism_by_status
from prisons.models import Facility, Unit

from . import reads, services
from .forms import add_service_errors
from .life_forms import (
    ActivityForm,
    AnswerForm,
    CellLeaderForm,
    CellMoveForm,
    ClassificationForm,
    ComplaintForm,
    EnrolForm,
    FamilyNotificationForm,
    ReasonForm,
    ReferralForm,
    ReleaseForm,
    ToldForm,
    TransferArriveForm,
    TransferDepartForm,
    TransferRequestForm,
    VisitForm,
    VisitingDaysForm,
)
from .models import (
    UNTRIED_STATUSES,
    Activity,
    CellLeader,
    Classification,
    Complaint,
    Custody,
    Enrolment,
    FacilityVisitingRule,
    FamilyNotification,
    Release,
    Transfer,
    TransferStatus,
    Visit,
    Weekday,
)

PAGE_SIZE = 50


# --- helpers -----------------------------------------------------------------------------


def _facility(request, pk):
    return get_object_or_404(Facility.objects.visible_to(request.user), pk=pk)


def _custody(request, pk):
    return get_object_or_404(Custody.objects.visible_to(request.user).select_related("inmate", "facility"), pk=pk)


def _current_placement(custody):
    return custody.placements.filter(ended_at__isnull=True).select_related("unit").first()


def _life_url(custody):
    return reverse("life:custody_life", args=[custody.pk])


def _form_page(request, *, title, form, custody=None, facility=None, cancel_url, submit=None, intro="",
               warnings=(), extra=None):
    context = {"title": title, "form": form, "custody": custody, "inmate": custody.inmate if custody else None,
               "facility": facility or (custody.facility if custody else None), "cancel_url": cancel_url,
               "submit": submit or _("Enregistrer"), "intro": intro, "warnings": list(warnings)}
    context.update(extra or {})
    return render(request, "inmates/life/form.html", context)


def _service(form, call):
    """Run a service call; on ValidationError put its messages on the form and return None."""
    try:
        return call()
    except ValidationError as error:
        add_service_errors(form, error)
        return None


# --- hub pages ---------------------------------------------------------------------------


@require_GET
@permission_required("inmates.view_transfer", raise_exception=True)
def index(request):
    """The prisons the user serves, with what waits: arrivals coming, overdue reviews, complaints."""
    facilities = Facility.objects.visible_to(request.user).operational().order_by("name")
    open_in = dict(Transfer.objects.open().values_list("to_facility").annotate(n=Count("id")))
    open_out = dict(Transfer.objects.open().values_list("from_facility").annotate(n=Count("id")))
    overdue = dict(Classification.objects.review_overdue().values_list("custody__facility")
                   .annotate(n=Count("id")))
    rows = [{"facility": f, "incoming": open_in.get(f.pk, 0), "outgoing": open_out.get(f.pk, 0),
             "overdue_reviews": overdue.get(f.pk, 0)} for f in facilities]
    return render(request, "inmates/life/index.html", {"rows": rows})


@require_GET
@permission_required("inmates.view_transfer", raise_exception=True)
def custody_life(request, pk):
    """One person's custody life: place, transfers, classification, visits, complaints, activities."""
    # Reading someone's custody life is reading their file: audited like the file itself.
    custody = reads.open_custody(pk, actor=request.user, permission="inmates.view_transfer")
    return render(request, "inmates/life/custody_life.html", {
        "custody": custody, "inmate": custody.inmate, "placement": _current_placement(custody),
        "placements": custody.placements.select_related("unit", "created_by")[:20],
        "transfers": custody.transfers.select_related("from_facility", "to_facility"),
        "in_transit": services.in_transit(custody),
        "classifications": custody.classifications.select_related("assessed_by"),
        "visits": custody.visits.select_related("visitor")[:20],
        "complaints": Complaint.objects.visible_to(request.user).filter(custody=custody),
        "enrolments": custody.enrolments.select_related("activity"),
        "notifications": custody.family_notifications.select_related("told_by", "relative"),
        "release": Release.objects.filter(custody=custody).first(),
        "leaderships": custody.cell_leaderships.select_related("unit"),
        "today": timezone.localdate(),
    })


# --- transfers ---------------------------------------------------------------------------


def _transfers():
    return Transfer.objects.select_related("custody__inmate", "custody__facility", "from_facility", "to_facility",
                                           "requested_by")


@require_GET
@permission_required("inmates.view_transfer", raise_exception=True)
def transfer_list(request, pk):
    """Outgoing and incoming transfers of a prison: the receiving prison sees the arrival coming."""
    facility = _facility(request, pk)
    show_closed = request.GET.get("tous") == "1"
    base = _transfers() if show_closed else _transfers().open()
    incoming, outgoing = base.incoming(facility), base.outgoing(facility)
    record_rows(request.user, kind=_("transferts d'un établissement"), query=request.GET,
                queryset=incoming | outgoing, target=facility, facility_id=facility.pk)
    return render(request, "inmates/life/transfer_list.html", {
        "facility": facility, "show_closed": show_closed,
        "incoming": incoming[:200], "outgoing": outgoing[:200],
    })


@require_http_methods(["GET", "POST"])
@permission_required("inmates.add_transfer", raise_exception=True)
def transfer_request(request, pk):
    custody = _custody(request, pk)
    form = TransferRequestForm(request.POST or None, custody=custody)
    if request.method == "POST" and form.is_valid():
        transfer = _service(form, lambda: services.request_transfer(custody, actor=request.user, **form.cleaned_data))
        if transfer:
            messages.success(request, _("Le transfert est demandé ; il attend l'approbation de la direction."))
            return redirect("life:transfer_detail", transfer.pk)
    return _form_page(request, title=_("Demander un transfert"), form=form, custody=custody,
                      cancel_url=_life_url(custody),
                      intro=_("La personne reste inscrite ici jusqu'à ce que l'établissement d'accueil "
                              "enregistre son arrivée."))


@require_GET
@permission_required("inmates.view_transfer", raise_exception=True)
def transfer_detail(request, pk):
    reads.open_transfer(pk, actor=request.user)
    transfer = get_object_or_404(_transfers().visible_to(request.user).select_related(
        "approved_by", "departed_by", "arrived_by", "cancelled_by", "arrival_unit"), pk=pk)
    return _transfer_page(request, transfer)


def _transfer_page(request, transfer, *, forms=None, warnings=()):
    ids = request.user.visible_facility_ids()
    sending = ids is None or transfer.from_facility_id in ids
    receiving = ids is None or transfer.to_facility_id in ids
    forms = forms or {}
    if transfer.status == TransferStatus.APPROVED:
        forms.setdefault("depart", TransferDepartForm(initial={
            "escort": transfer.escort, "property_seal_number": transfer.property_seal_number,
            "property_notes": transfer.property_notes}))
    if transfer.status == TransferStatus.DEPARTED:
        forms.setdefault("arrive", TransferArriveForm(transfer=transfer))
    if transfer.is_open and not transfer.in_transit:
        forms.setdefault("cancel", ReasonForm())
    steps = [
        (_("Demande"), transfer.requested_at, transfer.requested_by),
        (_("Approbation"), transfer.approved_at, transfer.approved_by),
        (_("Départ"), transfer.departed_at, transfer.departed_by),
        (_("Arrivée"), transfer.arrived_at, transfer.arrived_by),
    ]
    # The inventory taken at intake (Rule 67) travels with the custody: shown through the
    # reverse relation, without importing intake.
    registry = getattr(getattr(transfer.custody, "intake", None), "registry", None) \
        if hasattr(transfer.custody, "intake") else None
    return render(request, "inmates/life/transfer_detail.html", {
        "transfer": transfer, "custody": transfer.custody, "steps": steps, "forms": forms,
        "sending": sending, "receiving": receiving, "warnings": list(warnings), "registry": registry,
    }, status=400 if any(f.errors for f in forms.values()) else 200)


def _transfer_for_step(request, pk):
    return get_object_or_404(_transfers().visible_to(request.user), pk=pk)


@require_POST
@permission_required("inmates.approve_transfer", raise_exception=True)
def transfer_approve(request, pk):
    transfer = _transfer_for_step(request, pk)
    try:
        services.approve_transfer(transfer, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Transfert approuvé."))
    return redirect("life:transfer_detail", transfer.pk)


@require_POST
@permission_required("inmates.change_transfer", raise_exception=True)
def transfer_depart(request, pk):
    transfer = _transfer_for_step(request, pk)
    form = TransferDepartForm(request.POST)
    if form.is_valid() and _service(form, lambda: services.depart_transfer(transfer, actor=request.user,
                                                                          **form.cleaned_data)):
        messages.success(request, _("Départ enregistré : la personne est en route."))
        return redirect("life:transfer_detail", transfer.pk)
    return _transfer_page(request, transfer, forms={"depart": form})


@require_POST
@permission_required("inmates.change_transfer", raise_exception=True)
def transfer_arrive(request, pk):
    transfer = _transfer_for_step(request, pk)
    form = TransferArriveForm(request.POST, transfer=transfer)
    warnings = []
    if form.is_valid():
        data = form.cleaned_data
        custody = transfer.custody
        if not data["override_reason"].strip():
            # The warnings are computed as if the person already belonged to the receiving prison.
            warnings = services.placement_warnings(custody, data["unit"])
        if warnings:
            form.add_error("override_reason", _("Indiquez le motif pour confirmer ce placement."))
        elif _service(form, lambda: services.arrive_transfer(transfer, actor=request.user, **data)):
            messages.success(request, _("Arrivée enregistrée : la personne est inscrite dans cet établissement."))
            return redirect("life:transfer_detail", transfer.pk)
    return _transfer_page(request, transfer, forms={"arrive": form}, warnings=warnings)


@require_POST
@permission_required("inmates.change_transfer", raise_exception=True)
def transfer_cancel(request, pk):
    transfer = _transfer_for_step(request, pk)
    form = ReasonForm(request.POST)
    if form.is_valid() and _service(form, lambda: services.cancel_transfer(transfer, actor=request.user,
                                                                          reason=form.cleaned_data["reason"])):
        messages.success(request, _("Transfert annulé."))
        return redirect("life:transfer_detail", transfer.pk)
    return _transfer_page(request, transfer, forms={"cancel": form})


# --- cell moves --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@permission_required("inmates.add_placement", raise_exception=True)
def cell_move(request, pk):
    """Move to another cell: warnings (full unit, Rule 11 mixes) shown, a reason always recorded."""
    custody = _custody(request, pk)
    current = _current_placement(custody)
    form = CellMoveForm(request.POST or None, custody=custody, current_unit_id=current.unit_id if current else None)
    warnings = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        warnings = services.placement_warnings(custody, data["unit"])
        if warnings and not data["override_reason"].strip():
            form.add_error("override_reason", _("Indiquez le motif pour confirmer ce placement."))
        elif _service(form, lambda: services.move_to_unit(custody, actor=request.user, **data)):
            messages.success(request, _("Le déplacement a été enregistré."))
            return redirect(_life_url(custody))
    intro = (_("Cellule actuelle : %(unit)s.") % {"unit": current.unit} if current
             else _("Aucun placement en cours."))
    return _form_page(request, title=_("Changer de cellule"), form=form, custody=custody, warnings=warnings,
                      cancel_url=_life_url(custody), intro=intro,
                      submit=_("Confirmer le déplacement") if warnings else None)


# --- releases ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@permission_required("inmates.add_release", raise_exception=True)
def release_form(request, pk):
    custody = _custody(request, pk)
    form = ReleaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        record = _service(form, lambda: services.release(custody, actor=request.user, **form.cleaned_data))
        if record:
            messages.success(request, _("La sortie est enregistrée. Imprimez le reçu et l'extrait du dossier."))
            return redirect("life:release_receipt", record.pk)
    return _form_page(request, title=_("Enregistrer une sortie"), form=form, custody=custody,
                      cancel_url=_life_url(custody),
                      intro=_("Les effets se restituent contre un reçu signé (Règle 67) ; la personne reçoit un "
                              "extrait de son dossier (Règle 9)."))


@require_GET
@permission_required("inmates.view_release", raise_exception=True)
def release_receipt(request, pk):
    """Printable: the release receipt (property returned) and the file extract handed over."""
    record = reads.open_release(pk, actor=request.user, export=True)
    custody = record.custody
    return render(request, "inmates/life/release_receipt.html", {
        "release": record, "custody": custody, "inmate": custody.inmate,
        "placements": custody.placements.select_related("unit").order_by("started_at"),
        "transfers": custody.transfers.filter(status=TransferStatus.ARRIVED).select_related(
            "from_facility", "to_facility").order_by("arrived_at"),
        "prior_custodies": custody.prior_custodies.all(),
        "registry": getattr(getattr(custody, "intake", None), "registry", None) if hasattr(custody, "intake")
        else None,
    })


# --- classification ----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@permission_required("inmates.add_classification", raise_exception=True)
def classification_form(request, pk):
    custody = _custody(request, pk)
    form = ClassificationForm(request.POST or None, initial={
        "next_review_on": timezone.localdate() + datetime.timedelta(days=180)})
    if request.method == "POST" and form.is_valid():
        if _service(form, lambda: services.classify(custody, actor=request.user, **form.cleaned_data)):
            messages.success(request, _("L'évaluation est enregistrée."))
            return redirect(_life_url(custody))
    return _form_page(request, title=_("Évaluation individuelle du risque"), form=form, custody=custody,
                      cancel_url=_life_url(custody),
                      intro=_("Une évaluation de la personne, motivée : le statut juridique ou l'affaire ne "
                              "décident jamais seuls du niveau de risque."))


@require_GET
@permission_required("inmates.view_classification", raise_exception=True)
def classification_list(request, pk):
    """Classifications in force in a prison, overdue reviews first."""
    facility = _facility(request, pk)
    today = timezone.localdate()
    current = (Classification.objects.in_force().filter(custody__facility=facility, custody__status__in=("intake", "held"))
               .select_related("custody__inmate", "custody__facility", "assessed_by").order_by("next_review_on"))
    overdue_only = request.GET.get("en_retard") == "1"
    if overdue_only:
        current = current.review_overdue(on=today)
    record_rows(request.user, kind=_("classements d'un établissement"), query=request.GET, queryset=current,
                target=facility, facility_id=facility.pk)
    unclassified = (Custody.objects.held().filter(facility=facility)
                    .exclude(Exists(Classification.objects.filter(custody=OuterRef("pk")))).count())
    page = Paginator(current, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "inmates/life/classification_list.html", {
        "facility": facility, "page": page, "today": today, "overdue_only": overdue_only,
        "overdue_count": Classification.objects.review_overdue(on=today).filter(custody__facility=facility).count(),
        "unclassified": unclassified,
    })


# --- separation (Rule 11) ------------------------------------------------------------------


def separation_rows(facility, *, on=None):
    """Units of `facility` with their current occupants counted by category, in one query."""
    day = on or timezone.localdate()
    try:
        cutoff = day.replace(year=day.year - 18)
    except ValueError:  # 29 February
        cutoff = day.replace(year=day.year - 18, day=28)
    here = Q(placements__ended_at__isnull=True)
    person = "placements__custody__inmate__"
    minor = Q(**{f"{person}date_of_birth__gt": cutoff}) | Q(
        **{f"{person}date_of_birth__isnull": True, f"{person}birth_year__gt": day.year - 18})
    adult = Q(**{f"{person}date_of_birth__lte": cutoff}) | Q(
        **{f"{person}date_of_birth__isnull": True, f"{person}birth_year__lte": day.year - 18})
    untried = Q(placements__custody__legal_status__in=UNTRIED_STATUSES)
    terror = Q(placements__custody__terrorism_related=True)
    units = (
        Unit.objects.filter(facility=facility)
        .annotate(
            occupants=Count("placements", filter=here),
            men=Count("placements", filter=here & Q(**{f"{person}sex": "M"})),
            women=Count("placements", filter=here & Q(**{f"{person}sex": "F"})),
            untried=Count("placements", filter=here & untried),
            convicted=Count("placements", filter=here & ~untried),
            minors=Count("placements", filter=here & minor),
            adults=Count("placements", filter=here & adult),
            terrorism=Count("placements", filter=here & terror),
            general=Count("placements", filter=here & ~terror),
            **terrorism_annotations("placements", "placements__custody__", here),
        )
        .filter(occupants__gt=0)
        .order_by("code")
    )
    rows, labels = [], legal_status_labels()
    for unit in units:
        mixes = []
        if unit.men and unit.women:
            mixes.append(_("hommes et femmes"))
        if unit.untried and unit.convicted:
            mixes.append(_("prévenus et condamnés"))
        if unit.minors and unit.adults:
            mixes.append(_("mineurs et majeurs"))
        if unit.terrorism and unit.general:
            mixes.append(_("affaires de terrorisme et population générale"))
        rows.append({"unit": unit, "mixes": mixes, "terrorism_split": terrorism_by_status(unit, labels)})
    return rows


@require_GET
@permission_required("inmates.view_placement", raise_exception=True)
def separation(request, pk):
    facility = _facility(request, pk)
    rows = separation_rows(facility)
    return render(request, "inmates/life/separation.html", {
        "facility": facility, "rows": rows, "mixed": [r for r in rows if r["mixes"]],
    })


# --- cell leaders ------------------------------------------------------------------------


@require_GET
@permission_required("inmates.view_cellleader", raise_exception=True)
def cell_leaders(request, pk):
    """Each occupied unit with its current leader and the history of its leaders."""
    facility = _facility(request, pk)
    units = (
        Unit.objects.filter(facility=facility, is_active=True).with_occupancy().order_by("code")
        .prefetch_related(Prefetch("cell_leaders", queryset=CellLeader.objects.select_related(
            "custody__inmate", "custody__facility", "appointed_by").order_by("-started_at"), to_attr="leaders"))
    )
    rows = [{"unit": u, "current": next((x for x in u.leaders if x.ended_at is None), None),
             "history": [x for x in u.leaders if x.ended_at is not None]} for u in units]
    record_rows(request.user, kind=_("chefs de cellule d'un établissement"), query=request.GET,
                queryset=CellLeader.objects.filter(unit__in=units), target=facility, facility_id=facility.pk)
    return render(request, "inmates/life/cell_leaders.html", {"facility": facility, "rows": rows})


@require_http_methods(["GET", "POST"])
@permission_required("inmates.add_cellleader", raise_exception=True)
def cell_leader_appoint(request, pk):
    unit = get_object_or_404(Unit.objects.visible_to(request.user).select_related("facility"), pk=pk)
    form = CellLeaderForm(request.POST or None, unit=unit)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _service(form, lambda: services.appoint_cell_leader(unit, actor=request.user, **data)):
            messages.success(request, _("Le chef de cellule est désigné."))
            return redirect("life:cell_leaders", unit.facility_id)
    return _form_page(request, title=_("Désigner le chef de la cellule %(u)s") % {"u": unit.name}, form=form,
                      facility=unit.facility, cancel_url=reverse("life:cell_leaders", args=[unit.facility_id]),
                      intro=_("Le chef de cellule est choisi par les détenus de la cellule, avec l'accord du "
                              "personnel ; il fait le lien pour les règles, les différends et les plaintes."))


# --- visits ------------------------------------------------------------------------------


@require_GET
@permission_required("inmates.view_visit", raise_exception=True)
def visit_list(request, pk):
    facility = _facility(request, pk)
    day_text = request.GET.get("jour") or ""
    visits = Visit.objects.filter(facility=facility).select_related(
        "custody__inmate", "custody__facility", "visitor", "recorded_by")
    try:
        day = datetime.date.fromisoformat(day_text) if day_text else None
    except ValueError:
        day = None
    if day:
        visits = visits.filter(arrived_at__date=day)
    record_rows(request.user, kind=_("registre des visites"), query=request.GET, queryset=visits, target=facility,
                facility_id=facility.pk)
    page = Paginator(visits, PAGE_SIZE).get_page(request.GET.get("page"))
    days = FacilityVisitingRule.days_for(facility)
    return render(request, "inmates/life/visit_list.html", {
        "facility": facility, "page": page, "day": day,
        "visiting_days": ", ".join(str(Weekday(d).label) for d in days),
        "rule": FacilityVisitingRule.objects.filter(facility=facility).first(),
    })


@require_http_methods(["GET", "POST"])
@permission_required("inmates.add_visit", raise_exception=True)
def visit_add(request, pk):
    custody = _custody(request, pk)
    form = VisitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        visitor, data = form.split()
        if _service(form, lambda: services.record_visit(custody, visitor=visitor, actor=request.user, **data)):
            messages.success(request, _("La visite est inscrite au registre."))
            return redirect("life:visit_list", custody.facility_id)
    days = ", ".join(str(Weekday(d).label) for d in FacilityVisitingRule.days_for(custody.facility))
    return _form_page(request, title=_("Inscrire une visite"), form=form, custody=custody,
                      cancel_url=reverse("life:visit_list", args=[custody.facility_id]),
                      intro=_("Jours de visite ici : %(days)s. Les avocats sont reçus tous les jours.")
                      % {"days": days})


@require_POST
@permission_required("inmates.change_visit", raise_exception=True)
def visit_leave(request, pk):
    visit = get_object_or_404(Visit.objects.visible_to(request.user), pk=pk)
    try:
        services.end_visit(visit, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Sortie du visiteur enregistrée."))
    return redirect("life:visit_list", visit.facility_id)


@require_http_methods(["GET", "POST"])
@permission_required("inmates.change_facilityvisitingrule", raise_exception=True)
def visiting_days(request, pk):
    facility = _facility(request, pk)
    rule = FacilityVisitingRule.objects.filter(facility=facility).first()
    form = VisitingDaysForm(request.POST or None, initial={
        "days": FacilityVisitingRule.days_for(facility), "notes": rule.notes if rule else ""})
    if request.method == "POST" and form.is_valid():
        if _service(form, lambda: services.set_visiting_days(facility, actor=request.user, **form.cleaned_data)):
            messages.success(request, _("Les jours de visite sont enregistrés."))
            return redirect("life:visit_list", facility.pk)
    return _form_page(request, title=_("Jours de visite"), form=form, facility=facility,
                      cancel_url=reverse("life:visit_list", args=[facility.pk]),
                      intro=_("Jours où les familles, responsables religieux et organisations sont reçus. "
                              "Les avocats sont reçus tous les jours."))


# --- complaints --------------------------------------------------------------------------


@require_GET
@permission_required("inmates.view_complaint", raise_exception=True)
def complaint_list(request, pk):
    facility = _facility(request, pk)
    complaints = Complaint.objects.visible_to(request.user).filter(facility=facility).select_related(
        "custody__inmate", "custody__facility", "addressed_to")
    state = request.GET.get("etat", "open")
    if state == "open":
        complaints = complaints.open()
    elif state == "allegations":
        complaints = complaints.filter(is_allegation=True)
    record_rows(request.user, kind=_("registre des plaintes"), query=request.GET, queryset=complaints,
                target=facility, facility_id=facility.pk)
    page = Paginator(complaints, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "inmates/life/complaint_list.html", {
        "facility": facility, "page": page, "state": state, "today": timezone.localdate(),
    })


@require_http_methods(["GET", "POST"])
@permission_required("inmates.add_complaint", raise_exception=True)
def complaint_add(request, pk):
    custody = _custody(request, pk)
    form = ComplaintForm(request.POST or None, facility=custody.facility)
    if request.method == "POST" and form.is_valid():
        complaint = _service(form, lambda: services.register_complaint(custody, actor=request.user,
                                                                       **form.cleaned_data))
        if complaint:
            if complaint.is_allegation:
                messages.warning(request, _("Allégation enregistrée et signalée à la direction et à la DNAPES."))
            else:
                messages.success(request, _("La plainte est enregistrée."))
            if Complaint.objects.visible_to(request.user).filter(pk=complaint.pk).exists():
                return redirect("life:complaint_detail", complaint.pk)
            return redirect("life:complaint_list", custody.facility_id)
    return _form_page(request, title=_("Enregistrer une requête ou une plainte"), form=form, custody=custody,
                      cancel_url=_life_url(custody),
                      intro=_("Chaque jour, toute personne détenue peut présenter une requête ou une plainte "
                              "(Règle 56)."))


def _complaint(request, pk):
    return get_object_or_404(Complaint.objects.visible_to(request.user).select_related(
        "custody__inmate", "custody__facility", "facility", "addressed_to", "answered_by", "referred_by",
        "closed_by", "recorded_by"), pk=pk)


@require_GET
@permission_required("inmates.view_complaint", raise_exception=True)
def complaint_detail(request, pk, forms=None):
    return _complaint_page(request, reads.open_complaint(pk, actor=request.user))


def _complaint_page(request, complaint, forms=None):
    forms = forms or {}
    can_act = request.user.has_perm("inmates.change_complaint") or complaint.addressed_to_id == request.user.pk
    if can_act and complaint.status == "open":
        forms.setdefault("answer", AnswerForm())
    if can_act and complaint.status != "closed" and not complaint.referred_at:
        forms.setdefault("refer", ReferralForm())
    return render(request, "inmates/life/complaint_detail.html", {
        "complaint": complaint, "custody": complaint.custody, "forms": forms, "can_act": can_act,
    }, status=400 if any(f.errors for f in forms.values()) else 200)


@require_POST
@permission_required("inmates.view_complaint", raise_exception=True)
def complaint_step(request, pk, step):
    complaint = _complaint(request, pk)
    if step == "answer":
        form = AnswerForm(request.POST)
        call = lambda: services.answer_complaint(complaint, actor=request.user, **form.cleaned_data)  # noqa: E731
    elif step == "refer":
        form = ReferralForm(request.POST)
        call = lambda: services.refer_complaint(complaint, actor=request.user, **form.cleaned_data)  # noqa: E731
    elif step == "close":
        try:
            services.close_complaint(complaint, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("La plainte est close."))
        return redirect("life:complaint_detail", complaint.pk)
    else:
        raise Http404
    if form.is_valid() and _service(form, call):
        messages.success(request, _("Enregistré."))
        return redirect("life:complaint_detail", complaint.pk)
    return _complaint_page(request, complaint, forms={step: form})


# --- activities --------------------------------------------------------------------------


@require_GET
@permission_required("inmates.view_activity", raise_exception=True)
def activity_list(request, pk):
    facility = _facility(request, pk)
    current = Q(enrolments__ended_on__isnull=True)
    activities = Activity.objects.filter(facility=facility).annotate(
        enrolled=Count("enrolments", filter=current),
        enrolled_terrorism=Count("enrolments", filter=current & Q(enrolments__custody__terrorism_related=True)),
        **terrorism_annotations("enrolments", "enrolments__custody__", current),
    ).order_by("-is_active", "name")
    labels = legal_status_labels()
    for a in activities:
        a.terrorism_split = terrorism_by_status(a, labels)
    return render(request, "inmates/life/activity_list.html", {"facility": facility, "activities": activities})


@require_http_methods(["GET", "POST"])
@permission_required("inmates.add_activity", raise_exception=True)
def activity_add(request, pk):
    facility = _facility(request, pk)
    form = ActivityForm(request.POST or None, initial={"open_to_regimes": ["standard"]})
    if request.method == "POST" and form.is_valid():
        activity = _service(form, lambda: services.create_activity(facility, actor=request.user, **form.cleaned_data))
        if activity:
            messages.success(request, _("L'activité est créée."))
            return redirect("life:activity_detail", activity.pk)
    return _form_page(request, title=_("Nouvelle activité"), form=form, facility=facility,
                      cancel_url=reverse("life:activity_list", args=[facility.pk]),
                      intro=_("Dites qui peut y participer : l'accès égal aux activités est recommandé partout "
                              "où c'est possible."))


def _activity(request, pk):
    return get_object_or_404(Activity.objects.visible_to(request.user).select_related("facility"), pk=pk)


@require_GET
@permission_required("inmates.view_activity", raise_exception=True)
def activity_detail(request, pk):
    activity = _activity(request, pk)
    # The page lists the people enrolled: one LIST entry.
    record_rows(request.user, kind=_("inscrits à une activité"), query=request.GET,
                queryset=activity.enrolments.current(), target=activity, facility_id=activity.facility_id)
    return _activity_page(request, activity)


def _activity_page(request, activity, form=None):
    enrolments = activity.enrolments.current().select_related("custody__inmate", "custody__facility",
                                                              "enrolled_by")
    return render(request, "inmates/life/activity_detail.html", {
        "activity": activity, "facility": activity.facility, "enrolments": enrolments,
        "form": form or EnrolForm(activity=activity),
    }, status=400 if form is not None and form.errors else 200)


@require_POST
@permission_required("inmates.add_enrolment", raise_exception=True)
def activity_enrol(request, pk):
    activity = _activity(request, pk)
    form = EnrolForm(request.POST, activity=activity)
    if form.is_valid() and _service(form, lambda: services.enrol(activity, custody=form.custody, actor=request.user)):
        messages.success(request, _("Inscription enregistrée."))
        return redirect("life:activity_detail", activity.pk)
    return _activity_page(request, activity, form)


@require_POST
@permission_required("inmates.change_enrolment", raise_exception=True)
def enrolment_end(request, pk):
    enrolment = get_object_or_404(Enrolment.objects.visible_to(request.user), pk=pk)
    try:
        services.end_enrolment(enrolment, actor=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("life:activity_detail", enrolment.activity_id)


def access_by_category(facility):
    """Access to activities by category (terrorism-related or not): in three queries."""
    held = Custody.objects.held().filter(facility=facility)
    enrolled = Exists(Enrolment.objects.current().filter(custody=OuterRef("pk")))
    terror = Q(terrorism_related=True)
    totals = held.aggregate(
        all=Count("id"), terrorism=Count("id", filter=terror), general=Count("id", filter=~terror),
        terrorism_enrolled=Count("id", filter=terror & Q(enrolled)),
        general_enrolled=Count("id", filter=~terror & Q(enrolled)),
        **terrorism_annotations(),
        **{f"{k}_enrolled": v for k, v in terrorism_annotations(within=Q(enrolled)).items()},
    )
    current = Q(enrolments__ended_on__isnull=True)
    activities = list(Activity.objects.filter(facility=facility, is_active=True).annotate(
        enrolled_terrorism=Count("enrolments", filter=current & Q(enrolments__custody__terrorism_related=True)),
        enrolled_general=Count("enrolments", filter=current & Q(enrolments__custody__terrorism_related=False)),
        **terrorism_annotations("enrolments", "enrolments__custody__", current),
    ).order_by("name"))
    labels = legal_status_labels()
    for a in activities:
        a.terrorism_split = terrorism_by_status(a, labels)

    def rate(part, whole):
        return round(100 * part / whole, 1) if whole else None

    totals["terrorism_rate"] = rate(totals["terrorism_enrolled"], totals["terrorism"])
    totals["general_rate"] = rate(totals["general_enrolled"], totals["general"])
    # The terrorism-related people by legal status (presumption of innocence), held and enrolled.
    totals["terrorism_split"] = [
        {**s, "enrolled": totals[f"terrorism_{s['status']}_enrolled"],
         "rate": rate(totals[f"terrorism_{s['status']}_enrolled"], s["count"])}
        for s in terrorism_by_status(totals, labels)]
    totals["open_to_terrorism"] = sum(1 for a in activities if a.open_to_terrorism_related)
    totals["closed_to_terrorism"] = len(activities) - totals["open_to_terrorism"]
    return totals, activities


@require_GET
@permission_required("inmates.view_activity", raise_exception=True)
def activity_access(request, pk):
    facility = _facility(request, pk)
    totals, activities = access_by_category(facility)
    return render(request, "inmates/life/activity_access.html", {
        "facility": facility, "totals": totals, "activities": activities,
    })


# --- family notifications ----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@permission_required("inmates.add_familynotification", raise_exception=True)
def family_notification_add(request, pk):
    custody = _custody(request, pk)
    initial = {}
    if request.GET.get("transfert", "").isdigit():
        initial = {"event": "transfer", "transfer": int(request.GET["transfert"])}
    form = FamilyNotificationForm(request.POST or None, custody=custody, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        told_now = data.pop("told_now")
        data["told_at"] = timezone.now() if told_now else None
        if _service(form, lambda: services.record_family_notification(custody, actor=request.user, **data)):
            messages.success(request, _("L'information de la famille est enregistrée."))
            return redirect(_life_url(custody))
    return _form_page(request, title=_("Informer la famille"), form=form, custody=custody,
                      cancel_url=_life_url(custody),
                      intro=_("La personne choisit qui prévenir de son incarcération ou de son transfert "
                              "(Règles 68 à 70) ; en cas de décès, le plus proche parent est prévenu sans délai."))


@require_POST
@permission_required("inmates.change_familynotification", raise_exception=True)
def family_notification_told(request, pk):
    notification = get_object_or_404(FamilyNotification.objects.visible_to(request.user), pk=pk)
    form = ToldForm(request.POST)
    if form.is_valid():
        try:
            services.mark_family_told(notification, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Contact prévenu : enregistré."))
    else:
        messages.error(request, _("Indiquez comment le contact a été prévenu."))
    return redirect(_life_url(notification.custody))


@require_GET
@permission_required("inmates.view_placement", raise_exception=True)
def placement_history(request, pk):
    """Every placement of one custody (cell moves with their reasons)."""
    custody, placements = reads.open_placement_history(pk, actor=request.user)
    return render(request, "inmates/life/placement_history.html", {
        "custody": custody, "inmate": custody.inmate, "placements": placements})
