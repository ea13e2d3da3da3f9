"""The walk's vocabulary, in one place: how to fill each route parameter from the data set.

A new route whose parameters the walk cannot fill makes `test_every_route_can_be_filled`
fail and names it: teach it here. Kinds are found by the URL segment just before the
parameter (`/vie-carcerale/transferts/<pk>/` → transfer), so a renamed URL namespace or a
moved view needs nothing; models are found by class name in whichever app holds them, so a
model moved to another app needs nothing either.
"""

import re

from django.apps import apps
from django.db.models import OuterRef, Subquery

from . import site_mode


def model(name: str):
    """The model class called `name`, in whichever installed app defines it."""
    found = [m for m in apps.get_models() if m.__name__ == name]
    if len(found) != 1:
        raise LookupError(f"{len(found)} models named {name!r}")
    return found[0]


class Kind:
    """A kind of object a route can name: its model, the path(s) to the prison(s) whose staff
    may read it (None: shared reference data), and which rows the walk uses."""

    def __init__(self, model_name, facility_paths=(), *, limit=8, pick=None, form_pick=None, annotate=None):
        self.model_name = model_name
        self.annotate = annotate  # adds the annotation a facility path names
        self.facility_paths = tuple(facility_paths)
        self.limit = limit
        self.pick = pick  # a function (queryset, data set) → queryset, when not "the rows made"
        self.form_pick = form_pick  # the rows for the data-entry forms (FORM_PAGES), if fewer

    def objects(self, data, *, pks=None, form=False):
        """[(id, prison codes or None)] of the objects the walk opens (or of `pks`)."""
        qs = model(self.model_name).objects.all()
        if self.annotate:
            qs = self.annotate(qs)
        pick = self.form_pick if form and self.form_pick else self.pick
        if pks is not None:
            qs = qs.filter(pk__in=pks).order_by("pk")
        else:
            qs = (pick(qs, data) if pick else qs).order_by("pk")[: self.limit]
        if not self.facility_paths:
            return [(pk, None) for pk in qs.values_list("pk", flat=True)]
        rows = []
        for values in qs.values_list("pk", *self.facility_paths):
            rows.append((values[0], frozenset(v for v in values[1:] if v)))
        return rows


def _latest_stay(qs):
    """A person belongs to the prison of their latest stay (inmates' visible_to)."""
    latest = model("Custody").objects.filter(inmate=OuterRef("pk")).order_by("-admitted_at")
    return qs.annotate(latest_prison=Subquery(latest.values("facility__code")[:1]))


def _of_people(*keys, field="pk", attr=None):
    """The rows of these people of the data set (see workflow.py for who is who)."""
    def pick(qs, data):
        return qs.filter(**{f"{field}__in": [getattr(data.people[k], attr or "inmate") for k in keys]})
    return pick


def _walk_prisons(qs, data):
    return qs.filter(pk__in=data.facilities.values())


def _walk_units(qs, data):
    """A block with cells, a cell with a leader, a VEO cell, and Koulikoro's dormitory."""
    return qs.filter(pk__in=[data.units[code] for code in ("A", "A1", "J2", "K1")])


def _walk_searches(qs, data):
    """The searches the workflow made in the register, and one admission search (the others repeat it)."""
    first_admission = qs.filter(at_admission=True).order_by("pk").values_list("pk", flat=True)[:1]
    return qs.filter(pk__in=[*qs.filter(at_admission=False).values_list("pk", flat=True), *first_admission])


def _walk_users(qs, data):
    return qs.filter(pk__in=[data.staff["dnapes"].user.pk, data.staff["clerk"].user.pk])


# Which rows: the people's files and stays in each state the pages branch on (see
# workflow.py), and of the records around them the rows that differ (a sample of the rest
# would only repeat the same page at the cost of ten requests a row).
KINDS = {
    "facility": Kind("Facility", ["code"], pick=_walk_prisons),
    "unit": Kind("Unit", ["facility__code"], pick=_walk_units),
    # A, B, C, D and F (E's stay is A's without the terrorism case: E is walked through its
    # case and its deadline alerts).
    # Their forms: held here (A), held in Koulikoro now (C), released (D).
    "inmate": Kind("Inmate", ["latest_prison"], annotate=_latest_stay, pick=_of_people("A", "B", "C", "D", "F"),
                   form_pick=_of_people("A", "C", "D")),
    "custody": Kind("Custody", ["facility__code"],
                    pick=_of_people("A", "B", "C", "D", "F", attr="custody"),
                    form_pick=_of_people("A", "C", "D", attr="custody")),
    # A (terrorism, police custody exceeded), B (convicted) and B's second case, C (now
    # Koulikoro's), E (overdue). Their forms: A, C and B's convicted case.
    "case": Kind("Case", ["custody__facility__code"],
                 pick=_of_people("A", "B", "C", "E", field="custody", attr="custody"),
                 form_pick=lambda qs, data: qs.filter(pk__in=[data.people[k].case for k in "ABC"])),
    # The charge of A, C and E, and B's three (current, reclassified, second case).
    "charge": Kind("Charge", ["case__custody__facility__code"],
                   pick=_of_people("A", "B", "C", "E", field="case__custody", attr="custody")),
    # Complete with medical allegation and profile (A), complete (B), now Koulikoro's (C),
    # in progress (F).
    "intake": Kind("Intake", ["facility__code"],
                   pick=_of_people("A", "B", "C", "F", attr="intake")),
    "transfer": Kind("Transfer", ["from_facility__code", "to_facility__code"]),
    "release": Kind("Release", ["custody__facility__code"]),
    "visit": Kind("Visit", ["facility__code"]),
    "complaint": Kind("Complaint", ["facility__code"]),
    "activity": Kind("Activity", ["facility__code"]),
    "enrolment": Kind("Enrolment", ["activity__facility__code"]),
    "family_notification": Kind("FamilyNotification", ["custody__facility__code"]),
    "alert": Kind("DeadlineAlert", ["custody__facility__code"]),
    # H held pending regularisation; the one handed back to the escort.
    "presentation": Kind("Presentation", ["facility__code"]),
    "release_order": Kind("ReleaseOrder", ["case__custody__facility__code"]),
    "death": Kind("DeathInCustody", ["custody__facility__code"]),
    # A's request to see their own file (pending) and D's (answered, extract handed over).
    "own_file_request": Kind("OwnFileRequest", ["facility__code"]),
    # Bamako's register back-fill: a file with errors and an imported one; its records to verify.
    "import_job": Kind("ImportJob", ["facility__code"]),
    "imported_record": Kind("ImportedRecord", ["facility__code"], limit=2),
    # A's two (a cell move), C's two (Bamako then Koulikoro), D's (ended by the release).
    "placement": Kind("Placement", ["unit__facility__code"],
                      pick=_of_people("A", "C", "D", field="custody", attr="custody")),
    "classification": Kind("Classification", ["custody__facility__code"]),
    "cell_leader": Kind("CellLeader", ["unit__facility__code"]),
    "disciplinary_charge": Kind("DisciplinaryCharge", ["incident__facility__code"]),
    "isolation": Kind("IsolationPlacement", ["facility__code"]),
    # Issue 14, items 3-4: the admission searches of the intakes, a cell search, an intrusive search
    # with items; a use of force examined and reported, and a restraint still lasting, not reviewed.
    "search": Kind("Search", ["facility__code"], pick=_walk_searches),
    "use_of_force": Kind("UseOfForce", ["facility__code"]),
    # A's injury (recorded by health staff, with its medical details) and a collective incident.
    "serious_incident": Kind("SeriousIncident", ["facility__code"]),
    "fingerprint": Kind("Fingerprint", ["intake__facility__code"], limit=2),
    # Reference data, read by every member of staff whatever their prison.
    "court": Kind("Court", limit=2),
    "limit": Kind("DetentionLimit", limit=2),
    "user": Kind("User", pick=_walk_users),
    # Issue 14: the monitor's authorisations (DNAPES and administrators; the monitor their own) and
    # the orders the judge sent (one pending, one rejected).
    "monitor_authorisation": Kind("MonitorAuthorisation"),
    "court_submission": Kind("CourtSubmission", ["case__custody__facility__code"]),
    # Background exports (issue 11): Bamako's director's backlog, DNAPES's national occupancy
    # (no prison: only the member of staff who asked opens it).
    "export_job": Kind("ExportJob", ["facility__code"]),
    # Issue 15: A's assessment and approved plan (an intervention attended, one refused), the
    # committee's session, B's reintegration checklist; the instrument (reference data).
    "assessment": Kind("Assessment", ["custody__facility__code"]),
    "plan": Kind("IndividualPlan", ["custody__facility__code"]),
    "intervention": Kind("Intervention", ["plan__custody__facility__code"]),
    "committee_session": Kind("CommitteeSession", ["facility__code"]),
    "committee_decision": Kind("CommitteeDecision", ["session__facility__code"]),
    "reintegration_checklist": Kind("ReintegrationChecklist", ["custody__facility__code"]),
    "checklist_item": Kind("ChecklistItem", ["checklist__custody__facility__code"], limit=2),
    "instrument": Kind("Instrument", limit=2),
    "instrument_version": Kind("InstrumentVersion", limit=2),
}

# Data-entry forms (the GET of a form): their page depends little on the record's state, so
# they are walked on each kind's `form_pick` rows.
FORM_PAGES = re.compile(r"/(ajouter|ouvrir|modifier|identite|etat|transfert|cellule|sortie|classement|visite"
                        r"|plainte|famille|placement|chef|nouvelle|jours-de-visite"
                        r"|rapport|notifier|audience|decision|recours|issue|isolement|fin"
                        r"|blessure|autorite|enquete|constat-medical"
                        r"|evaluation|plan|intervention|note|revision|seance|inscription|element)/$")

# The URL segment just before an id names its kind (pages in French, the API in English).
SEGMENTS = {
    "etablissements": "facility", "facilities": "facility",
    "unites": "unit", "units": "unit",
    "detenus": "inmate", "inmates": "inmate",
    "sejours": "custody", "custodies": "custody",
    "affaires": "case", "cases": "case",
    "chefs": "charge", "charges": "charge",
    "ecrou": "intake", "intakes": "intake",
    "transferts": "transfer", "transfers": "transfer",
    "sorties": "release", "releases": "release",
    "visites": "visit", "visits": "visit",
    "plaintes": "complaint", "complaints": "complaint",
    "activites": "activity", "activities": "activity",
    "inscriptions": "enrolment", "enrolments": "enrolment",
    "famille": "family_notification", "family-notifications": "family_notification",
    "alertes": "alert", "alerts": "alert",
    "liberations": "release_order", "release-orders": "release_order",
    "deces": "death", "deaths": "death",
    "demandes-dossier": "own_file_request", "own-file-requests": "own_file_request",
    "presentations": "presentation",
    "imports": "import_job",
    "enregistrements": "imported_record", "records": "imported_record",
    "placements": "placement",
    "discipline": "disciplinary_charge", "disciplinary-charges": "disciplinary_charge",
    "isolations": "isolation", "isolement": "isolation",
    "fouilles": "search", "searches": "search",
    "usage-force": "use_of_force", "uses-of-force": "use_of_force",
    "incidents": "serious_incident", "serious-incidents": "serious_incident",
    "classifications": "classification",
    "cell-leaders": "cell_leader",
    "courts": "court",
    "delais": "limit", "detention-limits": "limit",
    "utilisateurs": "user",
    "autorisations": "monitor_authorisation", "monitor-authorisations": "monitor_authorisation",
    "transmissions": "court_submission", "submissions": "court_submission",
    "exports": "export_job", "export-jobs": "export_job",
    "evaluations": "assessment", "assessments": "assessment",
    "plans": "plan",
    "interventions": "intervention",
    "comite": "committee_session", "committee-sessions": "committee_session",
    "committee-decisions": "committee_decision",
    "preparations": "reintegration_checklist", "reintegration-checklists": "reintegration_checklist",
    "points": "checklist_item",
    "instruments": "instrument",
    "versions": "instrument_version", "instrument-versions": "instrument_version",
}
# Parameters named for their kind, wherever they appear.
PARAMETER_KINDS = {"custody_pk": "custody", "user_id": "user", "item": "fingerprint"}


def _reports():
    # The report keys are the oversight app's own table (a new report is walked the day it exists).
    from oversight.access import REPORTS

    return list(REPORTS)


# Parameters that are words, not ids.
PARAMETER_VALUES = {
    "slug": lambda: ["security", "administration", "registry", "medical", "interview"],
    "step": lambda: ["answer", "refer", "close"],
    "kind": lambda: ["photo", "warrant"],
    "key": _reports,
    "fmt": lambda: ["csv", "xlsx", "pdf"],
    "format": lambda: ["json"],
    "code": lambda: ["BKO", "MOP"],
    "decision": lambda: ["refuse", "hold", "title", "release"],  # POST only: a GET is 405  # regions (reference data, the same for every reader)
}
# Routes whose parameters go together, or whose every combination would only repeat itself.
ROUTE_PARAMETERS = {
    # The exchange's POST-only steps (a refused action sent again, a duplicates decision): a single
    # all-in-one site has neither (tests/sync walks them on a prison's and the national server).
    "sync:resend": lambda data: [{"seq": 1}],
    "sync:duplicate_decide": lambda data: [{"pk": 1}],
    # A stored photo and warrant scan, and the intake in progress that has none yet.
    "intake:intake_file": lambda data: [
        {"pk": data.people["A"].intake, "kind": "photo"}, {"pk": data.people["A"].intake, "kind": "warrant"},
        {"pk": data.people["C"].intake, "kind": "warrant"}, {"pk": data.people["F"].intake, "kind": "photo"}],
    # A fingerprint of Bamako's A and of Koulikoro's C.
    "intake:intake_file_item": lambda data: [
        {"pk": intake, "kind": "fingerprint", "item": fingerprint} for intake, fingerprint in _first_fingerprints()
        if intake in (data.people["A"].intake, data.people["C"].intake)],
    # Every step of the intake in progress; one step of a completed intake (a refusal page).
    "intake:step_form": lambda data: [
        *({"pk": data.people["F"].intake, "slug": slug} for slug in PARAMETER_VALUES["slug"]()),
        {"pk": data.people["A"].intake, "slug": "interview"}],
    # A PDF of everything held on a person: Bamako's A and Koulikoro's C (the page and the
    # API, which read the same service, are walked on every person).
    "subject_access:subject_access_pdf": lambda data: [{"pk": data.people["A"].inmate},
                                                       {"pk": data.people["C"].inmate}],
    # A PDF: the completed intake's receipt, and the refusal for an intake not yet inventoried.
    "intake:registry_receipt": lambda data: [{"pk": data.people["A"].intake}, {"pk": data.people["F"].intake}],
}


def _first_fingerprints():
    rows = model("Fingerprint").objects.exclude(image="").order_by("intake", "pk").values_list("intake", "pk")
    first = {}
    for intake, fingerprint in rows:
        first.setdefault(intake, fingerprint)
    return list(first.items())


# Query strings (several: the route is opened with each), without which a route has nothing
# to show, or would not show the rows where its bugs hide.
QUERIES = {
    "inmate-matches": lambda data: ["?last_name=Sissoko&first_name=Boubacar"],
    # The journal's first page holds the latest entries; filtered by person, it shows the
    # intake's own entries (every step's audit change).
    "accounts:audit_list": lambda data: ["", f"?inmate={data.people['A'].inmate}", "?action=view&page=2"],
    # The filters staff use on the lists, each of which shows other rows.
    "inmates:inmate_list": lambda data: ["", "?situation=released", "?situation=all&q=sissoko",
                                         "?legal_status=untried&terrorism=1", "?legal_status=convicted"],
    "deadlines:alert_list": lambda data: ["", "?kind=overdue&sort=name", "?sort=-opened"],
    "deadlines:backlog": lambda data: ["", f"?facility={data.facilities['BKO']}"],
    "intake:intake_list": lambda data: ["", "?facility=BKO"],
    "life:transfer_list": lambda data: ["", "?tous=1"],
    "life:complaint_list": lambda data: ["", "?etat=allegations", "?etat=all"],
    "life:classification_list": lambda data: ["", "?en_retard=1"],
    "life:visit_list": lambda data: ["", f"?jour={_today()}"],
    # Reports for one prison (the roll needs one for national readers) and for a past day.
    "oversight:report": lambda data: ["", f"?etablissement={data.facilities['BKO']}&date={_today(-1)}"],
}


def _today(days=0):
    import datetime

    from django.utils import timezone

    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()

# Routes that answer a signed-in member of staff without a page, by design (the positive
# control accepts this status instead of a 200).
DOCUMENTED_ANSWERS = {
    "accounts:login": (302, "a signed-in member of staff is sent to the home page"),
    "set_language": (302, "Django's language switch is a POST target; a GET is sent back to the page"),
    "sync-changes": (401, "a prison's server's door: its site credential, never a member of staff's"),
    # The exchange's pages by the server walked (site_mode.py): a prison's server and the national
    # server show their exchange's health (a 200); a single all-in-one site has none.
    **{"single": {
        "sync:health": (404, "a single all-in-one site has no exchange"),
        "sync:duplicates": (404, "cross-prison duplicates are decided at the national server only"),
        "sync-health": (404, "a single all-in-one site has no exchange"),
    }, "prison": {
        "sync:duplicates": (404, "cross-prison duplicates are decided at the national server only"),
    }, "national": {}}[site_mode.mode()],
}

# Routes whose answer does not depend on the signed-in reader: asked once, shared by every role.
SAME_FOR_EVERY_ROLE = {
    "schema": "the OpenAPI schema is the same for every signed-in reader (a second per request)",
}

# Routes outside the walk: the admin site has its own walk (changelist and change pages of every
# registered model); the rest are not pages.
SKIPPED = {
    "healthz": "the load balancer's probe, no page",
}

# Routes that show other prisons' people by design (national duplicate search at arrival:
# a returning person may come from anywhere, DESIGN.md §3): left out of the content-leak check.
NATIONAL_BY_DESIGN = {
    "inmate-matches": "duplicate candidates are searched nationally (intake.services.duplicate_candidates)",
}
