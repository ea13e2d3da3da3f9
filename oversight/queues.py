"""What is waiting for the signed-in member of staff: one work queue per task of their role.

Each queue is a count and a link to the list that shows the same records, filtered (the link
opens a page that exists and applies the filter the count used). Counts are scoped like every
read (`.visible_to(user)`, one prison at a time for a prison's staff, the whole country for
national staff) and follow need-to-know: the medical step's queue is counted for medical staff
only (`need_to_know.can_read_medical`), allegations for the direction and DNAPES only.

A count is not a read of anyone's file (no name, no row): the list it links to records its own
read when opened. Used by the home page and GET /api/v1/me/queues/.
"""

from dataclasses import asdict, dataclass
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import need_to_know
from accounts.roles import Role
from casework.models import AlertKind, DeadlineAlert
from detention.models import (
    Classification,
    Complaint,
    DisciplinaryCharge,
    IsolationPlacement,
    SeriousIncident,
    UseOfForce,
)
from inmates.models import Custody, CustodyStatus, Placement, Transfer
from intake.models import STEP_SLUGS, Intake, Presentation, PresentationOutcome, Step
from prisons.models import Facility


@dataclass
class Queue:
    key: str
    label: str
    count: int
    url: str
    facility: str = ""  # the prison's code; empty for a national queue
    facility_name: str = ""
    urgent: bool = False  # shown first and highlighted while the count is not zero

    def as_dict(self):
        data = asdict(self)
        data["label"] = str(self.label)
        return data


def _url(name, *args, **query):
    url = reverse(name, args=args)
    query = {k: v for k, v in query.items() if v not in (None, "")}
    return f"{url}?{urlencode(query)}" if query else url


# The intake step each role carries out, and its queue's label.
ROLE_STEPS = {
    Role.SECURITY: [Step.SECURITY],
    Role.CLERK: [Step.ADMINISTRATION, Step.REGISTRY],
    Role.MEDICAL: [Step.MEDICAL],
    Role.SOCIAL: [Step.INTERVIEW],
}
STEP_LABELS = {
    Step.SECURITY: _("Arrivées en attente de l'étape sécurité (fouille, règlement)"),
    Step.ADMINISTRATION: _("Arrivées en attente de l'administration (identité, photo, empreintes)"),
    Step.REGISTRY: _("Arrivées en attente du greffe (inventaire des effets)"),
    Step.MEDICAL: _("Examens médicaux d'entrée en attente"),
    Step.INTERVIEW: _("Entretiens sociaux d'entrée en attente"),
}


def my_steps(user) -> list:
    """The intake steps the user's roles carry out (the medical step for medical staff only)."""
    steps = []
    for role in user.roles:
        for step in ROLE_STEPS.get(role, ()):
            if step == Step.MEDICAL and not need_to_know.can_read_medical(user):
                continue
            if step not in steps and user.has_perm(f"intake.complete_{STEP_SLUGS[step]}"):
                steps.append(step)
    return sorted(steps)


def _intake_queues(user, facility, roles):
    queues = []
    steps = my_steps(user)
    waiting = {}
    if steps:  # one query for every step of the role
        waiting = dict(
            Intake.objects.visible_to(user)
            .in_progress()
            .filter(facility=facility)
            .values_list("last_step")
            .annotate(n=Count("id"))
            .order_by()
        )
    for step in steps:
        queues.append(
            Queue(
                f"intake_{STEP_SLUGS[step]}",
                STEP_LABELS[step],
                waiting.get(step - 1, 0),
                _url("intake:intake_list", facility=facility.code, etape=STEP_SLUGS[step]),
            )
        )
    if Role.DIRECTOR in roles and user.has_perm("intake.view_intake"):
        queues.append(
            Queue(
                "intake_stalled",
                _("Écrous bloqués (aucune étape depuis plus de 24 h)"),
                Intake.objects.visible_to(user).stalled().filter(facility=facility).count(),
                _url("intake:intake_list", facility=facility.code, bloques=1),
                urgent=True,
            )
        )
    return queues


def _alerts(user, **filters):
    return DeadlineAlert.objects.visible_to(user).open().filter(**filters)


def _alert_counts(user, facility):
    """Open alerts by kind, in one query per prison (per reader: cached on the user object)."""
    cache = user.__dict__.setdefault("_queue_alert_counts", {})
    key = facility.pk if facility is not None else None
    if key not in cache:
        qs = _alerts(user)
        if facility is not None:
            qs = qs.filter(custody__facility=facility)
        cache[key] = dict(qs.values_list("kind").annotate(n=Count("id")).order_by())
    return cache[key]


def _alert_queue(user, key, label, kinds, facility=None, urgent=False):
    counts = _alert_counts(user, facility)
    return Queue(
        key,
        label,
        sum(counts.get(kind, 0) for kind in kinds),
        _url("deadlines:alert_list", facility=facility.pk if facility else None, kind=kinds[0]),
        urgent=urgent,
    )


def _clerk_queues(user, facility):
    queues = []
    if user.has_perm("casework.view_deadlinealert"):
        queues += [
            _alert_queue(
                user,
                "orders_expiring",
                _("Titres de détention arrivant à échéance"),
                [AlertKind.APPROACHING],
                facility,
            ),
            _alert_queue(
                user,
                "releases_due",
                _("Décisions de libération reçues : sorties à exécuter"),
                [AlertKind.RELEASE_DUE],
                facility,
                urgent=True,
            ),
            _alert_queue(
                user,
                "releases_late",
                _("Sorties en retard sur la décision de libération"),
                [AlertKind.LATE_RELEASE],
                facility,
                urgent=True,
            ),
        ]
    if user.has_perm("inmates.change_transfer"):
        transfers = Transfer.objects.visible_to(user)
        queues += [
            Queue(
                "transfers_to_depart",
                _("Transferts approuvés : départs à enregistrer"),
                transfers.outgoing(facility).filter(status="approved").count(),
                _url("life:transfer_list", facility.pk),
            ),
            Queue(
                "transfers_to_receive",
                _("Transferts en route vers l'établissement : arrivées à recevoir"),
                transfers.incoming(facility).filter(status="departed").count(),
                _url("life:transfer_list", facility.pk),
            ),
        ]
    return queues


def _security_queues(user, facility):
    queues = []
    if user.has_perm("inmates.add_placement"):
        unplaced = (
            Custody.objects.visible_to(user)
            .filter(facility=facility, status=CustodyStatus.HELD)
            .exclude(pk__in=Placement.objects.current().values("custody_id"))
        )
        queues.append(
            Queue(
                "unplaced",
                _("Personnes détenues sans cellule attribuée"),
                unplaced.count(),
                _url("inmates:inmate_list", facility=facility.pk, sans_cellule="on"),
            )
        )
    if user.has_perm("detention.add_classification"):
        overdue = (
            Classification
            .objects.visible_to(user)
            .review_overdue(on=timezone.localdate())
            .filter(custody__facility=facility)
        )
        queues.append(
            Queue(
                "classification_reviews",
                _("Révisions de classement en retard"),
                overdue.count(),
                _url("life:classification_list", facility.pk, en_retard=1),
            )
        )
    return queues


def _complaint_queues(user, facility, roles):
    queues = []
    if not user.has_perm("detention.view_complaint"):
        return queues
    complaints = Complaint.objects.visible_to(user).filter(facility=facility)
    queues.append(
        Queue(
            "complaints_addressed",
            _("Plaintes qui vous sont adressées, en attente de réponse"),
            complaints.filter(addressed_to=user, status="open").count(),
            _url("life:complaint_list", facility.pk, etat="open"),
        )
    )
    if Role.DIRECTOR in roles:
        queues.append(
            Queue(
                "complaints_overdue",
                _("Plaintes sans réponse après l'échéance (Règle 57)"),
                complaints.overdue().count(),
                _url("life:complaint_list", facility.pk, etat="overdue"),
                urgent=True,
            )
        )
    if Role.DIRECTOR in roles and need_to_know.can_read_allegations(user):
        queues.append(
            Queue(
                "allegations_not_referred",
                _("Allégations de mauvais traitements non transmises à une autorité"),
                complaints.filter(is_allegation=True, referred_at__isnull=True).count(),
                _url("life:complaint_list", facility.pk, etat="allegations"),
                urgent=True,
            )
        )
    return queues


def _register_queues(user, facility):
    """The inspector's registers (issue 14): what waits in them for this member of staff."""
    queues = []
    if user.has_perm("detention.decide_disciplinarycharge"):
        queues.append(Queue(
            "discipline_to_decide", _("Poursuites disciplinaires entendues, à décider"),
            DisciplinaryCharge.objects.visible_to(user).filter(
                incident__facility=facility, heard_at__isnull=False, decided_at__isnull=True).count(),
            _url("life:discipline_list", facility.pk)))
    if user.has_perm("detention.record_isolation_visit"):
        today = timezone.localdate()
        queues.append(Queue(
            "isolation_visits_due", _("Personnes à l'isolement sans visite médicale aujourd'hui (Règle 46)"),
            IsolationPlacement.objects.visible_to(user).open().filter(facility=facility)
            .exclude(visits__visited_at__date=today).count(),
            _url("life:isolation_list", facility.pk), urgent=True))
    if user.has_perm("detention.examine_useofforce"):
        queues.append(Queue(
            "force_without_examination", _("Usages de la force sans examen médical"),
            UseOfForce.objects.visible_to(user).filter(facility=facility, examined_at__isnull=True).count(),
            _url("life:force_list", facility.pk), urgent=True))
    if user.has_perm("detention.review_useofforce"):
        queues.append(Queue(
            "force_not_reported", _("Usages de la force non encore rapportés à la direction"),
            UseOfForce.objects.visible_to(user).filter(facility=facility, reported_at__isnull=True).count(),
            _url("life:force_list", facility.pk)))
    if user.has_perm("detention.change_seriousincident"):
        queues.append(Queue(
            "incidents_authority", _("Incidents graves : autorité judiciaire à informer (Règle 71)"),
            SeriousIncident.objects.visible_to(user).authority_required()
            .filter(facility=facility, authority_informed_at__isnull=True).count(),
            _url("life:incident_list", facility.pk), urgent=True))
    return queues


def _director_queues(user, facility):
    queues = []
    if user.has_perm("inmates.approve_transfer"):
        queues.append(
            Queue(
                "transfers_to_approve",
                _("Demandes de transfert à approuver"),
                Transfer
                .objects.visible_to(user)
                .outgoing(facility)
                .filter(status="requested")
                .count(),
                _url("life:transfer_list", facility.pk),
            )
        )
    if need_to_know.role_grants(user, "intake.decide_presentation"):
        presentations = Presentation.objects.visible_to(user).filter(facility=facility)
        queues += [
            Queue(
                "presentations_pending",
                _("Personnes présentées sans titre : décision à prendre"),
                presentations.filter(outcome=PresentationOutcome.PENDING).count(),
                _url("intake:presentation_list", facility=facility.code, outcome="pending"),
                urgent=True,
            ),
            Queue(
                "held_without_title",
                _("Personnes retenues sans titre valable (régularisation à obtenir)"),
                presentations.filter(outcome=PresentationOutcome.HELD).count(),
                _url("intake:presentation_list", facility=facility.code, outcome="held"),
                urgent=True,
            ),
        ]
    if user.has_perm("casework.view_deadlinealert"):
        queues += [
            _alert_queue(
                user,
                "detentions_overdue",
                _("Détentions provisoires en dépassement (avis art. 129)"),
                [AlertKind.OVERDUE],
                facility,
                urgent=True,
            ),
            _alert_queue(
                user,
                "detentions_beyond_maximum",
                _("Détentions au-delà de la durée maximale"),
                [AlertKind.BEYOND_MAXIMUM],
                facility,
                urgent=True,
            ),
        ]
    if user.has_perm("casework.view_releaseorder"):
        queues.append(
            _alert_queue(
                user,
                "releases_late",
                _("Sorties en retard sur la décision de libération"),
                [AlertKind.LATE_RELEASE],
                facility,
                urgent=True,
            )
        )
    return queues


def _national_queues(user):
    """DNAPES: the country's overdue detentions, late releases and people held without title."""
    queues = []
    if user.has_perm("casework.view_deadlinealert"):
        queues += [
            _alert_queue(
                user,
                "detentions_overdue",
                _("Détentions provisoires en dépassement (tous établissements)"),
                [AlertKind.OVERDUE],
                urgent=True,
            ),
            _alert_queue(
                user,
                "detentions_beyond_maximum",
                _("Détentions au-delà de la durée maximale"),
                [AlertKind.BEYOND_MAXIMUM],
                urgent=True,
            ),
            _alert_queue(
                user,
                "releases_late",
                _("Sorties en retard sur la décision de libération"),
                [AlertKind.LATE_RELEASE],
                urgent=True,
            ),
        ]
    if user.has_perm("intake.view_presentation"):
        queues.append(
            Queue(
                "held_without_title",
                _("Personnes retenues sans titre valable"),
                Presentation.objects.visible_to(user).filter(outcome=PresentationOutcome.HELD).count(),
                _url("intake:presentation_list", outcome="held"),
                urgent=True,
            )
        )
    if need_to_know.can_read_allegations(user):
        pending = (
            Complaint
            .objects.visible_to(user)
            .filter(is_allegation=True, referred_at__isnull=True)
            .values_list("facility_id")
            .order_by()
        )
        counts = {}
        for (facility_id,) in pending:
            counts[facility_id] = counts.get(facility_id, 0) + 1
        for facility in Facility.objects.filter(pk__in=counts).order_by("name"):
            queues.append(
                Queue(
                    "allegations_not_referred",
                    _("Allégations de mauvais traitements non transmises"),
                    counts[facility.pk],
                    _url("life:complaint_list", facility.pk, etat="allegations"),
                    facility.code,
                    facility.name,
                    urgent=True,
                )
            )
    return queues


def _followup_queues(user, facility):
    """The social service's and the direction's: the people whose release is foreseeable and who
    have no reintegration checklist yet (followup.services.due_for_checklist, the list it links to)."""
    from followup.services import due_for_checklist

    if not need_to_know.role_grants(user, "followup.change_reintegrationchecklist"):
        return []
    due = due_for_checklist(Custody.objects.filter(facility=facility))
    return [Queue("reintegration_due", _("Préparations à la sortie à ouvrir"), len(due),
                  _url("followup:due_list", facility.pk))]


def queues_for(user) -> list[Queue]:
    """Every work queue of `user`, in their prisons (nationally for DNAPES), urgent ones first."""
    if not user.is_authenticated or not user.is_active:
        return []
    user.__dict__.pop("_queue_alert_counts", None)  # counts of this request only
    roles = set(user.roles)
    if user.visible_facility_ids() is None:
        return _national_queues(user) if Role.DNAPES in roles else []
    queues = []
    for facility in Facility.objects.visible_to(user).order_by("name"):
        found = _intake_queues(user, facility, roles)
        if Role.CLERK in roles:
            found += _clerk_queues(user, facility)
        if Role.SECURITY in roles:
            found += _security_queues(user, facility)
        if roles & {Role.CLERK, Role.SECURITY, Role.MEDICAL, Role.SOCIAL, Role.DIRECTOR}:
            found += _complaint_queues(user, facility, roles)
        if Role.DIRECTOR in roles:
            found += _director_queues(user, facility)
        if roles & {Role.SECURITY, Role.MEDICAL, Role.DIRECTOR}:
            found += _register_queues(user, facility)
        if roles & {Role.SOCIAL, Role.DIRECTOR}:
            found += _followup_queues(user, facility)
        seen = set()
        for queue in found:
            if queue.key in seen:  # a clerk who is also director: one "late releases" queue
                continue
            seen.add(queue.key)
            queue.facility, queue.facility_name = facility.code, facility.name
            queues.append(queue)
    return sorted(queues, key=lambda q: (q.facility_name, not (q.urgent and q.count)))
