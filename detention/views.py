"""Staff pages of life inside: classification, cell leaders, visits, complaints, activities
and family notifications, and the hub pages of the `life` section.

Each page is scoped by `.visible_to(user)` (another prison's record: 404); each form view
validates with a form, calls one service and turns its ValidationError into form errors.
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
from core.numbers import percentage
from core.pages import call_service, record_form_page
from detention import incident_reads, reads, services
from detention.forms import (
    ActivityForm,
    AnswerForm,
    CellLeaderForm,
    ClassificationForm,
    ComplaintForm,
    EnrolForm,
    FamilyNotificationForm,
    ReferralForm,
    ToldForm,
    VisitForm,
    VisitingDaysForm,
)
from detention.models import (
    Activity,
    CellLeader,
    Classification,
    Complaint,
    Enrolment,
    FacilityVisitingRule,
    FamilyNotification,
    Visit,
    Weekday,
)
from inmates import reads as inmate_reads
from inmates import services as inmate_services
from inmates.models import Custody, Release, Transfer
from inmates.views import custody_or_404, facility_or_404, life_url, placement_in_force
from prisons.figures import legal_status_labels, terrorism_annotations, terrorism_by_status
from prisons.models import Facility, Unit

PAGE_SIZE = 50


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
    return render(request, "detention/index.html", {"rows": rows})


@require_GET
@permission_required("inmates.view_transfer", raise_exception=True)
def custody_life(request, pk):
    """One person's custody life: place, transfers, classification, visits, complaints, activities."""
    # Reading someone's custody life is reading their file: audited like the file itself.
    custody = inmate_reads.open_custody(pk, actor=request.user, permission="inmates.view_transfer")
    return render(request, "detention/custody_life.html", {
        "custody": custody, "inmate": custody.inmate, "placement": placement_in_force(custody),
        "placements": custody.placements.select_related("unit", "created_by")[:20],
        "transfers": custody.transfers.select_related("from_facility", "to_facility"),
        "in_transit": inmate_services.in_transit(custody),
        "classifications": custody.classifications.select_related("assessed_by"),
        "visits": custody.visits.select_related("visitor")[:20],
        "complaints": Complaint.objects.visible_to(request.user).filter(custody=custody),
        "enrolments": custody.enrolments.select_related("activity"),
        "notifications": custody.family_notifications.select_related("told_by", "relative"),
        "release": Release.objects.filter(custody=custody).first(),
        "leaderships": custody.cell_leaderships.select_related("unit"),
        "serious_incidents": incident_reads.incidents_of(request.user).filter(
            Q(custody=custody) | Q(involvements__custody=custody)).distinct(),
        "today": timezone.localdate(),
    })


@require_http_methods(["GET", "POST"])
@permission_required("detention.add_classification", raise_exception=True)
def classification_form(request, pk):
    custody = custody_or_404(request, pk)
    form = ClassificationForm(request.POST or None, initial={
        "next_review_on": timezone.localdate() + datetime.timedelta(days=180)})
    if request.method == "POST" and form.is_valid():
        if call_service(form, lambda: services.classify(custody, actor=request.user, **form.cleaned_data)):
            messages.success(request, _("L'évaluation est enregistrée."))
            return redirect(life_url(custody))
    return record_form_page(request, title=_("Évaluation individuelle du risque"), form=form, custody=custody,
                      cancel_url=life_url(custody),
                      intro=_("Une évaluation de la personne, motivée : le statut juridique ou l'affaire ne "
                              "décident jamais seuls du niveau de risque."))


@require_GET
@permission_required("detention.view_classification", raise_exception=True)
def classification_list(request, pk):
    """Classifications in force in a prison, overdue reviews first."""
    facility = facility_or_404(request, pk)
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
    return render(request, "detention/classification_list.html", {
        "facility": facility, "page": page, "today": today, "overdue_only": overdue_only,
        "overdue_count": Classification.objects.review_overdue(on=today).filter(custody__facility=facility).count(),
        "unclassified": unclassified,
    })


@require_GET
@permission_required("detention.view_cellleader", raise_exception=True)
def cell_leaders(request, pk):
    """Each occupied unit with its current leader and the history of its leaders."""
    facility = facility_or_404(request, pk)
    units = (
        Unit.objects.filter(facility=facility, is_active=True).with_occupancy().order_by("code")
        .prefetch_related(Prefetch("cell_leaders", queryset=CellLeader.objects.select_related(
            "custody__inmate", "custody__facility", "appointed_by").order_by("-started_at"), to_attr="leaders"))
    )
    rows = [{"unit": u, "current": next((x for x in u.leaders if x.ended_at is None), None),
             "history": [x for x in u.leaders if x.ended_at is not None]} for u in units]
    record_rows(request.user, kind=_("chefs de cellule d'un établissement"), query=request.GET,
                queryset=CellLeader.objects.filter(unit__in=units), target=facility, facility_id=facility.pk)
    return render(request, "detention/cell_leaders.html", {"facility": facility, "rows": rows})


@require_http_methods(["GET", "POST"])
@permission_required("detention.add_cellleader", raise_exception=True)
def cell_leader_appoint(request, pk):
    unit = get_object_or_404(Unit.objects.visible_to(request.user).select_related("facility"), pk=pk)
    form = CellLeaderForm(request.POST or None, unit=unit)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if call_service(form, lambda: services.appoint_cell_leader(unit, actor=request.user, **data)):
            messages.success(request, _("Le chef de cellule est désigné."))
            return redirect("life:cell_leaders", unit.facility_id)
    return record_form_page(request, title=_("Désigner le chef de la cellule %(u)s") % {"u": unit.name}, form=form,
                      facility=unit.facility, cancel_url=reverse("life:cell_leaders", args=[unit.facility_id]),
                      intro=_("Le chef de cellule est choisi par les détenus de la cellule, avec l'accord du "
                              "personnel ; il fait le lien pour les règles, les différends et les plaintes."))


@require_GET
@permission_required("detention.view_visit", raise_exception=True)
def visit_list(request, pk):
    facility = facility_or_404(request, pk)
    day_text = request.GET.get("jour") or ""
    visits = Visit.objects.filter(facility=facility).select_related(
        "custody__inmate", "custody__facility", "visitor", "recorded_by", "exception_authorised_by")
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
    return render(request, "detention/visit_list.html", {
        "facility": facility, "page": page, "day": day,
        "visiting_days": ", ".join(str(Weekday(d).label) for d in days),
        "rule": FacilityVisitingRule.objects.filter(facility=facility).first(),
    })


@require_http_methods(["GET", "POST"])
@permission_required("detention.add_visit", raise_exception=True)
def visit_add(request, pk):
    custody = custody_or_404(request, pk)
    form = VisitForm(request.POST or None,
                     may_authorise_exception=request.user.has_perm("detention.authorise_visit_exception"))
    if request.method == "POST" and form.is_valid():
        visitor, data = form.split()
        if call_service(form, lambda: services.record_visit(custody, visitor=visitor, actor=request.user, **data)):
            messages.success(request, _("La visite est inscrite au registre."))
            return redirect("life:visit_list", custody.facility_id)
    days = ", ".join(str(Weekday(d).label) for d in FacilityVisitingRule.days_for(custody.facility))
    return record_form_page(request, title=_("Inscrire une visite"), form=form, custody=custody,
                      cancel_url=reverse("life:visit_list", args=[custody.facility_id]),
                      intro=_("Jours de visite ici : %(days)s. Les avocats sont reçus tous les jours.")
                      % {"days": days})


@require_POST
@permission_required("detention.change_visit", raise_exception=True)
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
@permission_required("detention.change_facilityvisitingrule", raise_exception=True)
def visiting_days(request, pk):
    facility = facility_or_404(request, pk)
    rule = FacilityVisitingRule.objects.filter(facility=facility).first()
    form = VisitingDaysForm(request.POST or None, initial={
        "days": FacilityVisitingRule.days_for(facility), "notes": rule.notes if rule else ""})
    if request.method == "POST" and form.is_valid():
        if call_service(form, lambda: services.set_visiting_days(facility, actor=request.user, **form.cleaned_data)):
            messages.success(request, _("Les jours de visite sont enregistrés."))
            return redirect("life:visit_list", facility.pk)
    return record_form_page(request, title=_("Jours de visite"), form=form, facility=facility,
                      cancel_url=reverse("life:visit_list", args=[facility.pk]),
                      intro=_("Jours où les familles, responsables religieux et organisations sont reçus. "
                              "Les avocats sont reçus tous les jours."))


@require_GET
@permission_required("detention.view_complaint", raise_exception=True)
def complaint_list(request, pk):
    facility = facility_or_404(request, pk)
    complaints = Complaint.objects.visible_to(request.user).filter(facility=facility).select_related(
        "custody__inmate", "custody__facility", "addressed_to")
    state = request.GET.get("etat", "open")
    if state == "open":
        complaints = complaints.open()
    elif state == "allegations":
        complaints = complaints.filter(is_allegation=True)
    elif state == "overdue":
        complaints = complaints.overdue()
    record_rows(request.user, kind=_("registre des plaintes"), query=request.GET, queryset=complaints,
                target=facility, facility_id=facility.pk)
    page = Paginator(complaints, PAGE_SIZE).get_page(request.GET.get("page"))
    overdue = Complaint.objects.visible_to(request.user).filter(facility=facility).overdue().count()
    return render(request, "detention/complaint_list.html", {
        "facility": facility, "page": page, "state": state, "today": timezone.localdate(), "overdue": overdue,
    })


@require_http_methods(["GET", "POST"])
@permission_required("detention.add_complaint", raise_exception=True)
def complaint_add(request, pk):
    custody = custody_or_404(request, pk)
    form = ComplaintForm(request.POST or None, facility=custody.facility)
    if request.method == "POST" and form.is_valid():
        complaint = call_service(form, lambda: services.register_complaint(custody, actor=request.user,
                                                                       **form.cleaned_data))
        if complaint:
            if complaint.is_allegation:
                messages.warning(request, _("Allégation enregistrée et signalée à la direction et à la DNAPES."))
            else:
                messages.success(request, _("La plainte est enregistrée."))
            if Complaint.objects.visible_to(request.user).filter(pk=complaint.pk).exists():
                return redirect("life:complaint_detail", complaint.pk)
            return redirect("life:complaint_list", custody.facility_id)
    return record_form_page(request, title=_("Enregistrer une requête ou une plainte"), form=form, custody=custody,
                      cancel_url=life_url(custody),
                      intro=_("Chaque jour, toute personne détenue peut présenter une requête ou une plainte "
                              "(Règle 56)."))


def _complaint(request, pk):
    return get_object_or_404(Complaint.objects.visible_to(request.user).select_related(
        "custody__inmate", "custody__facility", "facility", "addressed_to", "answered_by", "referred_by",
        "closed_by", "recorded_by"), pk=pk)


@require_GET
@permission_required("detention.view_complaint", raise_exception=True)
def complaint_detail(request, pk, forms=None):
    return _complaint_page(request, reads.open_complaint(pk, actor=request.user))


def _complaint_page(request, complaint, forms=None):
    forms = forms or {}
    can_act = request.user.has_perm("detention.change_complaint") or complaint.addressed_to_id == request.user.pk
    if can_act and complaint.status == "open":
        forms.setdefault("answer", AnswerForm())
    if can_act and complaint.status != "closed" and not complaint.referred_at:
        forms.setdefault("refer", ReferralForm())
    return render(request, "detention/complaint_detail.html", {
        "complaint": complaint, "custody": complaint.custody, "forms": forms, "can_act": can_act,
    }, status=400 if any(f.errors for f in forms.values()) else 200)


@require_POST
@permission_required("detention.view_complaint", raise_exception=True)
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
    if form.is_valid() and call_service(form, call):
        messages.success(request, _("Enregistré."))
        return redirect("life:complaint_detail", complaint.pk)
    return _complaint_page(request, complaint, forms={step: form})


@require_GET
@permission_required("detention.view_activity", raise_exception=True)
def activity_list(request, pk):
    facility = facility_or_404(request, pk)
    current = Q(enrolments__ended_on__isnull=True)
    activities = Activity.objects.filter(facility=facility).annotate(
        enrolled=Count("enrolments", filter=current),
        enrolled_terrorism=Count("enrolments", filter=current & Q(enrolments__custody__terrorism_related=True)),
        **terrorism_annotations("enrolments", "enrolments__custody__", current),
    ).order_by("-is_active", "name")
    labels = legal_status_labels()
    for a in activities:
        a.terrorism_split = terrorism_by_status(a, labels)
    return render(request, "detention/activity_list.html", {"facility": facility, "activities": activities})


@require_http_methods(["GET", "POST"])
@permission_required("detention.add_activity", raise_exception=True)
def activity_add(request, pk):
    facility = facility_or_404(request, pk)
    form = ActivityForm(request.POST or None, initial={"open_to_regimes": ["standard"]})
    if request.method == "POST" and form.is_valid():
        activity = call_service(form, lambda: services.create_activity(facility, actor=request.user, **form.cleaned_data))
        if activity:
            messages.success(request, _("L'activité est créée."))
            return redirect("life:activity_detail", activity.pk)
    return record_form_page(request, title=_("Nouvelle activité"), form=form, facility=facility,
                      cancel_url=reverse("life:activity_list", args=[facility.pk]),
                      intro=_("Dites qui peut y participer : l'accès égal aux activités est recommandé partout "
                              "où c'est possible."))


def _activity(request, pk):
    return get_object_or_404(Activity.objects.visible_to(request.user).select_related("facility"), pk=pk)


@require_GET
@permission_required("detention.view_activity", raise_exception=True)
def activity_detail(request, pk):
    activity = _activity(request, pk)
    # The page lists the people enrolled: one LIST entry.
    record_rows(request.user, kind=_("inscrits à une activité"), query=request.GET,
                queryset=activity.enrolments.current(), target=activity, facility_id=activity.facility_id)
    return _activity_page(request, activity)


def _activity_page(request, activity, form=None):
    enrolments = activity.enrolments.current().select_related("custody__inmate", "custody__facility",
                                                              "enrolled_by")
    return render(request, "detention/activity_detail.html", {
        "activity": activity, "facility": activity.facility, "enrolments": enrolments,
        "form": form or EnrolForm(activity=activity),
    }, status=400 if form is not None and form.errors else 200)


@require_POST
@permission_required("detention.add_enrolment", raise_exception=True)
def activity_enrol(request, pk):
    activity = _activity(request, pk)
    form = EnrolForm(request.POST, activity=activity)
    if form.is_valid() and call_service(form, lambda: services.enrol(activity, custody=form.custody, actor=request.user)):
        messages.success(request, _("Inscription enregistrée."))
        return redirect("life:activity_detail", activity.pk)
    return _activity_page(request, activity, form)


@require_POST
@permission_required("detention.change_enrolment", raise_exception=True)
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

    totals["terrorism_rate"] = percentage(totals["terrorism_enrolled"], totals["terrorism"])
    totals["general_rate"] = percentage(totals["general_enrolled"], totals["general"])
    # The terrorism-related people by legal status (presumption of innocence), held and enrolled.
    totals["terrorism_split"] = [
        {**s, "enrolled": totals[f"terrorism_{s['status']}_enrolled"],
         "rate": percentage(totals[f"terrorism_{s['status']}_enrolled"], s["count"])}
        for s in terrorism_by_status(totals, labels)]
    totals["open_to_terrorism"] = sum(1 for a in activities if a.open_to_terrorism_related)
    totals["closed_to_terrorism"] = len(activities) - totals["open_to_terrorism"]
    return totals, activities


@require_GET
@permission_required("detention.view_activity", raise_exception=True)
def activity_access(request, pk):
    facility = facility_or_404(request, pk)
    totals, activities = access_by_category(facility)
    return render(request, "detention/activity_access.html", {
        "facility": facility, "totals": totals, "activities": activities,
    })


@require_http_methods(["GET", "POST"])
@permission_required("detention.add_familynotification", raise_exception=True)
def family_notification_add(request, pk):
    custody = custody_or_404(request, pk)
    initial = {}
    if request.GET.get("transfert", "").isdigit():
        initial = {"event": "transfer", "transfer": int(request.GET["transfert"])}
    form = FamilyNotificationForm(request.POST or None, custody=custody, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        told_now = data.pop("told_now")
        data["told_at"] = timezone.now() if told_now else None
        if call_service(form, lambda: services.record_family_notification(custody, actor=request.user, **data)):
            messages.success(request, _("L'information de la famille est enregistrée."))
            return redirect(life_url(custody))
    return record_form_page(request, title=_("Informer la famille"), form=form, custody=custody,
                      cancel_url=life_url(custody),
                      intro=_("La personne choisit qui prévenir de son incarcération ou de son transfert "
                              "(Règles 68 à 70) ; en cas de décès, le plus proche parent est prévenu sans délai."))


@require_POST
@permission_required("detention.change_familynotification", raise_exception=True)
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
    return redirect(life_url(notification.custody))
