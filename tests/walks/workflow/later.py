"""The walk's later registers: individual follow-up (assessment, plan, committee, reintegration),
the paper-register back-fill, and the background exports."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from ..doors import id_in
from ..vocabulary import model
from .common import Steps, iso_day


class LaterSteps(Steps):
    def follow_up(self, a, b):
        """Individual follow-up (issue 15): the social worker assesses A and drafts A's plan (an
        intervention with its sessions and a note; an enrolment refused because of A's category), the
        director's committee approves it and lowers A's regime (B's review stays overdue); DNAPES drafts
        version 2 of the instrument; B's reintegration checklist is opened
        (under a 36-month setting: B's computed sentence end is about two years away) and one point
        settled. Then the night's snapshot of the follow-up counts (the aggregates' trend has a month)."""
        from django.test import override_settings

        from followup.models import Instrument

        s, made = self.s, self.data.made
        bko = self.data.facilities["BKO"]
        version = Instrument.objects.get(code="besoins").published()
        answers = {f"item_{item.code}": item.scale.values()[1]
                   for domain in version.domains.prefetch_related("items__scale") for item in domain.items.all()}
        review_on = iso_day(self.today + datetime.timedelta(days=90))
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
            "held_on": iso_day(self.today), "attended": "on", "note": "Première séance"})
        s["social"].post(f"/suivi/interventions/{made['intervention_refused']}/inscription/", {
            "activity": made["mechanics"]})  # refused: not open to terrorism-related people (counted)
        s["social"].post(f"/suivi/plans/{made['plan']}/note/", {"text": "Assidu ; reconnaît déjà les lettres."})
        made["committee"] = id_in(s["director"].submit(f"/suivi/etablissements/{bko}/comite/nouvelle/", {
            "held_on": iso_day(self.today), "agenda": "Plans individuels du mois", "member_director": "M. Coulibaly",
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
        # The night's follow-up snapshot (oversight.tasks.snapshot_followup): the aggregates' trend has a month.
        from oversight.followup_trend import write_snapshots

        write_snapshots()

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

