"""The walk's file and case work: corrections of the file, charges, orders, hearings, judgment,
a second case; release on time, a death in custody; the accounts from outside (monitor, judge)."""

import datetime

from django.utils import timezone

from .common import Steps, iso_day, local_minute, pdf
from .people import JUDGE_CABINET


class CaseSteps(Steps):
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
            "charged_on": iso_day(self.today - datetime.timedelta(days=20))})
        charges = clerk.api_get(f"/api/v1/cases/{case}/")["charges"]
        added = next(c for c in charges if c["offence"] == "Recel")
        clerk.post(f"/affaires/chefs/{added['id']}/etat/", {
            "status": "reclassified", "reason": "Ordonnance de requalification du juge, 3e cabinet"})
        self.data.made["charge_reclassified"] = added["id"]
        clerk.post(f"/affaires/{case}/titres/ajouter/", {
            "kind": "detention", "reference": "OPD-12/2026", "issued_on": iso_day(self.today - datetime.timedelta(days=2)),
            "issued_by": "M. Sangaré, juge d'instruction", "valid_until": iso_day(self.today + datetime.timedelta(days=180))})
        clerk.post(f"/affaires/{case}/modifier/", self.form_values(
            "clerk", f"/affaires/{case}/modifier/", lawyer="Me Traoré, barreau du Mali",
            reason="Avocat constitué par la famille"))
        clerk.post(f"/affaires/{case}/audiences/ajouter/", {
            "date": iso_day(self.today - datetime.timedelta(days=1)), "kind": "trial", "outcome": "judgment",
            "notes": "Jugement rendu sur le siège"})
        clerk.post(f"/affaires/{case}/jugements/ajouter/", {
            "level": "first", "decided_on": iso_day(self.today), "verdict": "convicted", "sentence_months": "24",
            "sentence_starts_on": iso_day(self.today - datetime.timedelta(days=30)), "notes": ""})
        clerk.post(f"/affaires/sejours/{person.custody}/ouvrir/", {
            "case_number": f"RP-{person.key}8/2026", "court": self.refs["court"], "investigating_judge": "",
            "chamber": "Chambre correctionnelle", "prosecutor": "Parquet de la Commune III", "lawyer": "",
            "opened_on": iso_day(self.today - datetime.timedelta(days=3)), "notes": "",
            "charge-offence": "Coups et blessures volontaires", "charge-legal_class": "delit",
            "charge-max_penalty_months": "12"})
        clerk.post(f"/detenus/sejours/{person.custody}/gardes-anterieures/ajouter/", {
            "kind": "police", "place": "Commissariat du 3e arrondissement", "authority": "OPJ Diarra",
            "started_at": local_minute(self.now - datetime.timedelta(days=9)),
            "ended_at": local_minute(self.now - datetime.timedelta(days=8)), "notes": ""})
        self.s["social"].post(f"/detenus/{person.inmate}/famille/ajouter/", {
            "name": f"Oumou {person.last_name.title()}", "relation": "child", "age_years": "3",
            "whereabouts": "Kati", "caregiver": "sa grand-mère", "phone": "", "address": "", "notes": ""})

    def corrections(self, person):
        clerk = self.s["clerk"]
        url = f"/detenus/{person.inmate}/identite/"
        clerk.post(url, self.form_values("clerk", url, place_of_birth="Sévaré",
                                         reason="Erreur de saisie, cf. mandat de dépôt"))
        clerk.post(f"/detenus/{person.inmate}/autres-noms/ajouter/", {"name": "Abou Doumbia", "kind": "alias"})


    def release_on_time(self, e, g):
        """A release order for E received 30 hours ago and not executed (a late release, in the
        register); G's death in custody, the family told, the judicial authority not yet informed."""
        s, made = self.s, self.data.made
        s["clerk"].post(f"/affaires/{e.case}/liberation/", {
            "kind": "provisional", "received_at": local_minute(self.now - datetime.timedelta(hours=30)),
            "brought_by": "Planton du tribunal", "authority": "Juge d'instruction, 2e cabinet",
            "reference": "OMLP-3/2026", "issued_on": iso_day(self.today - datetime.timedelta(days=2)), "notes": ""})
        made["release_order"] = s["clerk"].api_get("/api/v1/release-orders/")["results"][0]["id"]
        # G was admitted moments ago and the form counts in minutes: the next minute (the
        # service accepts a clock a few minutes ahead).
        died_at = timezone.now() + datetime.timedelta(minutes=1)
        s["clerk"].post(f"/vie-carcerale/sejours/{g.custody}/deces/", {
            "died_at": local_minute(died_at), "place": "Cellule A2",
            "circumstances": "Trouvé inanimé au réveil ; médecin de garde appelé, décès constaté à 06 h 40.",
            "kin_told_at": local_minute(died_at + datetime.timedelta(minutes=1)), "kin_name": "Awa Konaté (épouse)",
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
            "starts_on": iso_day(self.today), "ends_on": iso_day(self.today + datetime.timedelta(days=7)),
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
            "issued_on": iso_day(self.today), "issued_by": "M. Sangaré, juge d'instruction, 3e cabinet",
            "renews": order, "valid_until": iso_day(self.today + datetime.timedelta(days=120)), "release_kind": ""})
        s["judge"].post(f"/tribunal/affaires/{e.case}/ordonnance/", {
            "kind": "release", "document": pdf("mainlevee.pdf"), "reference": "OML-42/2026",
            "issued_on": iso_day(self.today), "issued_by": "M. Sangaré", "release_kind": "provisional"})
        submissions = s["clerk"].api_get("/api/v1/court/submissions/")["results"]
        made["court_submissions"] = [row["id"] for row in submissions]
        rejected = next(row["id"] for row in submissions if row["kind"] == "release")
        s["clerk"].post(f"/tribunal/transmissions/{rejected}/rejeter/", {"reason": "Non conforme à l'original"})

