"""The walk's life inside (the detention app's pages and API): cell moves, classification,
cell leader, visits, complaints, activities, discipline, isolation, searches, serious incidents,
family notifications, a transfer, a release and requests to see one's own file."""

import datetime

from django.utils import timezone

from ..doors import id_in
from ..vocabulary import model
from .common import Steps, iso_day, local_minute


class LifeSteps(Steps):
    def life(self, a, b, c, d):
        s, made, units = self.s, self.data.made, self.data.units
        life = "/vie-carcerale"
        bko = self.data.facilities["BKO"]
        # Cell move, classification, cell leader (security).
        s["security"].post(f"{life}/sejours/{a.custody}/cellule/", {
            "unit": units["J2"], "reason": "Séparation demandée par la direction", "override_reason": ""})
        s["security"].post(f"{life}/sejours/{a.custody}/classement/", {
            "risk": "high", "reasons": "Évaluation individuelle : antécédents, comportement à l'écrou.",
            "assessed_on": iso_day(self.today), "next_review_on": iso_day(self.today + datetime.timedelta(days=90))})
        s["security"].post(f"{life}/sejours/{b.custody}/classement/", {
            "risk": "medium", "reasons": "Évaluation individuelle à l'arrivée.",
            "assessed_on": iso_day(self.today - datetime.timedelta(days=200)),
            "next_review_on": iso_day(self.today - datetime.timedelta(days=10))})
        s["security"].post(f"{life}/unites/{units['A1']}/chef/", {
            "custody": b.custody, "agreement_noted": "on", "agreement_notes": "Choisi par les occupants, à main levée"})
        # Visits: the director sets the visiting days, the clerk keeps the register.
        s["director"].post(f"{life}/etablissements/{bko}/jours-de-visite/", {
            "days": [str(d) for d in range(7)], "notes": "De 8 h à 12 h"})
        s["clerk"].post(f"{life}/sejours/{a.custody}/visite/", {
            "last_name": "Doumbia", "first_name": "Awa", "id_document_kind": "nina", "id_document_number": "N-44521",
            "phone": "", "organisation": "", "kind": "family", "relation": "Épouse",
            "arrived_at": local_minute(self.now - datetime.timedelta(hours=2)), "items_brought": "Repas", "notes": ""})
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
            return local_minute(self.now - datetime.timedelta(**delta))

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
            "planned_end_on": iso_day(self.today + datetime.timedelta(days=2))}), "/isolement/")
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
            "order_received_at": local_minute(self.now - datetime.timedelta(hours=3)),
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

