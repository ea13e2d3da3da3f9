"""Staff pages for people: the list, the prisoner file, and the forms that change them.

Each form view validates with a form, calls one service, and turns the service's
ValidationError into form errors (what was typed is kept). Cases are shown through the
custody's reverse relations (`cases`), so this app imports nothing from casework.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import AuditAction, AuditEntry
from accounts.reads import record_rows
from accounts.roles import SUBJECT_ACCESS_ROLES
from core.errors import ConflictError
from core.pages import add_service_errors, call_service, form_page, record_form_page
from prisons.models import Facility, occupancy_text

from . import movements, reads, services
from .forms import (
    AgeVerificationForm,
    AliasForm,
    CellMoveForm,
    InmateFilterForm,
    InmateIdentityForm,
    PlacementForm,
    PriorCustodyForm,
    ReasonForm,
    RelativeForm,
    ReleaseForm,
    TransferArriveForm,
    TransferDepartForm,
    TransferRequestForm,
)
from .models import (
    Alias,
    Custody,
    CustodyStatus,
    Inmate,
    Placement,
    PriorCustody,
    Relation,
    Relative,
    Transfer,
    TransferStatus,
)
from .reports import separation_rows
from .search import rank_search

PAGE_SIZE = 50


def _current_placements():
    return Prefetch("placements", queryset=Placement.objects.current().select_related("unit"),
                    to_attr="current_placements")


@require_GET
@permission_required("inmates.view_inmate", raise_exception=True)
def inmate_list(request):
    """One row per stay: search by name (aliases, accents ignored) or number, and filters."""
    form = InmateFilterForm(request.GET or None, user=request.user)
    custodies = (
        Custody.objects.visible_to(request.user)
        .select_related("inmate", "facility", "release", "death")
        .prefetch_related(_current_placements())
        .order_by("inmate__last_name", "inmate__first_name", "inmate_id", "-admitted_at")
    )
    situation = InmateFilterForm.SITUATION_CURRENT
    filtered = False
    if form.is_valid():
        data = form.cleaned_data
        situation = data["situation"] or situation
        if data["q"]:
            custodies = rank_search(custodies, data["q"], prefix="inmate__",
                                    ordering=custodies.query.order_by)
        if data["facility"]:
            custodies = custodies.filter(facility=data["facility"])
        if data["unit"]:
            custodies = custodies.filter(placements__unit=data["unit"], placements__ended_at__isnull=True)
        if data["legal_status"] == "untried":
            custodies = custodies.untried()
        elif data["legal_status"]:
            custodies = custodies.filter(legal_status=data["legal_status"])
        if data["terrorism"]:
            custodies = custodies.filter(terrorism_related=data["terrorism"] == "1")
        if data["possible_minor"]:
            custodies = custodies.filter(inmate__in=Inmate.objects.possible_minors())
        if data["sans_cellule"]:
            custodies = custodies.filter(status=CustodyStatus.HELD).exclude(
                pk__in=Placement.objects.current().values("custody_id"))
        filtered = any(data[k] for k in ("q", "facility", "unit", "legal_status", "terrorism", "possible_minor",
                                         "sans_cellule"))
    if situation == InmateFilterForm.SITUATION_CURRENT:
        custodies = custodies.current()
    elif situation == InmateFilterForm.SITUATION_RELEASED:
        custodies = custodies.filter(status=CustodyStatus.RELEASED)
    # One LIST entry per request (what was searched, how many people), never one per row.
    record_rows(request.user, kind=_("recherche de détenus") if request.GET.get("q") else _("liste des détenus"),
                query=request.GET, queryset=custodies, person_field="inmate_id")
    page = Paginator(custodies, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "inmates/inmate_list.html", {
        "form": form, "page": page, "filtered": filtered, "query": query.urlencode(),
    })


def _relative_age(relative, today):
    dob = relative.date_of_birth
    if dob:
        return today.year - dob.year - ((today.month, today.day) < (dob.month, dob.day))
    return relative.age_years


HISTORY_ROWS = 50


def _related(model, *names):
    """The model at the end of a chain of reverse relations (another app's, not imported)."""
    for name in names:
        model = model._meta.get_field(name).related_model
    return model


@require_GET
@permission_required("inmates.view_inmate", raise_exception=True)
def inmate_detail(request, pk):
    """The prisoner file. Opened through the service, which checks access and audits the read."""
    inmate = services.open_inmate_file(pk, actor=request.user)
    custodies = list(
        inmate.custodies.select_related("facility", "arrest_region").prefetch_related(
            "prior_custodies",
            Prefetch("placements", queryset=Placement.objects.select_related("unit", "unit__parent",
                                                                             "created_by")),
            # casework's records, reached through the stay's reverse relations (inmates does not
            # import casework): one query per relation, their own relations joined in.
            Prefetch("cases", queryset=_related(Custody, "cases").objects.select_related("court", "deadline__limit")),
            "cases__charges",
            Prefetch("cases__detention_orders",
                     queryset=_related(Custody, "cases", "detention_orders").objects.select_related("renews")),
            "cases__hearings", "cases__judgments", "cases__release_orders",
            "transfers__from_facility", "transfers__to_facility",
            Prefetch("deadline_alerts", queryset=_related(Custody, "deadline_alerts").objects.select_related("case")),
        ).select_related("death__kin_told_by", "death__authority_informed_by", "presentation", "release", "intake")
    )
    for custody in custodies:  # casework's alerts on the stay, read through the reverse relation
        custody.open_alerts = sorted((a for a in custody.deadline_alerts.all() if a.closed_at is None),
                                     key=lambda a: (not a.is_critical, a.opened_at))
    current = next((c for c in custodies if c.is_current), custodies[0] if custodies else None)
    relatives = list(inmate.relatives.all())
    today = timezone.localdate()
    for relative in relatives:
        relative.age = _relative_age(relative, today)
    children = [r for r in relatives if r.relation == Relation.CHILD]
    visible = request.user.visible_facility_ids()
    for custody in custodies:
        # Changes only to a stay in one of the user's own facilities (the forms 404 otherwise).
        custody.editable = visible is None or custody.facility_id in visible
    # Corrections keep their history (Mandela Rule 6): who changed what, old → new, and why.
    history = None
    if request.user.has_perm("accounts.view_auditentry"):
        history = list(
            AuditEntry.objects.filter(inmate_id=inmate.pk, action__in=(AuditAction.CREATE, AuditAction.UPDATE))
            .select_related("target_type").order_by("-at", "-id")[:HISTORY_ROWS]
        )
    # The identity photo taken at the administration step of the latest intake the reader may
    # open (served by intake's audited file door, never a public URL).
    photo_intake = None
    if request.user.has_perm("intake.view_intake"):
        intakes = inmate.intakes.filter(administration__isnull=False).exclude(administration__photo="")
        if visible is not None:
            intakes = intakes.filter(facility_id__in=visible)
        photo_intake = intakes.order_by("-pk").values_list("pk", flat=True).first()
    return render(request, "inmates/inmate_detail.html", {
        "photo_intake": photo_intake,
        "history": history,
        "history_rows": HISTORY_ROWS,
        "may_export_subject_access": request.user.has_role(*SUBJECT_ACCESS_ROLES),
        "inmate": inmate,
        "aliases": list(inmate.aliases.all()),
        "relatives": [r for r in relatives if r.relation != Relation.CHILD],
        "children": children,
        "next_of_kin": [r for r in relatives if r.is_next_of_kin],
        "emergency": [r for r in relatives if r.is_emergency_contact],
        "custodies": custodies,
        "current": current,
        "current_placement": next((p for p in current.placements.all() if p.ended_at is None), None)
        if current else None,
    })


@require_GET
@permission_required("inmates.view_inmate", raise_exception=True)
def unit_occupants(request, pk):
    """Who is in a unit now (paginated). With htmx, only the list, for the facility page."""
    unit, occupants = reads.list_unit_occupants(pk, actor=request.user, query=request.GET)
    page = Paginator(occupants, PAGE_SIZE).get_page(request.GET.get("page"))
    # A building holds the places of its cells (as on the facility page).
    cells = list(unit.children.values_list("capacity", flat=True))
    capacity = sum(cells) if cells else unit.capacity
    context = {"unit": unit, "page": page, "occupancy_text": occupancy_text(page.paginator.count, capacity)}
    if request.htmx:
        return render(request, "inmates/_unit_occupants.html", context)
    return render(request, "inmates/unit_occupants.html", context)


# --- Forms -------------------------------------------------------------------------------


def _visible_inmate(request, pk):
    return get_object_or_404(Inmate.objects.visible_to(request.user), pk=pk)


def _visible_custody(request, pk):
    custodies = Custody.objects.visible_to(request.user).select_related("inmate", "facility")
    return get_object_or_404(custodies, pk=pk)


def _file_url(inmate_id):
    return reverse("inmates:inmate_detail", args=[inmate_id])


def _person_custody(inmate):
    return inmate.custodies.select_related("facility").order_by("-admitted_at").first()


@require_http_methods(["GET", "POST"])
@permission_required("inmates.change_inmate", raise_exception=True)
def inmate_edit(request, pk):
    """Correct identity. A reason is required; a concurrent save is reported, not overwritten."""
    inmate = _visible_inmate(request, pk)
    draft = Inmate.objects.get(pk=inmate.pk)  # the form writes onto this copy, not onto `inmate`
    if request.method == "POST":
        form = InmateIdentityForm(request.POST, instance=draft)
        if form.is_valid():
            try:
                services.update_inmate(inmate, actor=request.user, reason=form.cleaned_data["reason"],
                                       expected_version=form.cleaned_data["version"], **form.changes())
            except ConflictError as conflict:
                form.add_error(None, str(conflict))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("L'identité a été corrigée."))
                return redirect(_file_url(inmate.pk))
    else:
        services.open_inmate_file(inmate.pk, actor=request.user)  # the identity shown: an audited read
        form = InmateIdentityForm(instance=draft, initial={"version": inmate.version})
    return form_page(request, title=_("Corriger l'identité"), forms=[form], inmate=inmate,
                     custody=_person_custody(inmate),
                     intro=_("L'ancienne valeur et le motif sont conservés dans le journal d'audit."))


@require_http_methods(["GET", "POST"])
@permission_required("inmates.change_inmate", raise_exception=True)
def age_verify(request, pk):
    """Record how the age of a possible minor was established; the flag then ends."""
    inmate = _visible_inmate(request, pk)
    form = AgeVerificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.verify_age(inmate, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("La vérification de l'âge a été enregistrée."))
            return redirect(_file_url(inmate.pk))
    return form_page(request, title=_("Vérifier l'âge"), forms=[form], inmate=inmate,
                     custody=_person_custody(inmate),
                     intro=_("Âge estimé pouvant être inférieur à 18 ans : la personne doit être séparée des "
                             "majeurs si elle est mineure (Règle Nelson Mandela 11)."))


@require_http_methods(["GET", "POST"])
@permission_required("inmates.add_alias", raise_exception=True)
def alias_add(request, pk):
    inmate = _visible_inmate(request, pk)
    form = AliasForm(request.POST or None, instance=Alias(inmate=inmate))
    if request.method == "POST" and form.is_valid():
        try:
            services.add_alias(inmate, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("L'autre nom a été ajouté."))
            return redirect(_file_url(inmate.pk))
    return form_page(request, title=_("Ajouter un autre nom"), forms=[form], inmate=inmate,
                     custody=_person_custody(inmate))


@require_http_methods(["GET", "POST"])
@permission_required("inmates.add_relative", raise_exception=True)
def relative_add(request, pk):
    inmate = _visible_inmate(request, pk)
    form = RelativeForm(request.POST or None, instance=Relative(inmate=inmate))
    if request.method == "POST" and form.is_valid():
        try:
            services.add_relative(inmate, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Le parent ou contact a été ajouté."))
            return redirect(_file_url(inmate.pk))
    return form_page(request, title=_("Ajouter un parent ou un contact"), forms=[form], inmate=inmate,
                     custody=_person_custody(inmate),
                     intro=_("Pour un enfant, indiquez son âge, où il se trouve et qui en a la charge."))


@require_http_methods(["GET", "POST"])
@permission_required("inmates.add_priorcustody", raise_exception=True)
def prior_custody_add(request, pk):
    custody = _visible_custody(request, pk)
    form = PriorCustodyForm(request.POST or None, instance=PriorCustody(custody=custody))
    if request.method == "POST" and form.is_valid():
        try:
            services.record_prior_custody(custody, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("La garde antérieure a été ajoutée à la chaîne de détention."))
            return redirect(_file_url(custody.inmate_id))
    return form_page(request, title=_("Ajouter une garde antérieure"), forms=[form], inmate=custody.inmate,
                     custody=custody,
                     intro=_("Tout lieu de détention avant l'arrivée (police, gendarmerie, Sécurité d'État…) "
                             "compte dans la durée de détention."))


@require_http_methods(["GET", "POST"])
@permission_required("inmates.add_placement", raise_exception=True)
def placement_add(request, pk):
    """Place or move to a unit. Warnings (Rule 11, full unit) need a reason to confirm."""
    custody = _visible_custody(request, pk)
    form = PlacementForm(request.POST or None, custody=custody)
    warnings = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        warnings = services.placement_warnings(custody, data["unit"])
        try:
            services.place_in_unit(custody, unit=data["unit"], actor=request.user, at=data["at"],
                                   reason=data["reason"], override_reason=data["override_reason"])
        except ValidationError as error:
            if warnings and not data["override_reason"].strip():
                # The warnings are shown above the form; the field says what to do.
                form.add_error("override_reason", _("Indiquez le motif pour confirmer ce placement."))
            else:
                warnings = []
                add_service_errors(form, error)
        else:
            messages.success(request, _("Le placement a été enregistré."))
            return redirect(_file_url(custody.inmate_id))
    current = custody.placements.current().select_related("unit").first()
    intro = (_("Placement actuel : %(unit)s.") % {"unit": current.unit} if current
             else _("Aucun placement en cours."))
    return render(request, "inmates/placement_form.html", {
        "title": _("Placer ou déplacer dans une unité"), "forms": [form], "inmate": custody.inmate,
        "custody": custody, "warnings": warnings, "intro": intro,
        "submit": _("Confirmer le placement") if warnings else _("Enregistrer"),
        "cancel_url": _file_url(custody.inmate_id),
    })


# --- Movements: transfers, cell moves, releases, separation ------------------------------


def facility_or_404(request, pk):
    """A facility the user serves, or 404."""
    return get_object_or_404(Facility.objects.visible_to(request.user), pk=pk)


def custody_or_404(request, pk):
    """A custody of a facility the user serves, or 404."""
    return get_object_or_404(Custody.objects.visible_to(request.user).select_related("inmate", "facility"), pk=pk)


def placement_in_force(custody):
    return custody.placements.filter(ended_at__isnull=True).select_related("unit").first()


def life_url(custody):
    return reverse("life:custody_life", args=[custody.pk])


PAGE_SIZE = 50


def _transfers():
    return Transfer.objects.select_related("custody__inmate", "custody__facility", "from_facility", "to_facility",
                                           "requested_by")


@require_GET
@permission_required("inmates.view_transfer", raise_exception=True)
def transfer_list(request, pk):
    """Outgoing and incoming transfers of a prison: the receiving prison sees the arrival coming."""
    facility = facility_or_404(request, pk)
    show_closed = request.GET.get("tous") == "1"
    base = _transfers() if show_closed else _transfers().open()
    incoming, outgoing = base.incoming(facility), base.outgoing(facility)
    record_rows(request.user, kind=_("transferts d'un établissement"), query=request.GET,
                queryset=incoming | outgoing, target=facility, facility_id=facility.pk)
    return render(request, "inmates/transfer_list.html", {
        "facility": facility, "show_closed": show_closed,
        "incoming": incoming[:200], "outgoing": outgoing[:200],
    })


@require_http_methods(["GET", "POST"])
@permission_required("inmates.add_transfer", raise_exception=True)
def transfer_request(request, pk):
    custody = custody_or_404(request, pk)
    form = TransferRequestForm(request.POST or None, custody=custody)
    if request.method == "POST" and form.is_valid():
        transfer = call_service(form, lambda: movements.request_transfer(custody, actor=request.user, **form.cleaned_data))
        if transfer:
            messages.success(request, _("Le transfert est demandé ; il attend l'approbation de la direction."))
            return redirect("life:transfer_detail", transfer.pk)
    return record_form_page(request, title=_("Demander un transfert"), form=form, custody=custody,
                      cancel_url=life_url(custody),
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
    return render(request, "inmates/transfer_detail.html", {
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
        movements.approve_transfer(transfer, actor=request.user)
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
    if form.is_valid() and call_service(form, lambda: movements.depart_transfer(transfer, actor=request.user,
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
        elif call_service(form, lambda: movements.arrive_transfer(transfer, actor=request.user, **data)):
            messages.success(request, _("Arrivée enregistrée : la personne est inscrite dans cet établissement."))
            return redirect("life:transfer_detail", transfer.pk)
    return _transfer_page(request, transfer, forms={"arrive": form}, warnings=warnings)


@require_POST
@permission_required("inmates.change_transfer", raise_exception=True)
def transfer_cancel(request, pk):
    transfer = _transfer_for_step(request, pk)
    form = ReasonForm(request.POST)
    if form.is_valid() and call_service(form, lambda: movements.cancel_transfer(transfer, actor=request.user,
                                                                          reason=form.cleaned_data["reason"])):
        messages.success(request, _("Transfert annulé."))
        return redirect("life:transfer_detail", transfer.pk)
    return _transfer_page(request, transfer, forms={"cancel": form})


@require_http_methods(["GET", "POST"])
@permission_required("inmates.add_placement", raise_exception=True)
def cell_move(request, pk):
    """Move to another cell: warnings (full unit, Rule 11 mixes) shown, a reason always recorded."""
    custody = custody_or_404(request, pk)
    current = placement_in_force(custody)
    form = CellMoveForm(request.POST or None, custody=custody, current_unit_id=current.unit_id if current else None)
    warnings = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        warnings = services.placement_warnings(custody, data["unit"])
        if warnings and not data["override_reason"].strip():
            form.add_error("override_reason", _("Indiquez le motif pour confirmer ce placement."))
        elif call_service(form, lambda: movements.move_to_unit(custody, actor=request.user, **data)):
            messages.success(request, _("Le déplacement a été enregistré."))
            return redirect(life_url(custody))
    intro = (_("Cellule actuelle : %(unit)s.") % {"unit": current.unit} if current
             else _("Aucun placement en cours."))
    return record_form_page(request, title=_("Changer de cellule"), form=form, custody=custody, warnings=warnings,
                      cancel_url=life_url(custody), intro=intro,
                      submit=_("Confirmer le déplacement") if warnings else None)


@require_http_methods(["GET", "POST"])
@permission_required("inmates.add_release", raise_exception=True)
def release_form(request, pk):
    custody = custody_or_404(request, pk)
    form = ReleaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        record = call_service(form, lambda: movements.release(custody, actor=request.user, **form.cleaned_data))
        if record:
            messages.success(request, _("La sortie est enregistrée. Imprimez le reçu et l'extrait du dossier."))
            return redirect("life:release_receipt", record.pk)
    intro = _("Les effets se restituent contre un reçu signé (Règle 67) ; la personne reçoit un "
              "extrait de son dossier (Règle 9).")
    return record_form_page(request, title=_("Enregistrer une sortie"), form=form, custody=custody,
                            cancel_url=life_url(custody), intro=f"{intro} {_reintegration_step(request.user, custody)}")


def _reintegration_step(user, custody) -> str:
    """The release step's line on the reintegration checklist (followup), through the custody's
    reverse relation: the points not yet settled, for those who may read it."""
    if not user.has_perm("followup.view_reintegrationchecklist"):
        return ""
    checklist = getattr(custody, "reintegration_checklist", None)  # None when there is none
    if checklist is None:
        return _("Aucune préparation à la sortie n'a été ouverte pour cette personne.")
    left = [item.get_topic_display() for item in checklist.items.filter(done_on__isnull=True)]
    if not left:
        return _("Préparation à la sortie : tous les points sont réglés.")
    return _("Préparation à la sortie : points non réglés — %(p)s.") % {"p": ", ".join(str(x) for x in left)}


@require_GET
@permission_required("inmates.view_release", raise_exception=True)
def release_receipt(request, pk):
    """Printable: the release receipt (property returned) and the file extract handed over."""
    record = reads.open_release(pk, actor=request.user, export=True)
    custody = record.custody
    return render(request, "inmates/release_receipt.html", {
        "release": record, "custody": custody, "inmate": custody.inmate,
        "placements": custody.placements.select_related("unit").order_by("started_at"),
        "transfers": custody.transfers.filter(status=TransferStatus.ARRIVED).select_related(
            "from_facility", "to_facility").order_by("arrived_at"),
        "prior_custodies": custody.prior_custodies.all(),
        "registry": getattr(getattr(custody, "intake", None), "registry", None) if hasattr(custody, "intake")
        else None,
    })


@require_GET
@permission_required("inmates.view_placement", raise_exception=True)
def separation(request, pk):
    facility = facility_or_404(request, pk)
    rows = separation_rows(facility)
    return render(request, "inmates/separation.html", {
        "facility": facility, "rows": rows, "mixed": [r for r in rows if r["mixes"]],
    })


@require_GET
@permission_required("inmates.view_placement", raise_exception=True)
def placement_history(request, pk):
    """Every placement of one custody (cell moves with their reasons)."""
    custody, placements = reads.open_placement_history(pk, actor=request.user)
    return render(request, "inmates/placement_history.html", {
        "custody": custody, "inmate": custody.inmate, "placements": placements})
