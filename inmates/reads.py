"""Read services of this app: each returns a record the actor may see and records the reading.

One function per record kind, called alike by the page, the API (`retrieve`) and the admin (change
view): the role's view permission (403 otherwise), `.visible_to(actor)` (another prison's record,
or a confidential complaint the actor is not entitled to: 404), then one VIEW entry naming the
record and the person. The prisoner file itself is `services.open_inmate_file`.
"""

from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.reads import open_record, record_rows
from prisons.models import Unit

from .models import (
    Alias,
    Custody,
    Inmate,
    Placement,
    PriorCustody,
    Relative,
    Release,
    Transfer,
)

PERSON_FIELDS = ("custody__inmate", "custody__facility")  # who a record is about, for select_related

NOT_FOUND = _("Aucun enregistrement ne correspond.")

def open_release(pk, *, actor, export=False) -> Release:
    """A release record; `export`: the printed receipt and file extract (audited as an export)."""
    from accounts.models import AuditAction

    queryset = Release.objects.visible_to(actor).select_related(*PERSON_FIELDS, "recorded_by")
    return open_record(queryset, pk, actor=actor, permission="inmates.view_release",
                       person="custody.inmate_id", facility="custody.facility_id",
                       action=AuditAction.EXPORT if export else AuditAction.VIEW,
                       not_found=_("Aucune sortie ne correspond."))

def open_placement(pk, *, actor) -> Placement:
    queryset = Placement.objects.visible_to(actor).select_related(*PERSON_FIELDS, "unit", "created_by")
    return open_record(queryset, pk, actor=actor, permission="inmates.view_placement",
                       person="custody.inmate_id", facility="unit.facility_id", not_found=NOT_FOUND)

def open_transfer(pk, *, actor) -> Transfer:
    queryset = Transfer.objects.visible_to(actor).select_related(*PERSON_FIELDS, "from_facility", "to_facility")
    return open_record(queryset, pk, actor=actor, permission="inmates.view_transfer",
                       person="custody.inmate_id", facility="custody.facility_id", not_found=NOT_FOUND)

def open_custody(pk, *, actor, permission="inmates.view_custody", reason="") -> Custody:
    """A stay (custody life, placement history): a part of the prisoner file."""
    queryset = Custody.objects.visible_to(actor).select_related("inmate", "facility")
    return open_record(queryset, pk, actor=actor, permission=permission, person="inmate_id",
                       facility="facility_id", reason=reason, not_found=_("Aucun séjour ne correspond."))

def open_placement_history(custody_pk, *, actor):
    """Every placement of one stay (cell moves and their reasons): one VIEW entry on the stay."""
    custody = open_custody(custody_pk, actor=actor, permission="inmates.view_placement",
                           reason=_("Historique des placements"))
    return custody, Placement.objects.filter(custody=custody).select_related("unit", "created_by")

def list_unit_occupants(unit_pk, *, actor, query):
    """Who is in a unit now: one LIST entry on the unit (the query, how many people)."""
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    if not actor.has_perm("inmates.view_inmate"):
        raise PermissionDenied(_("Vous n'avez pas accès à ces données."))
    unit = Unit.objects.visible_to(actor).select_related("facility", "parent").filter(pk=unit_pk).first()
    if unit is None:
        raise Http404(_("Aucune unité ne correspond."))
    # A building's occupants are the people of its cells too.
    occupants = (Custody.objects.filter(Q(placements__unit=unit) | Q(placements__unit__parent=unit),
                                        placements__ended_at__isnull=True)
                 .select_related("inmate").order_by("inmate__last_name", "inmate__first_name", "pk"))
    record_rows(actor, kind=_("occupants d'une unité"), query=query, queryset=occupants, person_field="inmate_id",
                target=unit, facility_id=unit.facility_id)
    return unit, occupants

def open_alias(pk, *, actor) -> Alias:
    queryset = Alias.objects.filter(inmate__in=Inmate.objects.visible_to(actor)).select_related("inmate")
    return open_record(queryset, pk, actor=actor, permission="inmates.view_alias", person="inmate_id",
                       facility=None, not_found=NOT_FOUND)

def open_relative(pk, *, actor) -> Relative:
    queryset = Relative.objects.filter(inmate__in=Inmate.objects.visible_to(actor)).select_related("inmate")
    return open_record(queryset, pk, actor=actor, permission="inmates.view_relative", person="inmate_id",
                       facility=None, not_found=NOT_FOUND)

def open_prior_custody(pk, *, actor) -> PriorCustody:
    queryset = PriorCustody.objects.filter(custody__in=Custody.objects.visible_to(actor)).select_related(*PERSON_FIELDS)
    return open_record(queryset, pk, actor=actor, permission="inmates.view_priorcustody",
                       person="custody.inmate_id", facility="custody.facility_id", not_found=NOT_FOUND)
