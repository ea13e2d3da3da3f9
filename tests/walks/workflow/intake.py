"""The walk's arrivals: the register's arrival form, the five intake steps, and a person
brought without a valid title (presentations)."""

import datetime

from django.utils import timezone

from ..doors import id_in
from ..vocabulary import model
from .common import FINGERS, Steps, iso_day, local_minute, pdf, png
from .people import Person


class IntakeSteps(Steps):
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
            "issued_on": iso_day(issued_on), "court": self.refs["court_terror" if terrorism else "court"],
            "case_number": f"RI-{person.key}7/2026", "investigating_judge": "M. Sangaré",
            "arresting_force": "gendarmerie", "arresting_unit": "Brigade de Sévaré",
            "arrested_at": local_minute(arrested_at), "arrest_place": "Sévaré", "arrest_region": self.refs["region_mop"],
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
                         f"priors-{i}-started_at": local_minute(self.now - datetime.timedelta(days=start_days)),
                         f"priors-{i}-ended_at": local_minute(self.now - datetime.timedelta(days=end_days))})
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
                "report_date": iso_day(self.today)})
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


    def without_title(self):
        """H brought without a valid title (issue 16 §4): recorded at the door by security, held by
        the director in A2, the letter printed; a second presentation refused through the API."""
        s, made = self.s, self.data.made
        at = local_minute(self.now - datetime.timedelta(hours=1))
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

