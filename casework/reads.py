"""Read services of the legal side: each returns a record the actor may see and records the reading.

Called alike by the pages, the API (`retrieve`) and the admin (change view): the role's view
permission (403 otherwise), the user's prisons through the case (another prison's record: 404),
then one VIEW entry naming the record and the person it concerns.
"""

from django.utils.translation import gettext as _

from accounts.reads import open_record
from casework.models import Case, CaseDeadline, Charge, DeadlineAlert, DetentionOrder, Hearing, Judgment

_PERSON = ("case__custody__inmate", "case__custody__facility")


def _open_part_of_case(model, pk, *, actor, not_found=None):
    queryset = model.objects.filter(case__in=Case.objects.visible_to(actor)).select_related(*_PERSON)
    return open_record(queryset, pk, actor=actor, permission=f"casework.view_{model._meta.model_name}",
                       person="case.custody.inmate_id", facility="case.custody.facility_id",
                       not_found=not_found or _("Aucun enregistrement ne correspond."))


def open_case(pk, *, actor) -> Case:
    queryset = Case.objects.visible_to(actor).select_related("court", "custody__inmate", "custody__facility")
    return open_record(queryset, pk, actor=actor, permission="casework.view_case", person="custody.inmate_id",
                       facility="custody.facility_id", not_found=_("Aucune affaire ne correspond."))


def open_charge(pk, *, actor) -> Charge:
    """A charge (its legal class, its terrorism qualification, its status)."""
    return _open_part_of_case(Charge, pk, actor=actor, not_found=_("Aucun chef d'inculpation ne correspond."))


def open_alert(pk, *, actor) -> DeadlineAlert:
    """A detention alert (who is held past which deadline), scoped by its stay: an alert on the
    stay itself (no detention order, held without a title) has no case."""
    queryset = DeadlineAlert.objects.visible_to(actor).select_related("custody__inmate", "custody__facility")
    return open_record(queryset, pk, actor=actor, permission="casework.view_deadlinealert",
                       person="custody.inmate_id", facility="custody.facility_id",
                       not_found=_("Aucune alerte ne correspond."))


def open_detention_order(pk, *, actor) -> DetentionOrder:
    return _open_part_of_case(DetentionOrder, pk, actor=actor)


def open_hearing(pk, *, actor) -> Hearing:
    return _open_part_of_case(Hearing, pk, actor=actor)


def open_judgment(pk, *, actor) -> Judgment:
    return _open_part_of_case(Judgment, pk, actor=actor)


def open_case_deadline(pk, *, actor) -> CaseDeadline:
    return _open_part_of_case(CaseDeadline, pk, actor=actor)
