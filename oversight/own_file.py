"""A detainee's request to see their own file (Mandela Rule 9; Loi n°2013-015, LAW.md "Personal
data"), and the extract that answers it.

The request is recorded (who asked, when, by which channel, who received it) and answered (when,
by whom, the extract handed over or not). The extract is the person's own copy: the subject-access
export's assembly (`subject_access`), reduced to what the person may take away — identity, their
own relatives (names and relation, no addresses or telephones), stays and movements, cases,
orders, hearings, judgments and deadlines, the visits they received, the activities they followed
and the complaints they made themselves. Never another person's data (no visitor's identity, no
other detainee, no staff member's name), never security intelligence (classification and its
reasons, cell leadership, the admission search, transfer reasons and escorts, placement reasons),
never a staff-only note. Medical and social records are communicated by the medical and social
services themselves (need-to-know), not in this copy.

It needs casework (cases, deadlines), so it sits here at the top of the layers.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import AuditAction
from accounts.purposes import purpose_rows
from accounts.reads import open_record, record_rows
from accounts.services import record_audit
from casework.models import Case, CaseDeadline
from core.access import require_serves
from core.clock import moment
from detention.models import ComplainantKind, Complaint, Enrolment, Visit
from inmates.models import Custody, PriorCustody, Release, Transfer
from inmates.services import lock_custody

from .models import OwnFileRequest, OwnFileRequester, own_file_answer_days
from .subject_access import _display, _section

VIEW, ADD, ANSWER = ("oversight.view_ownfilerequest", "oversight.add_ownfilerequest",
                     "oversight.change_ownfilerequest")
EXTRACT_REASON = "Extrait du dossier remis à la personne (Règle 9)"

# What the person's copy shows of each record: a list of fields (the whitelist is the safeguard:
# a field added to a model later stays out of the copy until someone decides it belongs there).
OWN_FIELDS = {
    "inmate": ("prisoner_number", "last_name", "first_name", "father_name", "mother_name", "sex",
               "date_of_birth", "birth_year", "place_of_birth", "nationality", "languages"),
    "alias": ("name", "kind"),
    "relative": ("name", "relation", "is_next_of_kin", "is_emergency_contact"),
    # The legal status before the terrorism flag (presumption of innocence).
    "custody": ("facility", "status", "admitted_at", "released_at", "release_reason", "legal_status",
                "terrorism_related", "arresting_force", "arresting_unit", "arrested_at", "arrest_place",
                "committing_authority", "grounds"),
    "priorcustody": ("kind", "place", "authority", "started_at", "ended_at"),
    "placement": ("unit", "started_at", "ended_at"),
    "transfer": ("from_facility", "to_facility", "status", "requested_at", "departed_at", "arrived_at"),
    "release": ("reason", "authority", "order_reference", "order_received_at", "left_at", "property_returned",
                "file_extract_given"),
    "case": ("case_number", "court", "investigating_judge", "chamber", "prosecutor", "lawyer", "opened_on",
             "closed_on", "legal_status", "sentence_ends_on"),
    "charge": ("offence", "legal_class", "article", "status", "charged_on", "max_penalty_months"),
    "detentionorder": ("kind", "reference", "issued_on", "issued_by", "valid_until"),
    "hearing": ("date", "kind", "outcome", "adjourned_to"),
    "judgment": ("level", "decided_on", "verdict", "sentence_months", "life_sentence", "suspended", "fine_xof",
                 "sentence_starts_on", "appeal_filed_on", "appeal_by"),
    "casedeadline": ("start_on", "deadline_on", "max_on", "has_order"),
    "visit": ("kind", "relation", "arrived_at", "left_at"),
    "enrolment": ("activity", "started_on", "ended_on"),
    "complaint": ("received_at", "channel", "subject", "details", "status", "due_on", "answer", "answered_at",
                  "referral_authority", "referred_at", "closed_at"),
}
# Said in the copy, so that the person knows what is kept elsewhere and where to ask for it.
LEFT_OUT = (
    gettext_noop("Données médicales : communiquées par le service médical (secret médical)."),
    gettext_noop("Enquête et profil sociaux : communiqués par le service social."),
    gettext_noop("Classement de sécurité, fouilles, renseignements : non communicables (sécurité de "
                 "l'établissement)."),
)


# --- the register --------------------------------------------------------------------------------

def _require(actor, permission, message):
    if not (actor.is_authenticated and actor.is_active and actor.has_perm(permission)):
        raise PermissionDenied(message)


@transaction.atomic
def record_own_file_request(custody, *, channel: str, actor, requested_at=None,
                            requester: str = OwnFileRequester.DETAINEE, requester_name: str = "") -> OwnFileRequest:
    """Enter a request to see one's own file in the register; the member of staff who records it is
    the one who received it. A released person's request (Rule 9: a copy on release) is taken too."""
    _require(actor, ADD, _("Vous ne pouvez pas enregistrer de demande d'accès au dossier."))
    custody = lock_custody(custody)
    require_serves(actor, custody.facility_id)
    request = OwnFileRequest(
        facility=custody.facility, custody=custody, requester=requester, requester_name=(requester_name or "").strip(),
        channel=channel, requested_at=moment(requested_at, "requested_at"), received_by=actor)
    request.full_clean()
    request.save()
    record_audit(AuditAction.CREATE, actor=actor, target=request, inmate_id=custody.inmate_id,
                 facility_id=custody.facility_id,
                 changes={"requested_at": [None, request.requested_at.isoformat()], "channel": [None, channel],
                          "requester": [None, requester]})
    return request


@transaction.atomic
def answer_own_file_request(request, *, actor, extract_handed_over: bool, note: str = "",
                            answered_at=None) -> OwnFileRequest:
    """Record the answer (when, by whom, the extract handed over or not). Answered once; the
    extract itself is read through `own_file_extract` (audited)."""
    _require(actor, ANSWER, _("Seuls le greffe et la direction répondent aux demandes d'accès au dossier."))
    request = OwnFileRequest.objects.select_for_update(of=("self",)).select_related("custody").get(pk=request.pk)
    require_serves(actor, request.facility_id)
    if request.answered_at is not None:
        raise ValidationError(_("Cette demande a déjà reçu sa réponse."))
    if not extract_handed_over and not (note or "").strip():
        raise ValidationError({"answer_note": _("Indiquez pourquoi l'extrait n'a pas été remis.")})
    request.answered_at = moment(answered_at, "answered_at")
    request.answered_by = actor
    request.extract_handed_over = bool(extract_handed_over)
    request.answer_note = (note or "").strip()
    request.full_clean()
    request.save()
    record_audit(AuditAction.UPDATE, actor=actor, target=request, inmate_id=request.custody.inmate_id,
                 facility_id=request.facility_id,
                 changes={"answered_at": [None, request.answered_at.isoformat()],
                          "extract_handed_over": [None, request.extract_handed_over]})
    return request


def _queryset(actor):
    return OwnFileRequest.objects.visible_to(actor).select_related(
        "custody__inmate", "facility", "received_by", "answered_by")


def open_own_file_request(pk, *, actor) -> OwnFileRequest:
    """One request within the actor's prisons (else 404), read and audited."""
    return open_record(_queryset(actor), pk, actor=actor, permission=VIEW, person="custody.inmate_id",
                       facility="facility_id", not_found=_("Aucune demande ne correspond."))


def own_file_register(facility, *, actor, query=None, pending_only=False):
    """The requests of one prison, newest first, each marked `is_late` (pending longer than the
    answer delay); one LIST entry."""
    _require(actor, VIEW, _("Vous n'avez pas accès à ces données."))
    require_serves(actor, facility.pk)
    qs = _queryset(actor).filter(facility=facility)
    if pending_only:
        qs = qs.pending()
    record_rows(actor, kind=_("demandes d'accès au dossier"), query=query or {}, queryset=qs,
                target=facility, facility_id=facility.pk)
    late = set(qs.late().values_list("pk", flat=True))
    rows = list(qs.order_by("-requested_at", "-pk"))
    for row in rows:
        row.is_late = row.pk in late
    return rows


# --- the extract ---------------------------------------------------------------------------------

def _own(obj, title=None, *, key=None):
    """One record as the subject-access export's rows, with the copy's fields only."""
    key = key or obj._meta.model_name
    rows = []
    for name in OWN_FIELDS[key]:
        field = obj._meta.get_field(name)
        value, display = _display(obj, field)
        rows.append({"field": name, "label": str(field.verbose_name), "value": value, "display": display})
    return {"title": title or str(obj._meta.verbose_name).capitalize(), "kind": key, "fields": rows}


def _date(value):
    return formats.date_format(timezone.localtime(value), "d/m/Y") if value else ""


def _stays(custodies):
    records = []
    for custody in custodies:
        records.append(_own(custody, _("Séjour — %(f)s, écroué le %(d)s") % {
            "f": custody.facility, "d": _date(custody.admitted_at)}))
        records += [_own(p) for p in PriorCustody.objects.filter(custody=custody).order_by("started_at", "pk")]
        records += [_own(p) for p in custody.placements.select_related("unit").order_by("started_at", "pk")]
        records += [_own(t) for t in Transfer.objects.filter(custody=custody).select_related(
            "from_facility", "to_facility").order_by("requested_at", "pk")]
        records += [_own(r) for r in Release.objects.filter(custody=custody)]
    return records


def _cases(inmate):
    records = []
    for case in Case.objects.filter(custody__inmate=inmate).select_related("court").order_by("opened_on", "pk"):
        records.append(_own(case, _("Affaire %(n)s") % {"n": case.case_number or case.pk}))
        records += [_own(c) for c in case.charges.order_by("pk")]
        records += [_own(o) for o in case.detention_orders.order_by("issued_on", "pk")]
        records += [_own(h) for h in case.hearings.order_by("date", "pk")]
        records += [_own(j) for j in case.judgments.order_by("decided_on", "pk")]
        deadline = CaseDeadline.objects.filter(case=case).first()
        if deadline is not None:
            records.append(_own(deadline, _("Délais de la détention provisoire")))
    return records


def _life(custodies):
    visits = Visit.objects.filter(custody__in=custodies).order_by("arrived_at", "pk")
    enrolments = Enrolment.objects.filter(custody__in=custodies).select_related("activity").order_by("started_on")
    # The complaints the person made: not those a relative or a cell leader made about them.
    complaints = Complaint.objects.filter(custody__in=custodies, complainant_kind=ComplainantKind.DETAINEE
                                          ).order_by("received_at", "pk")
    return ([_own(v) for v in visits], [_own(e) for e in enrolments],
            [_own(c, _("Plainte n° %(id)s") % {"id": c.pk}) for c in complaints])


def build_extract(inmate) -> list[dict]:
    """The copy's sections, in the subject-access export's shape (no reader-dependent part)."""
    custodies = list(Custody.objects.filter(inmate=inmate).select_related("facility").order_by("admitted_at"))
    identity = [_own(inmate, _("Identité"))]
    identity += [_own(a) for a in inmate.aliases.order_by("pk")]
    identity += [_own(r) for r in inmate.relatives.order_by("pk")]
    visits, enrolments, complaints = _life(custodies)
    return [
        _section("identity", _("Identité, autres noms et proches"), identity),
        _section("stays", _("Séjours, placements, transferts et sorties"), _stays(custodies)),
        _section("cases", _("Affaires, chefs, titres de détention, audiences, jugements et délais"), _cases(inmate)),
        _section("visits", _("Visites reçues"), visits),
        _section("activities", _("Activités"), enrolments),
        _section("complaints", _("Requêtes et plaintes déposées par la personne"), complaints),
    ]


def own_file_extract(pk, *, actor) -> dict:
    """The printable extract that answers request `pk`: the person's own file, without others' data
    or security intelligence. For those who answer (registry, direction) of the person's prison;
    one EXPORT entry per extract printed."""
    _require(actor, ANSWER, _("Seuls le greffe et la direction établissent l'extrait du dossier."))
    try:
        request = _queryset(actor).get(pk=pk)
    except (OwnFileRequest.DoesNotExist, ValueError, TypeError):
        raise Http404(_("Aucune demande ne correspond.")) from None
    require_serves(actor, request.facility_id)
    inmate = request.custody.inmate
    sections = build_extract(inmate)
    record_audit(AuditAction.EXPORT, actor=actor, target=request, inmate_id=inmate.pk,
                 facility_id=request.facility_id, reason=EXTRACT_REASON)
    return {
        "request": {"id": request.pk, "requested_at": request.requested_at, "facility": request.facility.name},
        "inmate": {"id": inmate.pk, "name": str(inmate), "prisoner_number": inmate.prisoner_number or ""},
        "generated_at": timezone.now(),
        "sections": sections,
        "left_out": [_(text) for text in LEFT_OUT],
        "purposes": purpose_rows(),
    }


def answer_days() -> int:
    return own_file_answer_days()
