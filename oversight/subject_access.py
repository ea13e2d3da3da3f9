"""The subject-access export: everything held on one person, for the person's request
(Loi n°2013-015 on personal data, LAW.md "Personal data"; Mandela Rule 9).

It reads across every app (identity, stays, cases, complaints, intake), so it sits here at
the top of the layers. One read service, `export_subject_access`, used by the page, the PDF
and the API alike: it checks the role, scopes the person (another prison's person is a 404),
leaves out what the reader's roles may not read (medical details, the social profile, the
social investigation report) and writes one audit entry.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts import audit_fields
from accounts.models import AuditAction
from accounts.purposes import purpose_rows
from accounts.roles import SUBJECT_ACCESS_ROLES
from accounts.services import record_audit
from casework.models import Case
from detention.models import Complaint
from inmates.models import Custody, Inmate, Release, SocialProfile
from intake import services as intake_services

SUBJECT_ACCESS_REASON = "Export d'accès de la personne concernée (subject access export)"
# Fields that say nothing about the person (keys, search index, optimistic-lock counter), and
# the intake's match candidates (other people).
_SKIPPED = {"id", "search_text", "version", "hash", "intake", "candidates_shown"}
# What only some roles read, with the permission a role must grant: the same table as the
# audit trail's restricted values (need-to-know by role membership, never is_superuser).
PROFILE_PERMISSION = audit_fields.SOCIAL_PROFILE
MEDICAL_PERMISSION = audit_fields.MEDICAL
INTERVIEW_PERMISSION = audit_fields.SOCIAL_REPORT


def may_export(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_role(*SUBJECT_ACCESS_ROLES))


def _display(obj, field):
    value = getattr(obj, field.attname if isinstance(field, models.ForeignKey) else field.name)
    if value in (None, "", []):
        return None, "—"
    if field.choices:
        return value, str(getattr(obj, f"get_{field.name}_display")())
    if isinstance(field, models.ForeignKey):
        related = getattr(obj, field.name)
        return value, str(related)
    if isinstance(field, models.FileField):
        return True, _("fichier enregistré")
    if isinstance(value, bool):
        return value, _("Oui") if value else _("Non")
    if isinstance(value, datetime.datetime):
        return value.isoformat(), formats.date_format(timezone.localtime(value), "d/m/Y H:i")
    if isinstance(value, datetime.date):
        return value.isoformat(), formats.date_format(value, "d/m/Y")
    if isinstance(value, list):
        display = getattr(obj, f"get_{field.name}_display", None)
        return value, ", ".join(display() if display else map(str, value))
    return value if isinstance(value, int | float | str) else str(value), str(value)


def _record(obj, title=None, *, parent=None):
    """One record as (field, label, value, display) rows, in the model's field order."""
    rows = []
    for field in obj._meta.concrete_fields:
        if field.name in _SKIPPED or (parent and field.name == parent):
            continue
        value, display = _display(obj, field)
        rows.append({"field": field.name, "label": str(field.verbose_name), "value": value, "display": display})
    return {"title": title or f"{obj._meta.verbose_name} — {obj}", "kind": obj._meta.model_name, "fields": rows}


def _section(key, title, records, *, restricted=False):
    note = _("Réservé aux rôles habilités : non communiqué au lecteur de cet export.") if restricted else ""
    return {"key": key, "title": title, "restricted": restricted, "note": note,
            "records": [] if restricted else records}


def _stay_records(custody):
    records = [_record(custody, _("Séjour — %(f)s, écroué le %(d)s") % {
        "f": custody.facility, "d": formats.date_format(timezone.localtime(custody.admitted_at), "d/m/Y")},
        parent="inmate")]
    related = ("prior_custodies", "placements", "transfers", "classifications", "cell_leaderships",
               "enrolments", "family_notifications", "visits")
    for name in related:
        records += [_record(o, parent="custody") for o in getattr(custody, name).all()]
    records += [_record(r, parent="custody") for r in Release.objects.filter(custody=custody)]
    return records


def _case_records(case):
    records = [_record(case, parent="custody")]
    for name in ("charges", "detention_orders", "hearings", "judgments"):
        records += [_record(o, parent="case") for o in getattr(case, name).all()]
    return records


def _intake_parts(intake):
    """The steps' records everyone with the file may read (security, administration,
    fingerprints, registry and property); medical and interview records are apart."""
    for name in ("security", "administration", "registry"):
        part = type(intake)._meta.get_field(name).related_model.objects.filter(intake=intake).first()
        if part is not None:
            yield part
            if name == "registry":
                yield from part.items.all()
    yield from intake.fingerprints.all()


def _intake_sections(inmate, actor):
    intakes = list(inmate.intakes.select_related("facility").order_by("opened_at", "pk"))
    steps = []
    for intake in intakes:
        steps.append(_record(intake, _("Écrou n° %(n)s") % {"n": intake.pk}, parent="inmate"))
        steps += [_record(o) for o in _intake_parts(intake)]
    medical_allowed = actor.role_has_perm(MEDICAL_PERMISSION)
    interview_allowed = actor.role_has_perm(INTERVIEW_PERMISSION)
    medical, interviews = [], []
    for intake in intakes:
        if medical_allowed:
            exam = intake_services.read_medical_examination(intake, actor=actor)
            if exam is not None:
                medical.append(_record(exam))
        if interview_allowed:
            record = intake_services.read_interview(intake, actor=actor)
            if record is not None:
                interviews.append(_record(record))
    return [
        _section("intakes", _("Écrous (procédure d'arrivée)"), steps),
        _section("medical", _("Visites médicales d'entrée"), medical, restricted=not medical_allowed),
        _section("interviews", _("Entretiens sociaux"), interviews, restricted=not interview_allowed),
    ]


def _people_sections(inmate, actor):
    identity = [_record(inmate, _("Identité"))]
    identity += [_record(a, parent="inmate") for a in inmate.aliases.all()]
    identity += [_record(r, parent="inmate") for r in inmate.relatives.all()]
    profile_allowed = actor.role_has_perm(PROFILE_PERMISSION)
    profile = SocialProfile.objects.filter(inmate=inmate).first() if profile_allowed else None
    return [
        _section("identity", _("Identité, autres noms et famille"), identity),
        _section("profile", _("Profil social"), [_record(profile, parent="inmate")] if profile else [],
                 restricted=not profile_allowed),
    ]


def _build(inmate, actor):
    custodies = list(Custody.objects.filter(inmate=inmate).select_related("facility").order_by("admitted_at"))
    stays = [r for c in custodies for r in _stay_records(c)]
    cases = Case.objects.filter(custody__inmate=inmate).select_related("court").order_by("pk")
    complaints = Complaint.objects.visible_to(actor).filter(custody__inmate=inmate).order_by("pk")
    return [
        *_people_sections(inmate, actor),
        _section("stays", _("Séjours, placements, transferts et sorties"), stays),
        _section("cases", _("Affaires, chefs, titres de détention, audiences et jugements"),
                 [r for c in cases for r in _case_records(c)]),
        _section("complaints", _("Requêtes et plaintes"), [_record(c, parent="custody") for c in complaints]),
        *_intake_sections(inmate, actor),
    ]


def export_subject_access(inmate_id, *, actor) -> dict:
    """Everything held on one person that `actor` may read, as titled sections; one audit
    entry ("subject access export", who, which person). 403 without a role that may export,
    404 for a person outside the actor's facilities."""
    if not may_export(actor):
        raise PermissionDenied(_("L'export des données d'une personne est réservé à la direction, "
                                 "au greffe et à la DNAPES."))
    try:
        inmate = Inmate.objects.visible_to(actor).get(pk=inmate_id)
    except (Inmate.DoesNotExist, ValueError, TypeError):
        raise Http404(_("Aucun détenu ne correspond.")) from None
    sections = _build(inmate, actor)
    latest = inmate.custodies.order_by("-admitted_at").values_list("facility_id", flat=True).first()
    record_audit(AuditAction.EXPORT, actor=actor, target=inmate, inmate_id=inmate.pk, facility_id=latest,
                 reason=SUBJECT_ACCESS_REASON)
    return {
        "inmate": {"id": inmate.pk, "name": str(inmate), "prisoner_number": inmate.prisoner_number or "",
                   "archived": bool(getattr(inmate, "archived_at", None))},
        "generated_at": timezone.now().isoformat(),
        "generated_by": actor.get_username(),
        "sections": sections,
        # What each category of sensitive data is processed for (accounts.purposes).
        "purposes": purpose_rows(),
    }
