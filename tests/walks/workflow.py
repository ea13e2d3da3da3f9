"""The walk's data set, made through the real doors as the staff would make it: the pages'
forms, and the API to read back ids. Reference data (units) and staff accounts come from
factories; every person, stay, case, step, movement and register entry comes from a page.

Bamako Central (BKO):
  A  DOUMBIA Moussa     terrorism-related, five intake steps (uploads, fingerprints and a
                        missing-finger reason, property, injury and allegation of ill-treatment
                        reported onward, interview and profile), identity corrected, alias, cell
                        move, classification, family told, visit, allegation complaint referred,
                        library enrolment, State Security custody (police custody exceeded)
  B  KOUYATE Seydou     five steps, charge added then reclassified, second case, detention order,
                        hearing, conviction, prior custody, child, cell leader, confidential
                        complaint answered and closed, lawyer visit, workshop enrolment,
                        classification whose review is overdue
  C  SISSOKO Boubacar   five steps, transfer Bamako → Koulikoro (request, director's approval,
                        departure, arrival at Koulikoro), family to be told of the transfer
  D  FOFANA Ibrahim     five steps, released with the receipt
  E  DEMBELE Adama      five steps, on a warrant of eight months ago: délit overdue (art. 129)
  F  SANOGO Oumar       arrival and security step only: intake in progress
  G  KONATE Bakary      five steps, died in custody (family told, judicial authority not yet)
E also has a release order received 30 hours ago and not executed: a late release.
  H  DIARRA Sékou      brought without a valid title: recorded by security, held by the
                        director pending regularisation (critical alert, letter to the prosecutor)
  (and a man brought without a title, recorded and handed back to his escort through the API)
Then the nightly deadline sweep and the occupancy snapshot, as their commands.
"""

import datetime
import io
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from accounts.roles import Role
from tests import factories

from .doors import Staff, id_in, run_on_commit
from .vocabulary import model

FINGERS = ("r_thumb", "r_index", "r_middle", "r_ring", "r_little",
           "l_thumb", "l_index", "l_middle", "l_ring", "l_little")

# Who walks: key → (role, prison code or None, extra user fields). The every-role walk
# takes them all; the other-prison walk takes the Koulikoro ones.
ACCOUNTS = {
    "clerk": (Role.CLERK, "BKO", {}),
    "security": (Role.SECURITY, "BKO", {}),
    "medical": (Role.MEDICAL, "BKO", {}),
    "social": (Role.SOCIAL, "BKO", {}),
    "director": (Role.DIRECTOR, "BKO", {"email": "directeur.bko@example.ml"}),
    "clerk_klk": (Role.CLERK, "KLK", {}),
    "director_klk": (Role.DIRECTOR, "KLK", {}),
    "dnapes": (Role.DNAPES, None, {}),
    "admin": (Role.ADMIN, None, {"is_staff": True}),
    # Accounts from outside the prison service (issue 14): a CNDH monitor authorised for Bamako,
    # an investigating judge whose cabinet holds E's case.
    "monitor": (Role.MONITOR, "BKO", {}),  # assigned: offered as a complaint's addressee there
    "judge": (Role.MAGISTRATE, None, {}),
    "superuser": (None, None, {"is_superuser": True, "is_staff": True}),
}
OTHER_PRISON = ("clerk_klk", "director_klk")
# Words the workflow writes only into need-to-know records (the medical examination; the
# social interview and profile), and who may read them.
NEED_TO_KNOW = {
    "medical": ("Ecchymoses aux poignets", "Pas de signe de tuberculose", "privé de sommeil"),
    "interview": ("Dit ne rien savoir des faits", "Berger, puis commerçant", "logisticien"),
}
MAY_READ = {"medical": {"medical"}, "interview": {"social", "director", "director_klk"}}


def png(name="photo.png", color=(120, 90, 60)):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 50), color).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def pdf(name="mandat.pdf"):
    """A real one-page PDF (a warrant scan must parse: intake.services.validate_upload)."""
    from pypdf import PdfWriter

    writer, buffer = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=595, height=842)
    writer.write(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/pdf")


def _local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _day(day):
    return day.isoformat()


@dataclass
class Person:
    key: str
    last_name: str
    first_name: str
    intake: int = 0
    inmate: int = 0
    custody: int = 0
    case: int = 0
    prisoner_number: str = ""


@dataclass
class DataSet:
    """What the walk needs: the signed-in staff and the people made through the workflow."""

    staff: dict = field(default_factory=dict)
    people: dict = field(default_factory=dict)
    facilities: dict = field(default_factory=dict)  # code → id
    units: dict = field(default_factory=dict)  # code → id
    made: dict = field(default_factory=dict)  # what the workflow created, by name (ids)
    seconds: float = 0.0

    def bamako_only_markers(self):
        """Strings that name people whom only Bamako may read (the leak check looks for them)."""
        return [m for p in self.people.values() if p.key != "C"
                for m in (p.last_name, p.prisoner_number) if m]


def _units():
    facility = model("Facility")
    bko, klk = facility.objects.get(code="BKO"), facility.objects.get(code="KLK")
    block = factories.UnitFactory(facility=bko, code="A", name="Bâtiment A", kind="block", capacity=60)
    units = {
        "A1": factories.UnitFactory(facility=bko, parent=block, code="A1", name="Cellule A1", capacity=7),
        "A2": factories.UnitFactory(facility=bko, parent=block, code="A2", name="Cellule A2", capacity=7),
        "J1": factories.UnitFactory(facility=bko, code="J1", name="Quartier désigné J1", capacity=7, regime="veo"),
        "J2": factories.UnitFactory(facility=bko, code="J2", name="Quartier désigné J2", capacity=7, regime="veo"),
        "K1": factories.UnitFactory(facility=klk, code="K1", name="Grand dortoir K1", capacity=60),
    }
    return {"BKO": bko.pk, "KLK": klk.pk}, {"A": block.pk, **{code: u.pk for code, u in units.items()}}


def _accounts(facilities):
    staff = {}
    facility = model("Facility")
    for key, (role, code, extra) in ACCOUNTS.items():
        prisons = [facility.objects.get(pk=facilities[code])] if code else []
        username = key.replace("_", ".")
        if role is None:
            user = factories.UserFactory(username=f"{username}.walk", **extra)
        else:
            user = factories.UserFactory(username=f"{username}.walk", role=role, facilities=prisons, **extra)
        staff[key] = Staff(model("User").objects.get(pk=user.pk), key)
    nobody = factories.UserFactory(username="sans.role.walk", facilities=[facility.objects.get(code="BKO")])
    staff["norole"] = Staff(model("User").objects.get(pk=nobody.pk), "norole")
    _outside_access(staff, facility.objects.get(code="BKO"))
    return staff


JUDGE_CABINET = "3e cabinet"


def _outside_access(staff, bamako):
    """Before they sign in: the monitor's authorisation (granted by DNAPES) and the judge's cabinet
    (set by the administrator), through the services; the rest is made through the pages."""
    from accounts import monitors
    from casework.court_portal import set_magistrate_profile

    today = timezone.localdate()
    monitors.grant_monitor_authorisation(
        staff["monitor"].user, actor=staff["dnapes"].user, body="cndh", facilities=[bamako], starts_on=today,
        ends_on=today + datetime.timedelta(days=30), reference="CNDH/2026/031", reason="Visite trimestrielle")
    set_magistrate_profile(staff["judge"].user, actor=staff["admin"].user, function="judge",
                           court=model("Court").objects.get(code="TGI-C3"), cabinet=JUDGE_CABINET)
    for key in ("monitor", "judge"):
        staff[key] = Staff(model("User").objects.get(pk=staff[key].user.pk), key)


class Workflow:
    def __init__(self, data: DataSet):
        self.data = data
        self.s = data.staff
        self.now = timezone.now()
        self.today = timezone.localdate()
        region, court = model("Region"), model("Court")
        self.refs = {
            "region_bko": region.objects.get(code="BKO").pk, "region_mop": region.objects.get(code="MOP").pk,
            "court": court.objects.get(code="TGI-C3").pk, "court_terror": court.objects.get(code="PJS-C6").pk,
        }

    # --- intake ----------------------------------------------------------------------------

    def arrival(self, person: Person, *, terrorism=False, issued_days_ago=1, legal_class="crime",
                penalty=120, prior=None):
        clerk = self.s["clerk"]
        issued_on = self.today - datetime.timedelta(days=issued_days_ago)
        arrested_at = self.now - datetime.timedelta(days=issued_days_ago + 3)
        post = {
            "facility": self.data.facilities["BKO"], "last_name": person.last_name, "first_name": person.first_name,
            "father_name": "Amadou", "mother_name": "Fatoumata Traoré", "sex": "M", "birth_year": "1988",
            "region_of_origin": self.refs["region_mop"], "warrant_number": f"MD-{person.key}7/2026",
            "warrant_kind": "committal", "issued_by": "M. Sangaré, juge d'instruction",
            "issued_on": _day(issued_on), "court": self.refs["court_terror" if terrorism else "court"],
            "case_number": f"RI-{person.key}7/2026", "investigating_judge": "M. Sangaré",
            "arresting_force": "gendarmerie", "arresting_unit": "Brigade de Sévaré",
            "arrested_at": _local(arrested_at), "arrest_place": "Sévaré", "arrest_region": self.refs["region_mop"],
            "charges-TOTAL_FORMS": "2", "charges-INITIAL_FORMS": "0",
            "charges-0-offence": ("Association de malfaiteurs en lien avec une entreprise terroriste"
                                  if terrorism else "Vol qualifié"),
            "charges-0-legal_class": legal_class, "charges-0-max_penalty_months": str(penalty),
            "priors-TOTAL_FORMS": "2", "priors-INITIAL_FORMS": "0",
            "action": "register", "identity_choice": "new",
        }
        if terrorism:
            post["charges-0-terrorism_related"] = "on"
        for i, (kind, place, start_days, end_days) in enumerate(prior or []):
            post.update({f"priors-{i}-kind": kind, f"priors-{i}-place": place,
                         f"priors-{i}-authority": "Officier de police judiciaire",
                         f"priors-{i}-started_at": _local(self.now - datetime.timedelta(days=start_days)),
                         f"priors-{i}-ended_at": _local(self.now - datetime.timedelta(days=end_days))})
        clerk.get("/ecrou/arrivee/")
        person.intake = id_in(clerk.submit("/ecrou/arrivee/", post), "/ecrou/")
        self.refresh(person)
        self.data.people[person.key] = person
        return person

    def refresh(self, person: Person):
        state = self.s["clerk"].api_get(f"/api/v1/intakes/{person.intake}/")
        person.inmate, person.custody, person.case = state["inmate"]["id"], state["custody"], state["case"]
        person.prisoner_number = state["inmate"]["prisoner_number"] or ""
        return state

    def step(self, person, slug, who, data):
        url = f"/ecrou/{person.intake}/etape/{slug}/"
        self.s[who].get(url)
        self.s[who].post(url, data)

    def security(self, person, unit, **extra):
        self.step(person, "security", "security", {
            "rules_explained": "on", "rules_language": "bambara", "rules_mode": "oral", "search_done": "on",
            "can_read": "false", "interpreter_name": "", "acknowledgement": "thumbprint",
            "charges_communicated": "on", "charges_communicated_by": "Greffier de permanence",
            "charges_communicated_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "unit": self.data.units[unit], "notes": "", **extra})

    def administration(self, person, *, fingerprints=True):
        data = {"identity_confirmed": "on", "identity_notes": "", "place_of_birth": "Mopti",
                "nationality": "malienne", "languages": "bambara, peul", "photo": png(),
                "warrant_scan": pdf(), "relatives-TOTAL_FORMS": "2", "relatives-INITIAL_FORMS": "0",
                "relatives-0-name": f"Awa {person.last_name.title()}", "relatives-0-relation": "spouse",
                "relatives-0-is_next_of_kin": "on", "relatives-0-is_emergency_contact": "on",
                "relatives-0-phone": "+223 76 00 00 00", "relatives-0-address": "Mopti, Komoguel",
                "relatives-1-name": f"Fanta {person.last_name.title()}", "relatives-1-relation": "child",
                "relatives-1-age_years": "6", "relatives-1-whereabouts": "Mopti",
                "relatives-1-caregiver": "sa mère"}
        for finger in FINGERS:
            data[f"fingerprint_{finger}"] = png(f"{finger}.png", color=(10, 10, 10))
        if fingerprints:
            data.pop("fingerprint_l_little")
            data["fingerprint_l_little_missing"] = "Doigt amputé"
        self.step(person, "administration", "clerk", data)

    def registry(self, person):
        self.step(person, "registry", "clerk", {
            "items-TOTAL_FORMS": "3", "items-INITIAL_FORMS": "0",
            "items-0-category": "phone", "items-0-description": "Téléphone Tecno noir", "items-0-quantity": "1",
            "items-0-imei": "356938035643809", "items-0-currency": "XOF",
            "items-1-category": "cash", "items-1-description": "Billets", "items-1-quantity": "1",
            "items-1-cash_amount": "12500", "items-1-currency": "XOF",
            "items-2-category": "id_papers", "items-2-description": "Carte NINA", "items-2-quantity": "1",
            "items-2-currency": "XOF",
            "seal_number": f"SC-2026-{person.key}42", "storage_place": "Vestiaire, casier 12",
            "acknowledgement": "thumbprint", "notes": ""})

    def medical(self, person, *, allegation=False):
        data = {"fit": "yes", "contagious_screening": "Pas de signe de tuberculose", "treatment": ""}
        if allegation:
            data.update({
                "visible_injuries": "on", "injuries_description": "Ecchymoses aux poignets et au dos",
                "ill_treatment_alleged": "on", "allegation_by_whom": "Agents lors de l'interrogatoire",
                "allegation_where": "Sécurité d'État, Bamako", "allegation_when": "Il y a deux semaines",
                "allegation_account": "Dit avoir été frappé et privé de sommeil.",
                "treatment": "Antalgiques", "report_authority": "Procureur de la République, Commune VI",
                "report_date": _day(self.today)})
        self.step(person, "medical", "medical", data)

    def interview(self, person, *, profile=False):
        data = {"background": "Berger, puis commerçant à Mopti.", "family_situation": "Marié, un enfant.",
                "languages": "bambara, peul", "own_account": "Dit ne rien savoir des faits.",
                "motivations": "", "needs": ["lawyer", "family_contact"], "needs_notes": "Avocat commis d'office",
                "conclusions": "Besoin d'un avocat et de contact familial.", "ethnic_group": "peul",
                "religion": "islam", "education": "koranic", "occupation": "trader",
                "marital_status": "married", "children_count": "1"}
        if profile:
            data.update({"affiliations": ["jnim", "mnla"], "involvement": "forced",
                         "organisational_role": "logistics", "engagement_reasons": ["survival", "economic"]})
        self.step(person, "interview", "social", data)

    def admit(self, person, unit, *, medical_allegation=False, profile=False, **arrival):
        self.arrival(person, **arrival)
        self.security(person, unit)
        self.administration(person)
        self.registry(person)
        self.medical(person, allegation=medical_allegation)
        self.interview(person, profile=profile)
        self.refresh(person)
        return person

    # --- the file and the case ---------------------------------------------------------------

    def form_values(self, who, url, **changes):
        """A form page's current values as POST data, with `changes` applied."""
        response = self.s[who].get(url)
        form = response.context["forms"][0]
        data = {}
        for name, bound in form.fields.items():
            value = form[name].value()
            if isinstance(value, bool) or getattr(bound.widget, "input_type", "") == "checkbox":
                if value:
                    data[name] = "on"
                continue
            if value is None:
                value = ""
            if isinstance(value, datetime.date):
                value = value.isoformat()
            data[name] = value
        data.update(changes)
        return data

    def case_work(self, person):
        clerk, case = self.s["clerk"], person.case
        clerk.post(f"/affaires/{case}/chefs/ajouter/", {
            "offence": "Recel", "legal_class": "delit", "max_penalty_months": "60", "article": "art. 282",
            "charged_on": _day(self.today - datetime.timedelta(days=20))})
        charges = clerk.api_get(f"/api/v1/cases/{case}/")["charges"]
        added = next(c for c in charges if c["offence"] == "Recel")
        clerk.post(f"/affaires/chefs/{added['id']}/etat/", {
            "status": "reclassified", "reason": "Ordonnance de requalification du juge, 3e cabinet"})
        self.data.made["charge_reclassified"] = added["id"]
        clerk.post(f"/affaires/{case}/titres/ajouter/", {
            "kind": "detention", "reference": "OPD-12/2026", "issued_on": _day(self.today - datetime.timedelta(days=2)),
            "issued_by": "M. Sangaré, juge d'instruction", "valid_until": _day(self.today + datetime.timedelta(days=180))})
        clerk.post(f"/affaires/{case}/modifier/", self.form_values(
            "clerk", f"/affaires/{case}/modifier/", lawyer="Me Traoré, barreau du Mali",
            reason="Avocat constitué par la famille"))
        clerk.post(f"/affaires/{case}/audiences/ajouter/", {
            "date": _day(self.today - datetime.timedelta(days=1)), "kind": "trial", "outcome": "judgment",
            "notes": "Jugement rendu sur le siège"})
        clerk.post(f"/affaires/{case}/jugements/ajouter/", {
            "level": "first", "decided_on": _day(self.today), "verdict": "convicted", "sentence_months": "24",
            "sentence_starts_on": _day(self.today - datetime.timedelta(days=30)), "notes": ""})
        clerk.post(f"/affaires/sejours/{person.custody}/ouvrir/", {
            "case_number": f"RP-{person.key}8/2026", "court": self.refs["court"], "investigating_judge": "",
            "chamber": "Chambre correctionnelle", "prosecutor": "Parquet de la Commune III", "lawyer": "",
            "opened_on": _day(self.today - datetime.timedelta(days=3)), "notes": "",
            "charge-offence": "Coups et blessures volontaires", "charge-legal_class": "delit",
            "charge-max_penalty_months": "12"})
        clerk.post(f"/detenus/sejours/{person.custody}/gardes-anterieures/ajouter/", {
            "kind": "police", "place": "Commissariat du 3e arrondissement", "authority": "OPJ Diarra",
            "started_at": _local(self.now - datetime.timedelta(days=9)),
            "ended_at": _local(self.now - datetime.timedelta(days=8)), "notes": ""})
        self.s["social"].post(f"/detenus/{person.inmate}/famille/ajouter/", {
            "name": f"Oumou {person.last_name.title()}", "relation": "child", "age_years": "3",
            "whereabouts": "Kati", "caregiver": "sa grand-mère", "phone": "", "address": "", "notes": ""})

    def corrections(self, person):
        clerk = self.s["clerk"]
        url = f"/detenus/{person.inmate}/identite/"
        clerk.post(url, self.form_values("clerk", url, place_of_birth="Sévaré",
                                         reason="Erreur de saisie, cf. mandat de dépôt"))
        clerk.post(f"/detenus/{person.inmate}/autres-noms/ajouter/", {"name": "Abou Doumbia", "kind": "alias"})

    # --- custody life --------------------------------------------------------------------------

    def life(self, a, b, c, d):
        s, made, units = self.s, self.data.made, self.data.units
        life = "/vie-carcerale"
        bko = self.data.facilities["BKO"]
        # Cell move, classification, cell leader (security).
        s["security"].post(f"{life}/sejours/{a.custody}/cellule/", {
            "unit": units["J2"], "reason": "Séparation demandée par la direction", "override_reason": ""})
        s["security"].post(f"{life}/sejours/{a.custody}/classement/", {
            "risk": "high", "reasons": "Évaluation individuelle : antécédents, comportement à l'écrou.",
            "assessed_on": _day(self.today), "next_review_on": _day(self.today + datetime.timedelta(days=90))})
        s["security"].post(f"{life}/sejours/{b.custody}/classement/", {
            "risk": "medium", "reasons": "Évaluation individuelle à l'arrivée.",
            "assessed_on": _day(self.today - datetime.timedelta(days=200)),
            "next_review_on": _day(self.today - datetime.timedelta(days=10))})
        s["security"].post(f"{life}/unites/{units['A1']}/chef/", {
            "custody": b.custody, "agreement_noted": "on", "agreement_notes": "Choisi par les occupants, à main levée"})
        # Visits: the director sets the visiting days, the clerk keeps the register.
        s["director"].post(f"{life}/etablissements/{bko}/jours-de-visite/", {
            "days": [str(d) for d in range(7)], "notes": "De 8 h à 12 h"})
        s["clerk"].post(f"{life}/sejours/{a.custody}/visite/", {
            "last_name": "Doumbia", "first_name": "Awa", "id_document_kind": "nina", "id_document_number": "N-44521",
            "phone": "", "organisation": "", "kind": "family", "relation": "Épouse",
            "arrived_at": _local(self.now - datetime.timedelta(hours=2)), "items_brought": "Repas", "notes": ""})
        visits = s["clerk"].api_get("/api/v1/visits/")
        made["visit_ended"] = visits["results"][0]["id"] if "results" in visits else visits[0]["id"]
        s["clerk"].post(f"{life}/visites/{made['visit_ended']}/sortie/")
        s["clerk"].post(f"{life}/sejours/{b.custody}/visite/", {
            "last_name": "Traoré", "first_name": "Me Aminata", "id_document_kind": "professional",
            "id_document_number": "B-1207", "phone": "", "organisation": "Barreau du Mali", "kind": "lawyer",
            "relation": "", "arrived_at": "", "items_brought": "", "notes": ""})
        # Complaints: an allegation of ill-treatment (referred onward by the director) and a
        # confidential one addressed to the social worker (answered, then closed).
        location = s["clerk"].submit(f"{life}/sejours/{a.custody}/plainte/", {
            "complainant_kind": "detainee", "channel": "oral", "subject": "Coups lors de l'interrogatoire",
            "details": "Dit avoir été frappé à la Sécurité d'État avant son arrivée.", "is_allegation": "on",
            "addressed_to": ""})
        made["allegation"] = id_in(location, "/plaintes/")
        s["director"].post(f"{life}/plaintes/{made['allegation']}/refer/", {
            "authority": "Procureur de la République, Commune VI", "reference": "Soit-transmis 45/2026"})
        s["clerk"].post(f"{life}/sejours/{b.custody}/plainte/", {
            "complainant_kind": "detainee", "channel": "written", "subject": "Demande de changement de cellule",
            "details": "Souhaite être éloigné d'un codétenu.", "is_confidential": "on",
            "addressed_to": s["social"].user.pk})
        complaints = s["director"].api_get("/api/v1/complaints/")
        rows = complaints.get("results", complaints)
        made["confidential"] = next(r["id"] for r in rows if r["id"] != made["allegation"])
        s["social"].post(f"{life}/plaintes/{made['confidential']}/answer/", {
            "answer": "Entretien fait ; demande transmise au chef de la sécurité."})
        s["director"].post(f"{life}/plaintes/{made['confidential']}/close/")
        # Activities (director) and enrolments (social worker, by prisoner number).
        made["workshop"] = id_in(s["director"].submit(f"{life}/etablissements/{bko}/activites/nouvelle/", {
            "name": "Atelier de couture", "kind": "tailoring", "open_to_regimes": ["standard"],
            "open_to_untried": "on", "open_to_convicted": "on", "capacity": "20"}), "/activites/")
        made["library"] = id_in(s["director"].submit(f"{life}/etablissements/{bko}/activites/nouvelle/", {
            "name": "Bibliothèque", "kind": "library", "open_to_regimes": ["standard", "veo"],
            "open_to_untried": "on", "open_to_convicted": "on", "open_to_terrorism_related": "on"}), "/activites/")
        s["social"].post(f"{life}/activites/{made['workshop']}/inscrire/", {"prisoner_number": b.prisoner_number})
        s["social"].post(f"{life}/activites/{made['library']}/inscrire/", {"prisoner_number": a.prisoner_number})
        # Discipline, through the pages and the API, one charge at each step: B's is reported,
        # notified, heard, decided (no sanction) and appealed, its outcome awaited; A's are to
        # notify (API report), to hear, and to decide. Isolation (B, a security measure, visited
        # by health staff) through its pages and the API.
        sec, director = s["security"], s["director"]

        def ago(**delta):
            return _local(self.now - datetime.timedelta(**delta))

        def report(person, offence, place):
            return id_in(sec.submit(f"{life}/etablissements/{bko}/discipline/rapport/", {
                "people": person.prisoner_number, "occurred_at": ago(days=3), "place": place,
                "description": f"{offence} (rapport du surveillant de service)", "witnesses": "Surveillant K.",
                "offence": offence}), "/discipline/")

        charge = report(b, "Refus d'obéir", "Cour B")
        sec.post(f"{life}/discipline/{charge}/notifier/", {"language": "bambara", "at": ago(days=2)})
        director.post(f"{life}/discipline/{charge}/audience/", {
            "statement": "Je n'avais pas compris.", "interpreter": "", "at": ago(days=1)})
        director.post(f"{life}/discipline/{charge}/decision/", {"sanction": "", "days": "",
                                                                "reasons": "Premier manquement", "at": ""})
        sec.post(f"{life}/discipline/{charge}/recours/", {"at": ""})
        made["disciplinary_charge"] = charge
        reported = sec.api_post("/api/v1/disciplinary-incidents/", {
            "facility": bko, "custodies": [a.custody], "occurred_at": (self.now - datetime.timedelta(hours=5))
            .isoformat(), "place": "Atelier", "description": "Téléphone trouvé sous la natte",
            "offence": "Détention d'un objet interdit"})
        assert len(reported["charges"]) == 1
        to_hear = report(a, "Insultes envers un surveillant", "Quartier J")
        sec.post(f"{life}/discipline/{to_hear}/notifier/", {"language": "français", "at": ago(days=2)})
        to_decide = report(a, "Dégradation du matériel", "Quartier J")
        sec.post(f"{life}/discipline/{to_decide}/notifier/", {"language": "français", "at": ago(days=2)})
        sec.post(f"{life}/discipline/{to_decide}/audience/", {
            "statement": "Je reconnais les faits.", "interpreter": "", "at": ago(days=1)})
        decided = report(a, "Refus de regagner la cellule", "Cour A")
        sec.post(f"{life}/discipline/{decided}/notifier/", {"language": "français", "at": ago(days=2)})
        sec.post(f"{life}/discipline/{decided}/audience/", {
            "statement": "J'attendais mon avocat.", "interpreter": "", "at": ago(days=1)})
        director.post(f"{life}/discipline/{decided}/decision/", {"sanction": "", "days": "",
                                                                  "reasons": "Explication admise", "at": ""})
        placement = id_in(director.submit(f"{life}/sejours/{b.custody}/isolement/", {
            "reason_kind": "security", "charge": "", "reason": "Menaces reçues",
            "planned_end_on": _day(self.today + datetime.timedelta(days=2))}), "/isolement/")
        s["medical"].api_post(f"/api/v1/isolations/{placement}/visit/", {"adverse_effects": ""})
        made["isolation"] = placement
        # Searches (a cell search with an item destroyed; A's intrusive search, authorised, with an
        # item handed to the judicial police) and uses of force (B: handcuffs, examined and reported;
        # A: a restraint still lasting beyond the limit, not reviewed), through the services.
        from detention.services import force, searches
        custody_a = model("Custody").objects.get(pk=a.custody)
        custody_b = model("Custody").objects.get(pk=b.custody)
        searches.record_search(custody_b.facility, kind="cell", unit=custody_b.placements.get(ended_at__isnull=True).unit,
                               reason="Fouille générale du bâtiment", witnesses="Chef de poste",
                               items=[{"description": "Lame artisanale", "outcome": "destroyed"}],
                               actor=s["security"].user, at=self.now - datetime.timedelta(hours=5))
        made["search"] = searches.record_search(
            custody_a.facility, kind="intrusive", custody=custody_a, searcher_sex=custody_a.inmate.sex,
            reason="Suspicion d'objet dissimulé", authorised_by="Le directeur", authorisation_reference="Décision 7/2026",
            items=[{"description": "Carte SIM", "outcome": "police", "reference": "PV 31/2026"}],
            actor=s["security"].user, at=self.now - datetime.timedelta(hours=4)).pk
        handcuffs = force.record_use_of_force(
            custody_b, reason_kind="resistance", reason="Refus de regagner la cellule", means="handcuffs",
            place="Couloir B", staff=[s["security"].user], duration_minutes=20, injuries="Rougeur aux poignets",
            actor=s["security"].user, at=self.now - datetime.timedelta(hours=3))
        force.record_force_examination(handcuffs, actor=s["medical"].user, at=self.now - datetime.timedelta(hours=2))
        force.record_force_report(handcuffs, actor=s["director"].user, at=self.now - datetime.timedelta(hours=2))
        made["use_of_force"] = handcuffs.pk
        force.record_use_of_force(
            custody_a, reason_kind="self_defence", reason="A frappé un surveillant", means="leg_restraints",
            place="Cour A", other_staff="Sgt Keïta", actor=s["security"].user,
            at=self.now - datetime.timedelta(hours=3))
        # Serious incidents (issue 14 item 5): A's injury recorded by health staff (its medical
        # details for them only), the judicial authority informed by security, the family not yet
        # told (flagged); a collective disturbance involving B and C, recorded by security.
        from detention.services import incidents
        injury = incidents.record_injury(
            custody_a, occurred_at=timezone.now(), place="Escalier du bloc J",
            circumstances="Chute dans l'escalier lors du retour de promenade.",
            nature_of_injuries="Ecchymoses aux poignets, plaie du cuir chevelu suturée",
            treatment="Suture, antalgiques", examining_doctor="Dr Keïta", actor=s["medical"].user)
        incidents.record_authority_notice(injury, authority="Procureur de la République, Commune III",
                                          reference="ST-12/2026", actor=s["security"].user)
        made["serious_incident"] = injury.pk
        riot = incidents.record_incident(
            custody_b.facility, kind="riot", occurred_at=timezone.now(), place="Cour B",
            circumstances="Refus collectif de regagner les cellules, sans blessé.", actor=s["security"].user,
            involved=[(custody_b, "author"), (model("Custody").objects.get(pk=c.custody), "involved")])
        made["collective_incident"] = riot.pk
        # B's attempted suicide, recorded by security: the authority and the family still to be
        # told, the medical details still to be added by health staff.
        made["attempted_suicide"] = incidents.record_incident(
            custody_b.facility, kind="attempted_suicide", custody=custody_b, occurred_at=timezone.now(),
            place="Cellule A1", circumstances="Découvert par le surveillant de nuit, secours immédiats.",
            actor=s["security"].user).pk
        # Family told of the admission (A); of the transfer (C), told later.
        relatives = s["clerk"].api_get(f"/api/v1/inmates/{a.inmate}/")["relatives"]
        spouse = next(r for r in relatives if r["relation"] == "spouse")
        s["clerk"].post(f"{life}/sejours/{a.custody}/famille/", {
            "event": "admission", "choice": "wishes", "relative": spouse["id"], "told_now": "on", "method": "phone",
            "contact_name": "", "contact_phone": "", "notes": ""})
        # Transfer of C: request (clerk), approval (director), departure (clerk), arrival (Koulikoro).
        made["transfer"] = id_in(s["clerk"].submit(f"{life}/sejours/{c.custody}/transfert/", {
            "to_facility": self.data.facilities["KLK"], "reason": "Désengorgement de la maison centrale",
            "escort": "Garde nationale", "property_seal_number": "SC-T-118", "property_notes": "Sac de vêtements"}),
            "/transferts/")
        s["clerk"].post(f"{life}/sejours/{c.custody}/famille/", {
            "event": "transfer", "transfer": made["transfer"], "choice": "wishes", "relative": "",
            "contact_name": "Mariam Sissoko", "contact_phone": "+223 66 00 00 01", "method": "", "notes": ""})
        s["director"].post(f"{life}/transferts/{made['transfer']}/approuver/")
        s["clerk"].post(f"{life}/transferts/{made['transfer']}/depart/", {
            "escort": "Garde nationale, adjudant Coulibaly, véhicule GN-214", "property_seal_number": "SC-T-118",
            "property_notes": "Sac de vêtements scellé"})
        s["clerk_klk"].post(f"{life}/transferts/{made['transfer']}/arrivee/", {
            "unit": units["K1"], "property_received_notes": "Scellé intact", "override_reason": ""})
        notifications = s["clerk_klk"].api_get("/api/v1/family-notifications/")
        made["told_later"] = next(n["id"] for n in notifications.get("results", notifications))
        s["clerk_klk"].post(f"{life}/famille/{made['told_later']}/prevenu/", {"method": "phone"})
        # Release of D, with the receipt.
        made["release"] = id_in(s["clerk"].submit(f"{life}/sejours/{d.custody}/sortie/", {
            "reason": "release_order", "authority": "Juge d'instruction, 3e cabinet", "order_reference": "OML-7/2026",
            "order_received_at": _local(self.now - datetime.timedelta(hours=3)),
            "left_at": "", "property_returned": "on",
            "receipt": "signature", "witness_name": "", "property_notes": "Téléphone et carte rendus",
            "file_extract_given": "on", "notes": ""}), "/sorties/")
        s["clerk"].get(f"{life}/sorties/{made['release']}/recu/")
        # Requests to see one's own file (Rule 9): A's pending; D's, after the release, answered.
        s["clerk"].post(f"{life}/sejours/{a.custody}/acces-dossier/", {
            "requester": "detainee", "channel": "oral", "requester_name": "", "requested_at": ""})
        made["own_file_answered"] = id_in(s["clerk"].submit(f"{life}/sejours/{d.custody}/acces-dossier/", {
            "requester": "lawyer", "requester_name": "Me Traoré", "channel": "written", "requested_at": ""}),
            "/demandes-dossier/")
        s["clerk"].get(f"{life}/demandes-dossier/{made['own_file_answered']}/extrait/")
        s["clerk"].post(f"{life}/demandes-dossier/{made['own_file_answered']}/reponse/", {
            "extract_handed_over": "on", "note": ""})

    def release_on_time(self, e, g):
        """A release order for E received 30 hours ago and not executed (a late release, in the
        register); G's death in custody, the family told, the judicial authority not yet informed."""
        s, made = self.s, self.data.made
        s["clerk"].post(f"/affaires/{e.case}/liberation/", {
            "kind": "provisional", "received_at": _local(self.now - datetime.timedelta(hours=30)),
            "brought_by": "Planton du tribunal", "authority": "Juge d'instruction, 2e cabinet",
            "reference": "OMLP-3/2026", "issued_on": _day(self.today - datetime.timedelta(days=2)), "notes": ""})
        made["release_order"] = s["clerk"].api_get("/api/v1/release-orders/")["results"][0]["id"]
        # G was admitted moments ago and the form counts in minutes: the next minute (the
        # service accepts a clock a few minutes ahead).
        died_at = timezone.now() + datetime.timedelta(minutes=1)
        s["clerk"].post(f"/vie-carcerale/sejours/{g.custody}/deces/", {
            "died_at": _local(died_at), "place": "Cellule A2",
            "circumstances": "Trouvé inanimé au réveil ; médecin de garde appelé, décès constaté à 06 h 40.",
            "kin_told_at": _local(died_at + datetime.timedelta(minutes=1)), "kin_name": "Awa Konaté (épouse)",
            "kin_method": "phone"})
        made["death"] = s["clerk"].api_get("/api/v1/deaths/")["results"][0]["id"]


    def outside_accounts(self, e):
        """Issue 14: E's case is the judge's cabinet's; DNAPES grants the monitor a second
        authorisation through the page; a complaint is addressed to the monitor; the judge
        acknowledges E's art. 129 notice and sends a renewal order (pending: the clerk's to
        confirm) and a release order that the clerk rejects."""
        s, made = self.s, self.data.made
        url = f"/affaires/{e.case}/modifier/"
        s["clerk"].post(url, self.form_values("clerk", url, chamber=JUDGE_CABINET,
                                              reason="Cabinet saisi (ordonnance de désignation)"))
        s["dnapes"].post("/comptes/autorisations/", {
            "monitor": s["monitor"].user.pk, "body": "cndh", "facilities": [self.data.facilities["BKO"]],
            "starts_on": _day(self.today), "ends_on": _day(self.today + datetime.timedelta(days=7)),
            "reference": "CNDH/2026/032", "reason": "Visite inopinée"})
        made["monitor_authorisation"] = s["dnapes"].api_get("/api/v1/monitor-authorisations/")["results"][0]["id"]
        s["clerk"].post(f"/vie-carcerale/sejours/{e.custody}/plainte/", {
            "complainant_kind": "detainee", "channel": "written", "subject": "Demande d'entretien avec la CNDH",
            "details": "Souhaite rencontrer l'observatrice lors de sa visite.", "addressed_to": s["monitor"].user.pk})
        alerts = s["judge"].api_get(f"/api/v1/court/cases/{e.case}/")["alerts"]
        notice = next(a for a in alerts if a["art129_notice"])
        s["judge"].post(f"/tribunal/alertes/{notice['id']}/accuser-reception/", {"note": "Audience fixée"})
        order = s["judge"].api_get(f"/api/v1/court/cases/{e.case}/")["detention_orders"][0]["id"]
        s["judge"].post(f"/tribunal/affaires/{e.case}/ordonnance/", {
            "kind": "renewal", "document": pdf("prolongation.pdf"), "reference": "OP-41/2026",
            "issued_on": _day(self.today), "issued_by": "M. Sangaré, juge d'instruction, 3e cabinet",
            "renews": order, "valid_until": _day(self.today + datetime.timedelta(days=120)), "release_kind": ""})
        s["judge"].post(f"/tribunal/affaires/{e.case}/ordonnance/", {
            "kind": "release", "document": pdf("mainlevee.pdf"), "reference": "OML-42/2026",
            "issued_on": _day(self.today), "issued_by": "M. Sangaré", "release_kind": "provisional"})
        submissions = s["clerk"].api_get("/api/v1/court/submissions/")["results"]
        made["court_submissions"] = [row["id"] for row in submissions]
        rejected = next(row["id"] for row in submissions if row["kind"] == "release")
        s["clerk"].post(f"/tribunal/transmissions/{rejected}/rejeter/", {"reason": "Non conforme à l'original"})

    def without_title(self):
        """H brought without a valid title (issue 16 §4): recorded at the door by security, held by
        the director in A2, the letter printed; a second presentation refused through the API."""
        s, made = self.s, self.data.made
        at = _local(self.now - datetime.timedelta(hours=1))
        location = s["security"].submit("/ecrou/presentations/nouvelle/", {
            "facility": self.data.facilities["BKO"], "presented_at": at, "escort_force": "police",
            "escort_unit": "Commissariat du 3e arrondissement", "escort_names": "Sergent Coulibaly (mle 1187)",
            "last_name": "DIARRA", "first_name": "Sékou", "sex": "M", "birth_year": "1988",
            "declared": "Dit avoir été arrêté au marché de Médina Coura.", "missing": "expired",
            "missing_details": "Mandat d'amener du 2 mars, expiré ; aucun mandat de dépôt.",
            "document_shown": "Mandat d'amener n° 44", "prosecutor": self.refs["court"]})
        made["presentation"] = id_in(location, "/presentations/")
        s["director"].post(f"/ecrou/presentations/{made['presentation']}/decision/hold/", {
            "hold-reason": "L'escorte est repartie sans la personne ; parquet avisé par téléphone.",
            "hold-unit": self.data.units["A2"], "hold-override_reason": ""})
        s["director"].get(f"/ecrou/presentations/{made['presentation']}/lettre-parquet.pdf")
        held = model("Presentation").objects.get(pk=made["presentation"])
        self.data.people["H"] = Person("H", "DIARRA", "Sékou", inmate=held.inmate_id, custody=held.custody_id)
        refused = s["clerk"].api_post("/api/v1/presentations/", {
            "facility": "BKO", "escort_force": "gendarmerie", "escort_unit": "Brigade de Kati",
            "escort_names": "MDL Keïta", "last_name": "TANGARA", "first_name": "Issa", "sex": "M",
            "missing": "wrong_prison", "missing_details": "Mandat de dépôt pour la maison d'arrêt de Kati."})
        made["presentation_refused"] = refused["id"]
        s["clerk"].api_post(f"/api/v1/presentations/{refused['id']}/refuse/", {
            "handed_to": "MDL Keïta", "reason": "Titre pour un autre établissement : remis à l'escorte."})

    def follow_up(self, a, b):
        """Individual follow-up (issue 15): the social worker assesses A and drafts A's plan (an
        intervention with its sessions and a note; an enrolment refused because of A's category), the
        director's committee approves it and lowers A's regime (B's review stays overdue); DNAPES drafts
        version 2 of the instrument; B's reintegration checklist is opened
        (under a 36-month setting: B's computed sentence end is about two years away) and one point
        settled."""
        from django.test import override_settings

        from followup.models import Instrument

        s, made = self.s, self.data.made
        bko = self.data.facilities["BKO"]
        version = Instrument.objects.get(code="besoins").published()
        answers = {f"item_{item.code}": item.scale.values()[1]
                   for domain in version.domains.prefetch_related("items__scale") for item in domain.items.all()}
        review_on = _day(self.today + datetime.timedelta(days=90))
        made["assessment"] = id_in(s["social"].submit(f"/suivi/sejours/{a.custody}/evaluation/", {
            **answers, "justification": "Entretien individuel en bambara, une heure.",
            "conclusion": "Priorités : alphabétisation et contact avec la famille.", "next_review_on": review_on}),
            "/evaluations/")
        made["plan"] = id_in(s["social"].submit(f"/suivi/sejours/{a.custody}/plan/", {
            "summary": "Alphabétisation, puis formation ; maintien du lien familial.",
            "goals": "Lire et écrire\nReprendre contact avec sa famille", "next_review_on": review_on}), "/plans/")
        made["mechanics"] = id_in(s["director"].submit(f"/vie-carcerale/etablissements/{bko}/activites/nouvelle/", {
            "name": "Atelier de mécanique", "kind": "mechanics", "open_to_regimes": ["standard", "veo"],
            "open_to_untried": "on", "open_to_convicted": "on"}), "/activites/")
        kinds = {row["code"]: row["id"] for row in model("InterventionType").objects.values("code", "id")}
        s["social"].post(f"/suivi/plans/{made['plan']}/intervention/", {
            "kind": kinds["literacy"], "provider_kind": "ngo", "provider_name": "Association Lire au Mali",
            "activity": made["library"]})
        s["social"].post(f"/suivi/plans/{made['plan']}/intervention/", {
            "kind": kinds["mechanics"], "provider_kind": "staff", "activity": made["mechanics"]})
        plan = s["social"].api_get(f"/api/v1/followup/plans/{made['plan']}/")
        made["intervention"], made["intervention_refused"] = [i["id"] for i in plan["interventions"]]
        s["social"].post(f"/suivi/interventions/{made['intervention']}/seance/", {
            "held_on": _day(self.today), "attended": "on", "note": "Première séance"})
        s["social"].post(f"/suivi/interventions/{made['intervention_refused']}/inscription/", {
            "activity": made["mechanics"]})  # refused: not open to terrorism-related people (counted)
        s["social"].post(f"/suivi/plans/{made['plan']}/note/", {"text": "Assidu ; reconnaît déjà les lettres."})
        made["committee"] = id_in(s["director"].submit(f"/suivi/etablissements/{bko}/comite/nouvelle/", {
            "held_on": _day(self.today), "agenda": "Plans individuels du mois", "member_director": "M. Coulibaly",
            "member_security": "Adjudant-chef Keïta", "member_social": "Mme Sidibé", "member_medical": "Dr Touré",
            "member_education": ""}), "/comite/")
        s["director"].post(f"/suivi/comite/{made['committee']}/decision/", {
            "custody": a.custody, "kind": "plan", "plan": made["plan"], "reasons": "Plan adapté aux besoins évalués",
            "risk": "", "activity_access": "unknown"})
        s["director"].post(f"/suivi/comite/{made['committee']}/decision/", {
            "custody": a.custody, "kind": "regime", "risk": "medium", "next_review_on": review_on,
            "reasons": "Comportement exemplaire depuis l'écrou", "activity_access": "unknown"})
        # DNAPES drafts version 2 of the instrument (a copy of version 1, left in draft: its form pages).
        s["dnapes"].post(f"/suivi/instruments/{version.instrument_id}/nouvelle-version/",
                         {"change_note": "Ajout d'un domaine logement"})
        with override_settings(FOLLOWUP_REINTEGRATION_MONTHS=36):
            made["checklist"] = id_in(s["social"].submit(f"/suivi/sejours/{b.custody}/preparation-sortie/"),
                                      "/preparations/")
        checklist = s["social"].api_get(f"/api/v1/followup/reintegration-checklists/{made['checklist']}/")
        s["social"].post(f"/suivi/points/{checklist['items'][0]['id']}/", {"note": "Carte NINA demandée"})

    def back_fill(self):
        """Two lines of Bamako's paper register brought in by the clerk (issue 13): a file with an error
        (its preview and error workbook), then the fixed file, checked and imported; records to verify."""
        from registers import sample

        s, made = self.s, self.data.made
        rows = sample.sample_rows(2, courts=["TGI-C3"], units=["A1"], volume="W1", first_number=9001)
        xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        location = s["clerk"].submit("/registres/deposer/", {
            "facility": self.data.facilities["BKO"],
            "file": SimpleUploadedFile("erreurs.xlsx", sample.to_xlsx([{**rows[0], "sex": "Z"}]), xlsx)})
        made["import_with_errors"] = id_in(location, "/imports/")
        location = s["clerk"].submit("/registres/deposer/", {
            "facility": self.data.facilities["BKO"], "file": SimpleUploadedFile("registre.xlsx",
                                                                                sample.to_xlsx(rows), xlsx)})
        made["import"] = id_in(location, "/imports/")
        s["clerk"].post(f"/registres/imports/{made['import']}/confirmer/")
        # The scanned page 1 of volume W1, beside which the records are verified.
        s["clerk"].post(f"/registres/imports/{made['import']}/pages-scannees/",
                        {"files": [SimpleUploadedFile("W1-1.png", sample.PAGE_PNG, "image/png")]})


    def exports(self):
        """Background exports (issue 11): Bamako's director asks for Bamako's backlog through the
        page's button; DNAPES for the national occupancy through the API. Each is only theirs."""
        s, made = self.s, self.data.made
        location = s["director"].submit("/rapports/exports/nouveau/", {
            "kind": "backlog", "fmt": "xlsx", "facility": self.data.facilities["BKO"]})
        made["export_backlog"] = id_in(location, "/exports/")
        made["export_report"] = s["dnapes"].api_post("/api/v1/export-jobs/", {
            "kind": "report", "report": "occupancy", "format": "csv"}, expect=(202,))["id"]


def build() -> DataSet:
    """Make the data set (inside the caller's transaction)."""
    data = DataSet()
    data.facilities, data.units = _units()
    data.staff = _accounts(data.facilities)
    for member in data.staff.values():
        member.sign_in()
    flow = Workflow(data)
    a = flow.admit(Person("A", "DOUMBIA", "Moussa"), "J1", terrorism=True, medical_allegation=True, profile=True,
                   prior=[("state_security", "Sécurité d'État, Bamako", 25, 6),
                          ("gendarmerie", "Gendarmerie Camp I", 6, 4)])
    b = flow.admit(Person("B", "KOUYATE", "Seydou"), "A1", legal_class="delit", penalty=36)
    c = flow.admit(Person("C", "SISSOKO", "Boubacar"), "A1")
    d = flow.admit(Person("D", "FOFANA", "Ibrahim"), "A1")
    e = flow.admit(Person("E", "DEMBELE", "Adama"), "A2", legal_class="delit", penalty=36, issued_days_ago=240)
    g = flow.admit(Person("G", "KONATE", "Bakary"), "A2")
    f = flow.arrival(Person("F", "SANOGO", "Oumar"))
    flow.security(f, "A2")
    flow.refresh(f)
    flow.corrections(a)
    flow.case_work(b)
    flow.life(a, b, c, d)
    flow.release_on_time(e, g)
    flow.without_title()
    flow.back_fill()
    flow.follow_up(a, b)
    with run_on_commit():
        call_command("flag_overdue_detentions", stdout=io.StringIO())
        call_command("snapshot_occupancy", stdout=io.StringIO())
    flow.exports()
    flow.outside_accounts(e)
    for person in data.people.values():
        if person.intake:  # H, held without a title, has no intake yet
            flow.refresh(person)
    # Messages queued by the workflow's forms are shown once: read them now, so that the walk
    # starts from clean sessions.
    for member in data.staff.values():
        member.client.get("/")
    return data
