"""The visitors' register and the visiting days (lawyers: any day, Rules 58–61 and 119)."""


from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditAction
from accounts.services import record_audit
from core.access import require_serves
from core.clock import moment
from detention.models import (
    FacilityVisitingRule,
    Visit,
    Visitor,
    VisitorKind,
    Weekday,
)
from inmates.services import lock_custody, require_current, require_not_in_transit


def visiting_refusal(facility, kind: str, moment) -> str | None:
    """Why a visit of `kind` at `moment` is refused (outside visiting days), or None.
    Lawyers are received every day (Rules 61 and 119)."""
    if kind == VisitorKind.LAWYER:
        return None
    days = FacilityVisitingRule.days_for(facility)
    if timezone.localtime(moment).weekday() in days:
        return None
    names = ", ".join(str(Weekday(d).label) for d in days) or _("aucun jour")
    return _("Visite refusée : les visites ont lieu le %(days)s dans cet établissement. "
             "Seuls les avocats sont reçus tous les jours.") % {"days": names}


VISITOR_FIELDS = ("last_name", "first_name", "id_document_kind", "id_document_number", "phone", "organisation")


@transaction.atomic
def record_visit(custody, *, visitor: dict, kind: str, arrived_at=None, relation: str = "",
                 items_brought: str = "", notes: str = "", left_at=None, exception_reason: str = "",
                 actor) -> Visit:
    """Enter a visit in the register. Outside the prison's visiting days, only lawyers, unless the
    direction authorises an exception: the actor holds `detention.authorise_visit_exception` and
    gives the reason (a funeral, a family member come from far); the register names them."""
    custody = lock_custody(custody)
    require_serves(actor, custody.facility_id)
    require_current(custody)
    require_not_in_transit(custody)
    arrived_at = moment(arrived_at, "arrived_at")
    refusal = visiting_refusal(custody.facility, kind, arrived_at)
    exception_reason = (exception_reason or "").strip()
    authorised_by = None
    if refusal and not exception_reason:
        raise ValidationError({"arrived_at": refusal + " " + _(
            "La direction peut autoriser une exception, motivée.")}, code="not_a_visiting_day")
    if refusal:
        if not actor.has_perm("detention.authorise_visit_exception"):
            raise PermissionDenied(_("Seule la direction de l'établissement autorise une visite hors des "
                                     "jours de visite."))
        authorised_by = actor
    elif exception_reason:
        raise ValidationError({"exception_reason": _(
            "Ce jour est un jour de visite (ou le visiteur est avocat) : aucune exception n'est à autoriser.")})
    data = {k: (visitor.get(k) or "").strip() for k in VISITOR_FIELDS}
    person = Visitor.objects.filter(id_document_kind=data["id_document_kind"],
                                    id_document_number__iexact=data["id_document_number"]).first()
    if person is None:
        person = Visitor(**data)
        person.full_clean()
        person.save()
    visit = Visit(facility=custody.facility, custody=custody, visitor=person, kind=kind, relation=relation,
                  arrived_at=arrived_at, left_at=left_at, items_brought=items_brought, notes=notes,
                  exception_authorised_by=authorised_by, exception_reason=exception_reason if refusal else "",
                  recorded_by=actor)
    visit.full_clean()
    visit.save()
    changes = {"visitor": [None, str(person)], "kind": [None, kind], "arrived_at": [None, str(arrived_at)]}
    if authorised_by:
        changes["exception_authorised_by"] = [None, str(authorised_by)]
        changes["exception_reason"] = [None, exception_reason]
    record_audit(AuditAction.CREATE, target=visit, actor=actor, inmate_id=custody.inmate_id,
                 facility_id=custody.facility_id, changes=changes,
                 reason=_("Visite hors des jours de visite : %(why)s") % {"why": exception_reason}
                 if authorised_by else "")
    return visit


@transaction.atomic
def end_visit(visit, *, actor, left_at=None) -> Visit:
    """Record the time the visitor left."""
    visit = Visit.objects.select_for_update(of=("self",)).select_related("custody").get(pk=visit.pk)
    require_serves(actor, visit.facility_id)
    if visit.left_at:
        raise ValidationError(_("La sortie de ce visiteur est déjà enregistrée."))
    left_at = moment(left_at, "left_at")
    if left_at < visit.arrived_at:
        raise ValidationError({"left_at": _("La sortie ne peut précéder l'entrée.")})
    visit.left_at = left_at
    visit.save(update_fields=["left_at"])
    record_audit(AuditAction.UPDATE, target=visit, actor=actor, inmate_id=visit.custody.inmate_id,
           facility_id=visit.facility_id, changes={"left_at": [None, str(left_at)]})
    return visit


@transaction.atomic
def set_visiting_days(facility, *, days, actor, notes: str = "") -> FacilityVisitingRule:
    """Set the days on which a prison receives (non-lawyer) visitors."""
    require_serves(actor, facility.pk)
    rule = FacilityVisitingRule.objects.select_for_update().filter(facility=facility).first()
    old = sorted(rule.visiting_days) if rule else list(FacilityVisitingRule.days_for(facility))
    rule = rule or FacilityVisitingRule(facility=facility)
    rule.visiting_days = sorted({int(d) for d in days})
    rule.notes, rule.updated_by = notes, actor
    if not rule.visiting_days:
        raise ValidationError({"visiting_days": _("Choisissez au moins un jour de visite.")})
    rule.full_clean()
    rule.save()
    record_audit(AuditAction.UPDATE, target=rule, actor=actor, inmate_id=None, facility_id=facility.pk,
           changes={"visiting_days": [old, rule.visiting_days]})
    return rule
