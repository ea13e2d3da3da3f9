"""The inspection view of one prison (issue 14, item 6; Mandela Rules 8, 36–57, 69–72, 83–85):
for a period, each register's count and rows, and its items overdue, with links.

Built on a list of sections. A section is a function `(period) -> Section` registered with
`@section(key, title)`; a register added later (discipline, isolation, searches, use of force,
incidents) is one more function of a few lines. A section shows counts and non-medical columns
only: never a medical detail, never a complaint's content the reader may not read. Every person
shown with their legal status, and the terrorism flag only beside it (presumption of innocence).

One read service, `read_inspection`, for the page, the PDF and the API: the role's permission
(`oversight.view_inspection`, 403), the prison among the reader's (`Facility.objects.visible_to`,
404; `require_serves` again in the service), and one audit entry per opening (it shows names).
"""

import dataclasses
import datetime
from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import need_to_know
from accounts.models import AuditAction
from accounts.services import record_audit
from casework.models import CRITICAL_ALERT_KINDS, AlertKind, DeadlineAlert
from core.access import require_serves
from detention.discipline_reads import isolation_reconciliation, isolation_rows
from detention.models import Complaint
from detention.models.discipline import DisciplinaryCharge, IsolationPlacement
from detention.models.incidents import SeriousIncident
from detention.models.searches import Search, SearchKind, UseOfForce
from detention.services import force as force_rules
from inmates.models import DeathInCustody
from intake.models import Presentation, PresentationOutcome
from prisons.figures import LEGAL_STATUS_ORDER, legal_status_labels
from prisons.models import Facility

from .reports import _live_facility_rows, day_bounds

PERMISSION = "oversight.view_inspection"
DEFAULT_DAYS = 30
MAX_DAYS = 366
REASON = "Vue d'inspection"


@dataclasses.dataclass(frozen=True)
class Period:
    """What a section is asked for: one prison, from `start` to `end` (days, both included)."""

    facility: Facility
    start: datetime.date
    end: datetime.date
    user: object
    today: datetime.date

    @property
    def starts_at(self) -> datetime.datetime:
        return day_bounds(self.start)[0]

    @property
    def ends_at(self) -> datetime.datetime:
        """The first moment after the period (exclusive bound)."""
        return day_bounds(self.end)[1]

    def within(self, field: str) -> Q:
        """Rows whose `field` (a date or a moment) falls within the period."""
        return Q(**{f"{field}__gte": self.starts_at, f"{field}__lt": self.ends_at})

    def within_days(self, field: str) -> Q:
        return Q(**{f"{field}__gte": self.start, f"{field}__lte": self.end})


@dataclasses.dataclass
class Row:
    """One line of a section's list: its cells (text), the page it opens, the person it concerns."""

    cells: list
    url: str = ""
    inmate_id: int | None = None


@dataclasses.dataclass
class Overdue:
    """An item late or irregular: what, whom, since when, and where it is put right."""

    label: str
    detail: str = ""
    since: datetime.date | None = None
    url: str = ""
    inmate_id: int | None = None


@dataclasses.dataclass
class Figure:
    label: str
    value: int | float | None


@dataclasses.dataclass
class Section:
    """A register's part of the inspection view."""

    key: str = ""
    title: str = ""
    count: int = 0
    count_label: str = ""
    columns: list = dataclasses.field(default_factory=list)
    rows: list = dataclasses.field(default_factory=list)
    overdue: list = dataclasses.field(default_factory=list)
    figures: list = dataclasses.field(default_factory=list)
    note: str = ""

    def as_dict(self) -> dict:
        data = dataclasses.asdict(self)
        for row in data["rows"]:
            row["cells"] = ["" if c is None else str(c) for c in row["cells"]]
        return data


@dataclasses.dataclass(frozen=True)
class SectionSpec:
    key: str
    title: object  # a lazy string
    build: Callable[[Period], Section]
    order: int


SECTIONS: list[SectionSpec] = []


def section(key: str, title, *, order: int = 100):
    """Register `build(period) -> Section` as the section `key` (its key and title are filled in)."""

    def register(build):
        SECTIONS[:] = [s for s in SECTIONS if s.key != key]
        SECTIONS.append(SectionSpec(key, title, build, order))
        SECTIONS.sort(key=lambda s: (s.order, s.key))
        return build

    return register


# --- the pieces a section uses ----------------------------------------------------------------

def person_columns() -> list[str]:
    """The columns of `person_cells`: the legal status always beside the terrorism flag."""
    return [_("N° d'écrou"), _("Nom"), _("Statut juridique")]


def person_cells(custody) -> list[str]:
    inmate = custody.inmate
    status = str(custody.get_legal_status_display())
    if custody.terrorism_related:
        status = _("%(status)s — affaire liée au terrorisme") % {"status": status}
    return [inmate.prisoner_number or "", f"{inmate.last_name.upper()} {inmate.first_name}".strip(), status]


def when(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    return value.strftime("%d/%m/%Y")


def local_day(value) -> datetime.date | None:
    return timezone.localtime(value).date() if isinstance(value, datetime.datetime) else value


def yes_no(value) -> str:
    return _("oui") if value else _("non")


PERSON = ("custody__inmate",)


# --- the sections available today ---------------------------------------------------------------

@section("deaths", _("Décès en détention (Règles 69–72)"), order=10)
def deaths_section(period: Period) -> Section:
    """Deaths in the period; overdue: any death (whenever) without the judicial authority informed
    or the next of kin told. The circumstances are not shown (they may be medical)."""
    here = DeathInCustody.objects.filter(custody__facility=period.facility).select_related(
        "custody__inmate")
    rows = [Row([*person_cells(d.custody), when(d.died_at), d.place, when(d.kin_told_at) or _("non"),
                 when(d.authority_informed_at) or _("non"), d.inquiry_reference or "—"],
                url=reverse("life:death_follow_up", args=[d.pk]), inmate_id=d.custody.inmate_id)
            for d in here.filter(period.within("died_at")).order_by("died_at", "pk")]
    overdue = [Overdue(", ".join(str(m) for m in d.missing_notifications), " ".join(person_cells(d.custody)[:2]),
                       local_day(d.died_at), reverse("life:death_notifications", args=[d.pk]), d.custody.inmate_id)
               for d in here.notifications_missing().order_by("died_at", "pk")]
    return Section(count=len(rows), count_label=_("décès sur la période"),
                   columns=[*person_columns(), _("Décès le"), _("Lieu"), _("Famille prévenue"),
                            _("Autorité judiciaire informée"), _("Enquête (référence)")],
                   rows=rows, overdue=overdue)


@section("complaints", _("Requêtes et plaintes (Règles 56–57)"), order=20)
def complaints_section(period: Period) -> Section:
    """Complaints received in the period (all of them counted; a confidential one's subject only to
    those who may read it); overdue: unanswered past their date, allegations not referred."""
    here = Complaint.objects.filter(facility=period.facility).select_related(*PERSON)
    user = period.user

    def subject(c):
        return c.subject if need_to_know.can_read_confidential_complaint(user, c) else _("(confidentielle)")

    received = list(here.filter(period.within("received_at")).order_by("received_at", "pk"))
    rows = [Row([*person_cells(c.custody), when(c.received_at), str(c.get_channel_display()), subject(c),
                 yes_no(c.is_allegation), str(c.get_status_display()), when(c.due_on)],
                url=reverse("life:complaint_detail", args=[c.pk]), inmate_id=c.custody.inmate_id)
            for c in received]
    overdue = [Overdue(_("Sans réponse après l'échéance"), " ".join(person_cells(c.custody)[:2]), c.due_on,
                       reverse("life:complaint_detail", args=[c.pk]), c.custody.inmate_id)
               for c in here.overdue(on=period.today).order_by("due_on", "pk")]
    overdue += [Overdue(_("Allégation de mauvais traitements non transmise à une autorité (Règle 57)"),
                        " ".join(person_cells(c.custody)[:2]), local_day(c.received_at),
                        reverse("life:complaint_detail", args=[c.pk]), c.custody.inmate_id)
                for c in here.filter(is_allegation=True, referred_at__isnull=True).order_by("received_at", "pk")]
    return Section(count=len(rows), count_label=_("plaintes reçues sur la période"),
                   columns=[*person_columns(), _("Reçue le"), _("Voie"), _("Objet"), _("Allégation"), _("État"),
                            _("Réponse attendue le")],
                   rows=rows, overdue=overdue,
                   figures=[Figure(_("allégations de mauvais traitements"), sum(c.is_allegation for c in received))])


@section("alerts", _("Alertes de détention (délais, sorties)"), order=30)
def alerts_section(period: Period) -> Section:
    """Alerts opened in the period; overdue: every open critical alert (held past a release order or
    the sentence, without a title, past the detention limit, police custody exceeded)."""
    here = DeadlineAlert.objects.filter(custody__facility=period.facility).select_related(*PERSON, "case")
    opened = list(here.filter(period.within("opened_at")).order_by("opened_at", "pk"))

    def file_url(a):
        return reverse("inmates:inmate_detail", args=[a.custody.inmate_id])

    rows = [Row([*person_cells(a.custody), str(a.get_kind_display()), a.case.case_number if a.case else "",
                 when(a.opened_at), when(a.closed_at) or _("ouverte")], url=file_url(a), inmate_id=a.custody.inmate_id)
            for a in opened]
    critical = list(here.open().filter(kind__in=CRITICAL_ALERT_KINDS).order_by("due_on", "opened_at", "pk"))
    overdue = [Overdue(str(a.get_kind_display()), " ".join(person_cells(a.custody)[:2]),
                       a.due_on or local_day(a.opened_at), file_url(a), a.custody.inmate_id) for a in critical]
    open_kinds = [a.kind for a in critical]
    return Section(count=len(rows), count_label=_("alertes ouvertes sur la période"),
                   columns=[*person_columns(), _("Alerte"), _("Affaire"), _("Ouverte le"), _("Close le")],
                   rows=rows, overdue=overdue, figures=[
                       Figure(_("alertes critiques ouvertes"), len(critical)),
                       Figure(_("détentions au-delà du délai"),
                              sum(k in (AlertKind.OVERDUE, AlertKind.BEYOND_MAXIMUM) for k in open_kinds)),
                       Figure(_("sorties en retard"),
                              sum(k in (AlertKind.LATE_RELEASE, AlertKind.SERVED_HELD) for k in open_kinds)),
                   ])


@section("occupancy", _("Occupation (Règle 10)"), order=40)
def occupancy_section(period: Period) -> Section:
    """Today's occupancy, counted from the records, by unit; terrorism counts by legal status."""
    rows = _live_facility_rows([period.facility.pk])
    f = rows[0] if rows else None
    if f is None:
        return Section(count_label=_("personnes détenues aujourd'hui"))
    labels = legal_status_labels()
    figures = [Figure(_("capacité officielle"), f["capacity"]),
               Figure(_("taux d'occupation %"), f["congestion"]),
               Figure(_("non jugés"), f["untried"]), Figure(_("en cours d'écrou"), f["intake"]),
               Figure(_("sans affectation"), f["unplaced"])]
    figures += [Figure(_("terrorisme : %(status)s") % {"status": labels[s]}, f[f"terrorism_{s}"])
                for s in LEGAL_STATUS_ORDER]
    overdue = [Overdue(_("Unité au-delà de sa capacité"), f'{u["code"]} — {u["name"]}',
                       None, "", None) for u in f["units"] if u["capacity"] and u["occupants"] > u["capacity"]]
    return Section(count=f["held"], count_label=_("personnes détenues aujourd'hui"),
                   columns=[_("Unité"), _("Nom"), _("Régime"), _("Capacité"), _("Occupants"), _("Taux d'occupation %")],
                   rows=[Row([u["code"], u["name"], u["regime_label"], u["capacity"], u["occupants"],
                              "" if u["congestion"] is None else u["congestion"]]) for u in f["units"]],
                   overdue=overdue, figures=figures,
                   note=_("Situation du jour, quelle que soit la période choisie."))


@section("presentations", _("Personnes présentées sans titre valable"), order=50)
def presentations_section(period: Period) -> Section:
    """Presentations in the period; overdue: a person still held pending regularisation, or a
    presentation still awaiting the director's decision."""
    here = Presentation.objects.filter(facility=period.facility)

    def name(p):
        return f"{p.last_name.upper()} {p.first_name}".strip()

    def url(p):
        return reverse("intake:presentation_detail", args=[p.pk])

    rows = [Row([when(p.presented_at), name(p), str(p.get_missing_display()), str(p.get_outcome_display())],
                url=url(p), inmate_id=p.inmate_id)
            for p in here.filter(period.within("presented_at")).order_by("presented_at", "pk")]
    waiting = here.filter(outcome__in=(PresentationOutcome.PENDING, PresentationOutcome.HELD), closed_at__isnull=True)
    overdue = [Overdue(str(p.get_outcome_display()), name(p), local_day(p.presented_at), url(p), p.inmate_id)
               for p in waiting.order_by("presented_at", "pk")]
    return Section(count=len(rows), count_label=_("présentations sur la période"),
                   columns=[_("Présentée le"), _("Nom (déclaré)"), _("Défaut du titre"), _("Suite donnée")],
                   rows=rows, overdue=overdue)


@section("discipline", _("Discipline (Règles 36–46)"), order=60)
def discipline_section(period: Period) -> Section:
    """Disciplinary charges for incidents of the period, each with its stage and sanction;
    overdue: charges still awaiting the director's decision (whenever reported)."""
    here = DisciplinaryCharge.objects.filter(incident__facility=period.facility).select_related(
        *PERSON, "incident", "sanction")

    def url(c):
        return reverse("life:discipline_detail", args=[c.pk])

    charges = list(here.filter(period.within("incident__occurred_at")).order_by("incident__occurred_at", "pk"))
    rows = [Row([*person_cells(c.custody), when(c.incident.occurred_at), c.offence, str(c.stage),
                 str(c.sanction) if c.sanction else ("—" if c.decided_at else ""),
                 when(c.appeal_lodged_at) or "—"], url=url(c), inmate_id=c.custody.inmate_id)
            for c in charges]
    overdue = [Overdue(_("Décision du directeur attendue"), " ".join(person_cells(c.custody)[:2]),
                       local_day(c.incident.occurred_at), url(c), c.custody.inmate_id)
               for c in here.filter(decided_at__isnull=True).order_by("incident__occurred_at", "pk")]
    return Section(count=len(rows), count_label=_("poursuites disciplinaires sur la période"),
                   columns=[*person_columns(), _("Faits du"), _("Manquement"), _("Étape"), _("Sanction"),
                            _("Recours")],
                   rows=rows, overdue=overdue, figures=[
                       Figure(_("incidents"), len({c.incident_id for c in charges})),
                       Figure(_("sanctions prononcées"), sum(c.sanction_id is not None for c in charges)),
                       Figure(_("recours formés"), sum(c.appeal_lodged_at is not None for c in charges)),
                   ])


@section("isolation", _("Isolement (Règles 43–46)"), order=70)
def isolation_section(period: Period) -> Section:
    """Placements in isolation open today, with their consecutive days; overdue: beyond the limit
    (Rule 44), days without the medical visit (Rule 46), and the isolation units that do not
    reconcile with the register. No medical observation is shown."""
    url = reverse("life:isolation_list", args=[period.facility.pk])
    rows_data = isolation_rows(period.facility, on=period.today)
    rows, overdue = [], []
    for r in rows_data:
        p = r["placement"]
        who = " ".join(person_cells(p.custody)[:2])
        rows.append(Row([*person_cells(p.custody), str(p.get_reason_kind_display()), when(p.started_at),
                         when(p.planned_end_on), r["days"], len(r["missing_visits"])], url=url,
                        inmate_id=p.custody.inmate_id))
        if r["breach"]:
            overdue.append(Overdue(_("Isolement au-delà de 15 jours consécutifs (Règle 44)"), who,
                                   local_day(p.started_at), url, p.custody.inmate_id))
        if r["missing_visits"]:
            overdue.append(Overdue(_("Jours sans visite médicale (Règle 46) : %(n)s") % {"n": len(r["missing_visits"])},
                                   who, r["missing_visits"][0], url, p.custody.inmate_id))
    reconciliation = isolation_reconciliation(period.facility)
    if reconciliation["without_entry"]:
        overdue.append(Overdue(_("Personnes en quartier d'isolement sans inscription au registre : %(n)s")
                               % {"n": len(reconciliation["without_entry"])}, "", None, url, None))
    if reconciliation["not_in_unit"]:
        overdue.append(Overdue(_("Inscriptions au registre hors d'un quartier d'isolement : %(n)s")
                               % {"n": len(reconciliation["not_in_unit"])}, "", None, url, None))
    started = IsolationPlacement.objects.filter(facility=period.facility).filter(period.within("started_at")).count()
    return Section(count=len(rows), count_label=_("personnes à l'isolement aujourd'hui"),
                   columns=[*person_columns(), _("Fondement"), _("Début"), _("Fin prévue"), _("Jours consécutifs"),
                            _("Jours sans visite médicale")],
                   rows=rows, overdue=overdue,
                   figures=[Figure(_("placements commencés sur la période"), started),
                            Figure(_("alertes (jour 13)"), sum(r["alert"] and not r["breach"] for r in rows_data)),
                            Figure(_("dépassements (au-delà du jour 15)"), sum(r["breach"] for r in rows_data))],
                   note=_("Situation du jour ; les placements commencés sont comptés sur la période."))


@section("searches", _("Fouilles (Règles 50–52)"), order=80)
def searches_section(period: Period) -> Section:
    """Intrusive searches and searches where something was found, over the period; counts per kind.
    Overdue: items whose fate is still to be decided."""
    here = (Search.objects.filter(facility=period.facility).filter(period.within("searched_at"))
            .select_related(*PERSON, "custody__facility", "unit").prefetch_related("items"))
    searches = list(here.order_by("searched_at", "pk"))

    def url(s):
        return reverse("life:search_detail", args=[s.pk])

    def who(s):
        return person_cells(s.custody) if s.custody_id else ["", str(s.unit or ""), ""]

    shown = [s for s in searches if s.kind == SearchKind.INTRUSIVE or s.items.all()]
    rows = [Row([*who(s), when(s.searched_at), str(s.get_kind_display()), len(s.items.all()),
                 s.authorised_by or ("—" if s.kind != SearchKind.INTRUSIVE else _("personnel de santé"))],
                url=url(s), inmate_id=s.custody.inmate_id if s.custody_id else None) for s in shown]
    overdue = [Overdue(_("Objet trouvé dont le sort reste à décider : %(item)s") % {"item": item.description},
                       " ".join(who(s)[:2]), local_day(s.searched_at), url(s),
                       s.custody.inmate_id if s.custody_id else None)
               for s in searches for item in s.items.all() if item.outcome == "pending"]
    return Section(count=len(searches), count_label=_("fouilles sur la période"),
                   columns=[*person_columns(), _("Le"), _("Nature"), _("Objets trouvés"), _("Autorisation")],
                   rows=rows, overdue=overdue,
                   figures=[Figure(str(label), sum(s.kind == value for s in searches))
                            for value, label in SearchKind.choices]
                   + [Figure(_("fouilles avec objets trouvés"), sum(bool(s.items.all()) for s in searches))],
                   note=_("La liste montre les fouilles intimes et celles où un objet a été trouvé."))


@section("force", _("Usage de la force et moyens de contrainte (Règles 47–49, 82)"), order=90)
def force_section(period: Period) -> Section:
    """Uses of force over the period; overdue (whenever they happened): no medical examination
    after 24 hours, not reported to the director the same day, a restraint beyond the limit not reviewed."""
    here = UseOfForce.objects.filter(facility=period.facility).select_related(*PERSON)
    now, limit = timezone.now(), force_rules.restraint_limit()

    def url(f):
        return reverse("life:force_detail", args=[f.pk])

    forces = list(here.filter(period.within("occurred_at")).order_by("occurred_at", "pk"))
    rows = [Row([*person_cells(f.custody), when(f.occurred_at), str(f.get_reason_kind_display()),
                 str(f.get_means_display()), "—" if f.duration_minutes is None else f.duration_minutes,
                 when(f.examined_at) or "—", when(f.reported_at) or "—", when(f.reviewed_at) or "—"],
                url=url(f), inmate_id=f.custody.inmate_id) for f in forces]
    overdue = []
    checks = ((force_rules.examination_overdue, _("Pas d'examen médical après l'usage de la force (24 h)")),
              (force_rules.report_late, _("Pas de rapport au directeur le jour même (Règle 82)")),
              (lambda f, n: force_rules.review_missing(f, n, limit),
               _("Contrainte au-delà de %(n)s minutes sans contrôle (Règles 47–49)") % {"n": limit}))
    open_items = here.filter(Q(examined_at__isnull=True) | Q(reviewed_at__isnull=True) | Q(reported_at__isnull=True)
                             | period.within("occurred_at")).order_by("occurred_at", "pk")
    for f in open_items:
        for check, label in checks:
            if check(f, now):
                overdue.append(Overdue(label, " ".join(person_cells(f.custody)[:2]), local_day(f.occurred_at),
                                       url(f), f.custody.inmate_id))
    return Section(count=len(rows), count_label=_("usages de la force sur la période"),
                   columns=[*person_columns(), _("Le"), _("Fondement"), _("Moyen"), _("Durée (min)"),
                            _("Examen médical"), _("Rapport au directeur"), _("Contrôle")],
                   rows=rows, overdue=overdue,
                   figures=[Figure(_("avec blessures constatées"), sum(bool(f.injuries) for f in forces)),
                            Figure(_("moyens de contrainte (menottes, entraves, autre)"),
                                   sum(f.means != "physical" for f in forces))])


@section("incidents", _("Incidents graves et blessures (Règles 69–72)"), order=85)
def incidents_section(period: Period) -> Section:
    """Serious incidents of the period with their notices; overdue: any incident (whenever) whose
    judicial authority was not informed within 24 h (still missing, or informed late in the period),
    and a person's serious injury whose family is not told. Never the medical details."""
    here = SeriousIncident.objects.filter(facility=period.facility).select_related(*PERSON)
    now = timezone.now()

    def url(i):
        return reverse("life:incident_detail", args=[i.pk])

    def who(i):
        return " ".join(person_cells(i.custody)[:2]) if i.custody_id else _("Incident collectif")

    def person_of(i):
        return person_cells(i.custody) if i.custody_id else ["", _("Incident collectif"), ""]

    found = list(here.filter(period.within("occurred_at")).order_by("occurred_at", "pk"))
    rows = [Row([*person_of(i), when(i.occurred_at), str(i.get_kind_display()), i.place,
                 when(i.authority_informed_at) or (_("non") if i.authority_required else "—"),
                 when(i.kin_told_at) or (_("non") if i.kin_required else "—"), i.inquiry_reference or "—"],
                url=url(i), inmate_id=i.custody.inmate_id if i.custody_id else None)
            for i in found]
    overdue = [Overdue(_("Autorité judiciaire non informée dans les 24 h (Règle 71)"), who(i),
                       local_day(i.occurred_at), url(i), i.custody.inmate_id if i.custody_id else None)
               for i in here.authority_overdue(now=now).order_by("occurred_at", "pk")]
    overdue += [Overdue(_("Autorité judiciaire informée après 24 h (Règle 71)"), who(i), local_day(i.occurred_at),
                        url(i), i.custody.inmate_id if i.custody_id else None)
                for i in found if i.authority_informed_at and i.authority_late(now)]
    overdue += [Overdue(_("Famille non prévenue d'une blessure grave (Règles 69–70)"), who(i),
                        local_day(i.occurred_at), url(i), i.custody.inmate_id)
                for i in here.kin_missing().order_by("occurred_at", "pk")]
    return Section(count=len(rows), count_label=_("incidents graves sur la période"),
                   columns=[*person_columns(), _("Survenu le"), _("Nature"), _("Lieu"),
                            _("Autorité judiciaire informée"), _("Famille prévenue"), _("Enquête (référence)")],
                   rows=rows, overdue=overdue, figures=[
                       Figure(_("blessures graves"), sum(i.kind == "serious_injury" for i in found)),
                       Figure(_("tentatives de suicide"), sum(i.kind == "attempted_suicide" for i in found)),
                       Figure(_("enquêtes closes"), sum(i.inquiry_closed_on is not None for i in found)),
                   ])


# --- the read service ---------------------------------------------------------------------------

def may_inspect(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(PERMISSION))


def default_period(today=None) -> tuple[datetime.date, datetime.date]:
    today = today or timezone.localdate()
    return today - datetime.timedelta(days=DEFAULT_DAYS - 1), today


def check_period(start, end, *, today=None):
    """The period's dates, or the defaults (the last 30 days); refused when reversed, in the
    future or longer than a year."""
    today = today or timezone.localdate()
    default_start, default_end = default_period(today)
    end = end or default_end
    start = start or min(default_start, end)
    errors = {}
    if end > today:
        errors["fin"] = _("La fin de la période ne peut pas être dans le futur.")
    if start > end:
        errors["debut"] = _("Le début de la période doit précéder sa fin.")
    elif (end - start).days >= MAX_DAYS:
        errors["debut"] = _("La période ne peut pas dépasser un an.")
    if errors:
        raise ValidationError(errors)
    return start, end


def inspection_facility(pk, *, actor) -> Facility:
    """The prison, if the actor may inspect it: 403 without the permission, 404 outside their prisons."""
    if not may_inspect(actor):
        raise PermissionDenied(_("La vue d'inspection est réservée à la direction, à la DNAPES et aux "
                                 "contrôleurs habilités."))
    try:
        return Facility.objects.visible_to(actor).get(pk=pk)
    except (Facility.DoesNotExist, ValueError, TypeError):
        raise Http404(_("Aucun établissement ne correspond.")) from None


def build_sections(period: Period) -> list[Section]:
    built = []
    for spec in SECTIONS:
        part = spec.build(period)
        part.key, part.title = spec.key, str(spec.title)
        built.append(part)
    return built


def read_inspection(facility_pk, *, actor, start=None, end=None, export_format: str = "") -> dict:
    """Every section of the inspection view of one prison over a period; one audit entry (who, which
    prison, which period, how many people named)."""
    facility = inspection_facility(facility_pk, actor=actor)
    require_serves(actor, facility.pk)
    today = timezone.localdate()
    start, end = check_period(start, end, today=today)
    period = Period(facility=facility, start=start, end=end, user=actor, today=today)
    parts = build_sections(period)
    people = {r.inmate_id for p in parts for r in p.rows if r.inmate_id} | {
        o.inmate_id for p in parts for o in p.overdue if o.inmate_id}
    record_audit(AuditAction.EXPORT if export_format else AuditAction.VIEW, actor=actor, target=facility,
                 facility_id=facility.pk, reason=REASON,
                 changes={"inspection": facility.code, "format": export_format or "page",
                          "debut": start.isoformat(), "fin": end.isoformat(),
                          "sections": [p.key for p in parts], "personnes": len(people)})
    return {
        "facility": {"id": facility.pk, "code": facility.code, "name": facility.name},
        "start": start, "end": end, "generated_at": timezone.now(),
        "overdue_total": sum(len(p.overdue) for p in parts),
        "sections": [p.as_dict() for p in parts],
    }
