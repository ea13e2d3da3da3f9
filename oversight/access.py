"""Who may read which report, for which prisons; one audited door for pages, API and exports.

A prison outside the reader's own is a 404 (its existence is not confirmed); a role without
`oversight.view_reports` is refused earlier (403) by the views.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import AuditAction
from accounts.services import record_audit
from prisons.models import Facility

from . import profiles, register, reports

REPORTS = {
    "occupancy": gettext_lazy("Occupation et surpopulation"),
    "roll": gettext_lazy("Appel du soir (effectif par unité)"),
    "separation": gettext_lazy("Séparation des catégories (Règle 11)"),
    "activities": gettext_lazy("Accès aux activités par catégorie"),
    "profiles": gettext_lazy("Profils des personnes détenues pour terrorisme"),
    "register": gettext_lazy("Registre des personnes privées de liberté (CIPPDF art. 17.3)"),
}
# Reports that take a day; the profiles always describe the people held today (comparing two
# days' tables would single out the people who arrived or left in between).
DATED = {"occupancy", "roll", "separation", "register"}
# Reports of one prison (the chosen one, or the reader's only one).
ONE_PRISON = {"roll", "register"}
# The permission each report needs: the oversight reports are the direction's and DNAPES's;
# the evening roll is also the registry's and the security officers' (printed for the door).
PERMISSIONS = {key: "oversight.view_reports" for key in REPORTS} | {"roll": "oversight.view_roll"}


def may_read(user, key: str) -> bool:
    return user.is_authenticated and key in PERMISSIONS and user.has_perm(PERMISSIONS[key])


def readable(user) -> dict:
    """The reports this reader may open, {key: title}, in the menu's order."""
    return {key: title for key, title in REPORTS.items() if may_read(user, key)}


class Scope:
    """The prisons a report covers for this reader, and the day."""

    def __init__(self, user, *, facility=None, day=None):
        self.user = user
        self.facility = facility
        self.day = day or timezone.localdate()
        visible = user.visible_facility_ids()
        if facility is not None:
            self.facility_ids = [facility.pk]
        else:
            self.facility_ids = None if visible is None else sorted(visible)

    @property
    def national(self):
        return self.facility_ids is None


def resolve_scope(user, params: dict) -> Scope:
    """The reader's scope from validated filters; another prison's id is a 404."""
    facility = None
    if params.get("etablissement"):
        facility = get_object_or_404(Facility.objects.visible_to(user), pk=params["etablissement"])
    return Scope(user, facility=facility, day=params.get("date"))


def roll_facility(scope: Scope):
    """The roll and the register are one prison's: the chosen one, or the reader's only one."""
    if scope.facility is not None:
        return scope.facility
    if scope.facility_ids is not None and len(scope.facility_ids) == 1:
        return Facility.objects.get(pk=scope.facility_ids[0])
    raise ValidationError({"etablissement": [_("Choisissez un établissement.")]})


def build(key: str, scope: Scope) -> dict:
    if key == "occupancy":
        return reports.occupancy(facility_ids=scope.facility_ids, day=scope.day)
    if key == "roll":
        return reports.roll(roll_facility(scope), day=scope.day)
    if key == "separation":
        return reports.separation(facility_ids=scope.facility_ids, day=scope.day)
    if key == "activities":
        return reports.activities(facility_ids=scope.facility_ids)
    if key == "profiles":
        return profiles.profiles(facility_ids=scope.facility_ids)
    if key == "register":
        return register.custody_register(roll_facility(scope), day=scope.day)
    raise KeyError(key)


def read_report(key: str, scope: Scope, *, export_format: str = "") -> dict:
    """Build a report and record who read (or exported) it, for which prisons and day."""
    if not may_read(scope.user, key):
        raise PermissionDenied
    data = build(key, scope)
    facility = scope.facility
    if facility is None and key in ONE_PRISON:
        facility = roll_facility(scope)
    record_audit(
        AuditAction.EXPORT if export_format else AuditAction.VIEW, actor=scope.user, target=facility,
        facility_id=facility.pk if facility else None,
        reason=_("Rapport : %(r)s") % {"r": REPORTS[key]},
        changes={"report": key, "format": export_format or "page",
                 "facilities": "national" if scope.national else scope.facility_ids,
                 "date": scope.day.isoformat() if key in DATED else ""},
    )
    return data
