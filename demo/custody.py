"""The stays the generator draws: the legal picture, earlier custody, the arrest chain,
cases, judgments, orders, hearings and placements."""

import datetime as dt

from casework.models import (
    Case,
    Charge,
    ChargeStatus,
    DetentionOrder,
    Hearing,
    HearingKind,
    HearingOutcome,
    Judgment,
    LegalClass,
    OrderKind,
    Verdict,
)
from casework.status import case_legal_status, custody_legal_status
from demo.places import CT_POLE, GENERIC_PROFILE, PROFILES
from demo.rows import R
from demo.vocabulary import (
    BAMAKO_QUARTERS,
    CABINETS,
    CONFLICT_PLACES,
    FOREIGN_OPERATIONS,
    GENOCIDE,
    LAWYERS,
    MILITARY_CAMPS,
    MINORS_W,
    ORDINARY_W,
    REBELLION,
    TERRORISM_W,
    TOWNS,
    WOMEN_W,
)
from inmates.models import (
    ArrestingForce,
    Custody,
    CustodyStatus,
    LegalStatus,
    Placement,
    PriorCustody,
    PriorCustodyKind,
    ReleaseReason,
)


class CustodyRows:
    """The current (or last) stay of one person and its files (a part of `Generator`)."""

    # -- the legal picture: what happened, before any row is written --

    def legal_plan(self, rng, facility, profile, status, sex, minor, veo, un):
        """Days since admission, the verdict and the release reason (a dict)."""
        plan = {"cases": 1 if rng.random() < 0.96 else 2, "judgment": None, "release": "",
                "appeal": False, "charges": True,
                "repeat": status == CustodyStatus.HELD and not minor and rng.random() < 0.04}
        if un:
            plan.update(days=rng.randint(2500, 5000), judgment=Verdict.CONVICTED, genocide=True)
            return plan
        if status == CustodyStatus.RELEASED:
            reason = rng.choices(
                [ReleaseReason.SENTENCE_SERVED, ReleaseReason.PROVISIONAL, ReleaseReason.RELEASE_ORDER,
                 ReleaseReason.ACQUITTAL, ReleaseReason.DISMISSAL, ReleaseReason.PARDON,
                 ReleaseReason.DEATH, ReleaseReason.ESCAPE],
                cum_weights=[35, 60, 70, 80, 90, 95, 97, 98])[0]
            plan["release"] = reason
            plan["judgment"] = {ReleaseReason.SENTENCE_SERVED: Verdict.CONVICTED,
                                ReleaseReason.PARDON: Verdict.CONVICTED,
                                ReleaseReason.ACQUITTAL: Verdict.ACQUITTED,
                                ReleaseReason.DISMISSAL: Verdict.DISMISSED}.get(reason)
            plan["days"] = rng.randint(20, 1500)  # length of the stay
            plan["released_ago"] = rng.randint(1, 1460)
            plan["charges"] = True
            return plan
        untried = rng.random() < (profile.veo_untried if veo else profile.untried)
        plan["charges"] = veo or not untried or rng.random() >= 0.07
        if untried:
            r = rng.random()
            if veo:
                days = (rng.randint(20, 365) if r < 0.3 else rng.randint(365, 1095) if r < 0.75
                        else rng.randint(1095, 2900))
            else:
                days = (min(365, int(rng.expovariate(1 / 90))) if r < 0.55 else rng.randint(90, 540)
                        if r < 0.82 else rng.randint(365, 1095) if r < 0.95 else rng.randint(1095, 2400))
            plan["days"] = max(5, days)
        else:
            plan["judgment"] = Verdict.CONVICTED
            plan["appeal"] = rng.random() < 0.12
            plan["days"] = None  # chosen with the sentence
        return plan

    def earlier_custody(self, rng, inmate, facility, plan, before):
        """A finished earlier stay (sentence served) ending well before `before`: repeat offenders."""
        months = rng.choice((6, 12, 18, 24))
        released = before - dt.timedelta(days=rng.randint(60, 900), hours=rng.randint(0, 9))
        admitted = released - dt.timedelta(days=int(months * 30.4))
        custody = R(id=self._id(Custody), inmate_id=inmate.id, facility_id=facility.pk,
                          status=CustodyStatus.RELEASED, admitted_at=admitted, released_at=released,
                          release_reason=ReleaseReason.SENTENCE_SERVED, legal_status=LegalStatus.CONVICTED,
                          arresting_force=ArrestingForce.POLICE, arrested_at=admitted - dt.timedelta(days=2),
                          arrest_place=facility.town, arrest_region_id=facility.region_id,
                          grounds="Vol simple", committing_authority="Parquet")
        self.rows[Custody].append(custody)
        court = self.courts[PROFILES.get(facility.code, GENERIC_PROFILE).courts[0]]
        case = R(id=self._id(Case), custody_id=custody.id, court_id=court.pk,
                    case_number=self.case_number(admitted.year, "RP"), opened_on=admitted.date(),
                    prosecutor=f"Procureur de la République près le {court.name}",
                    legal_status=LegalStatus.CONVICTED)
        self.rows[Case].append(case)
        self.rows[Charge].append(R(id=self._id(Charge), case_id=case.id, offence="Vol simple",
                                        legal_class=LegalClass.DELIT, max_penalty_months=60,
                                        flagrant=True, charged_on=admitted.date()))
        self.rows[DetentionOrder].append(R(
            id=self._id(DetentionOrder), case_id=case.id, kind=OrderKind.PROSECUTOR,
            issued_on=admitted.date(), issued_by=case.prosecutor,
            valid_until=admitted.date() + dt.timedelta(days=91)))
        decided = admitted.date() + dt.timedelta(days=rng.randint(10, 60))
        self.rows[Judgment].append(R(id=self._id(Judgment), case_id=case.id, decided_on=decided,
                                            verdict=Verdict.CONVICTED, sentence_months=months,
                                            sentence_starts_on=admitted.date()))
        plan["number_from"] = (facility.code, admitted.year)

    # -- the current (or last) stay --

    def custody(self, rng, inmate, facility, profile, status, sex, minor, veo, un, ethnic, plan):
        offences = self.offences(rng, sex, minor, veo, un, ethnic)
        main = offences[0]
        crime = any(o[1] == LegalClass.CRIME for o in offences)
        if plan["judgment"] == Verdict.CONVICTED and not un:
            if main[2] is None or crime:
                sentence = rng.choice((60, 120, 120, 180, 240)) if main[2] else rng.choice((240, 300, 360))
            else:
                sentence = rng.choice((3, 6, 6, 12, 12, 18, 24, 36, 48, 60))
            plan["sentence"], plan["life"] = sentence, main[2] is None and rng.random() < 0.25
            if plan["days"] is None:  # held, serving: admitted within the sentence
                served = int(sentence * 30.4)
                plan["days"] = rng.randint(20, max(21, min(served - 5, 3650)))
        days = plan["days"]
        if status == CustodyStatus.RELEASED:
            released_at = self.dt_days_ago(rng, plan["released_ago"])
            if plan["release"] == ReleaseReason.SENTENCE_SERVED:
                plan["sentence"], plan["life"] = max(1, round(days / 30.4)), False
            admitted_at = released_at - dt.timedelta(days=days, hours=rng.randint(1, 6))
        else:
            released_at = None
            admitted_at = self.dt_days_ago(rng, days)
            if admitted_at > self.now:
                admitted_at = self.now - dt.timedelta(hours=rng.randint(1, 6))
        admitted_on = admitted_at.date()
        if plan["repeat"]:
            self.earlier_custody(rng, inmate, facility, plan, before=admitted_at)

        # Arrest chain (DESIGN.md §1; LAW.md §3: earlier custody counts).
        priors, arrest, authority = self.arrest_chain(rng, facility, veo, un, admitted_at)
        custody = R(
            id=self._id(Custody), inmate_id=inmate.id, facility_id=facility.pk, status=status,
            admitted_at=admitted_at, released_at=released_at, release_reason=plan["release"],
            grounds="; ".join(o[0] for o in offences), **arrest,
        )
        for kind, place, authority, start, end in priors:
            self.rows[PriorCustody].append(R(
                id=self._id(PriorCustody), custody_id=custody.id, kind=kind, place=place,
                authority=authority, started_at=start, ended_at=end))

        # Prisoner number: kept from an earlier stay, else issued in the year of admission.
        code, year = plan.get("number_from", (facility.code, admitted_at.year))
        inmate.prisoner_number = self.prisoner_number(code, year)

        statuses, terrorism, case_authority = self.cases(rng, custody, facility, profile, plan,
                                                         offences, veo, un, admitted_on)
        # As casework.services.refresh_legal_status sets them.
        custody.legal_status = custody_legal_status(statuses)
        custody.terrorism_related = terrorism
        custody.committing_authority = authority or case_authority
        self.rows[Custody].append(custody)
        self.placements(rng, custody, facility, sex, minor, veo, un, ethnic, status, admitted_at,
                        released_at)

    def offences(self, rng, sex, minor, veo, un, ethnic):
        if un:
            return [GENOCIDE]
        if veo:
            first = rng.choices(*TERRORISM_W)[0]
            result = [first]
            if ethnic in ("tamasheq", "arab") and rng.random() < 0.6:
                result.append(REBELLION)
            elif rng.random() < 0.4:
                second = rng.choices(*TERRORISM_W)[0]
                if second != first:
                    result.append(second)
            return result
        table = MINORS_W if minor else WOMEN_W if sex == "F" else ORDINARY_W
        result = [rng.choices(*table)[0]]
        if rng.random() < 0.2:
            second = rng.choices(*table)[0]
            if second != result[0]:
                result.append(second)
        return result

    def arrest_chain(self, rng, facility, veo, un, admitted_at):
        """Earlier places of custody (newest last) and the arrest fields of the custody."""
        priors = []
        end = admitted_at - dt.timedelta(hours=rng.randint(1, 10))
        if un:
            arrest = {"arresting_force": ArrestingForce.OTHER,
                      "arresting_unit": "Transfèrement par le Mécanisme résiduel (ONU)",
                      "arrest_place": "Arusha (Tanzanie)", "arrested_at": end}
            return priors, arrest, "Mécanisme résiduel des tribunaux pénaux internationaux (TPIR)"
        if veo:
            place, region = rng.choice(CONFLICT_PLACES)
            year = admitted_at.year
            ops = [name for a, b, name in FOREIGN_OPERATIONS if a <= year <= b]
            r = rng.random()
            force = (ArrestingForce.FOREIGN if ops and r < 0.2 else ArrestingForce.ARMY if r < 0.65
                     else ArrestingForce.GENDARMERIE if r < 0.85 else ArrestingForce.STATE_SECURITY)
            unit = {ArrestingForce.FOREIGN: rng.choice(ops) if ops else "",
                    ArrestingForce.ARMY: "Forces armées maliennes (FAMa)",
                    ArrestingForce.GENDARMERIE: f"Brigade de gendarmerie de {place}",
                    ArrestingForce.STATE_SECURITY: "Direction générale de la Sécurité d'État"}[force]
            # Walk the chain backwards from the arrival: State Security, Camp I, the north.
            chain = []
            if force == ArrestingForce.STATE_SECURITY or rng.random() < 0.3:
                chain.append((PriorCustodyKind.STATE_SECURITY, "Sécurité d'État, Bamako",
                              "Direction générale de la Sécurité d'État", rng.randint(5, 60)))
            chain.append((PriorCustodyKind.GENDARMERIE, "Gendarmerie, Camp I, Bamako",
                          "Gendarmerie nationale", rng.randint(2, 21)))
            if force == ArrestingForce.FOREIGN:
                chain.append((PriorCustodyKind.FOREIGN, f"Base de {unit}, Gao", unit, rng.randint(2, 12)))
            if force == ArrestingForce.ARMY:
                chain.append((PriorCustodyKind.MILITARY, MILITARY_CAMPS.get(region, "Camp militaire"),
                              "Forces armées maliennes", rng.randint(1, 20)))
            for kind, where, authority, days in chain:
                start = end - dt.timedelta(days=days, hours=rng.randint(0, 12))
                priors.append((kind, where, authority, start, end))
                end = start - dt.timedelta(hours=rng.randint(2, 30))
            arrested_at = priors[-1][3] if priors else end
            priors.reverse()
            arrest = {"arresting_force": force, "arresting_unit": unit, "arrest_place": place,
                      "arrest_region_id": self.regions[region].pk, "arrested_at": arrested_at}
            return priors, arrest, "Juge d'instruction, Pôle judiciaire spécialisé (Commune VI)"
        if facility.region.code == "BKO" or facility.code == "KNB":
            place = f"Bamako, {rng.choice(BAMAKO_QUARTERS)}"
            region = "BKO"
        else:
            region = facility.region.code
            place = rng.choice(TOWNS.get(region, [facility.town]))
        r = rng.random()
        force = (ArrestingForce.POLICE if r < 0.6 else ArrestingForce.GENDARMERIE if r < 0.95
                 else ArrestingForce.GUARD)
        unit = {ArrestingForce.POLICE: f"Commissariat de police de {place.split(',')[0]}",
                ArrestingForce.GENDARMERIE: f"Brigade territoriale de {place.split(',')[0]}",
                ArrestingForce.GUARD: "Garde nationale"}[force]
        if force == ArrestingForce.POLICE and place.startswith("Bamako"):
            unit = f"Commissariat du {rng.randint(1, 17)}e arrondissement, Bamako"
        if rng.random() < 0.5:
            # Police custody (garde à vue): 48 h, sometimes longer than the 72 h allowed (LAW.md).
            hours = rng.randint(24, 72) if rng.random() < 0.85 else rng.randint(80, 200)
            start = end - dt.timedelta(hours=hours)
            kind = PriorCustodyKind.POLICE if force == ArrestingForce.POLICE else PriorCustodyKind.GENDARMERIE
            priors.append((kind, unit, str(force.label), start, end))
            arrested_at = start
        else:
            arrested_at = end - dt.timedelta(hours=rng.randint(3, 48))
        arrest = {"arresting_force": force, "arresting_unit": unit, "arrest_place": place,
                  "arrest_region_id": self.regions[region].pk, "arrested_at": arrested_at}
        return priors, arrest, ""

    def cases(self, rng, custody, facility, profile, plan, offences, veo, un, admitted_on):
        """Write the cases of a custody; return (statuses of open cases, terrorism flag)."""
        open_statuses, terrorism, authority = [], False, ""
        for n in range(plan["cases"] if not un else 1):
            # A second case is an unrelated, minor matter before an ordinary court.
            case_offences = offences if n == 0 else [("Vol simple", LegalClass.DELIT, 60, False)]
            status, closed, current, case_authority = self.case(
                rng, custody, facility, profile, plan, case_offences, veo and n == 0, un, admitted_on,
                main=n == 0)
            authority = authority or case_authority
            if not closed:
                open_statuses.append(status)
                terrorism = terrorism or any(c.terrorism_related for c in current)
        return open_statuses, terrorism, authority

    def case(self, rng, custody, facility, profile, plan, offences, veo, un, opened_on, *, main):
        if un:
            court = self.courts["MTPI"]
        elif veo:
            court = self.courts[CT_POLE]
        else:
            court = self.courts[rng.choice(profile.courts)]
        cabinet = rng.choice(CABINETS)
        judge = self.judges[(court.code, cabinet)]
        flagrant = (not veo and offences[0][1] != LegalClass.CRIME and rng.random() < 0.25)
        if veo:
            if self.coaccused and rng.random() < 0.4:
                number = rng.choice(self.coaccused)
            else:
                number = self.case_number(opened_on.year, "PJS/RI")
                self.coaccused = (self.coaccused + [number])[-30:]
        else:
            number = self.case_number(opened_on.year, "RP" if flagrant else "RI")
        investigating = not flagrant and not un
        case = R(
            id=self._id(Case), custody_id=custody.id, court_id=court.pk, case_number=number,
            investigating_judge=f"{judge}" if investigating else "",
            chamber=cabinet if investigating else "",
            prosecutor=(f"Procureur de la République près le {court.name}" if not un
                        else "Mécanisme résiduel (MTPI), Bureau du Procureur"),
            lawyer=rng.choice(LAWYERS) if rng.random() < (0.15 if veo else 0.25) else "",
            opened_on=opened_on,
        )
        authority = (f"Juge d'instruction ({cabinet}), {court.name}" if investigating
                     else f"Procureur de la République près le {court.name}")
        # Charges: a suspect (no charge retained yet) has none.
        charges = []
        if plan["charges"] or un:
            for name, legal_class, max_penalty, terrorism in offences:
                charges.append(R(
                    id=self._id(Charge), case_id=case.id, offence=name, legal_class=legal_class,
                    max_penalty_months=max_penalty, terrorism_related=bool(terrorism),
                    flagrant=flagrant, charged_on=opened_on, status=ChargeStatus.CURRENT))
            if rng.random() < 0.03:
                # A charge requalified: the first qualification kept, marked (never deleted).
                charges.insert(0, R(
                    id=self._id(Charge), case_id=case.id, offence="Vol simple" if not veo else
                    "Association de malfaiteurs", legal_class=LegalClass.DELIT,
                    max_penalty_months=60, terrorism_related=False,
                    status=ChargeStatus.RECLASSIFIED, charged_on=opened_on))
        self.rows[Charge].extend(charges)
        current = [c for c in charges if c.status == ChargeStatus.CURRENT]

        judgments = self.judgments(rng, case, plan, opened_on, main, un) if main else []
        verdict_day = judgments[-1].decided_on if judgments else None
        if judgments and judgments[-1].verdict != Verdict.CONVICTED and not judgments[-1].appeal_filed_on:
            case.closed_on = judgments[-1].decided_on  # as record_judgment does
        case.legal_status = case_legal_status(
            has_current_charge=bool(current),
            judgments=[(j.decided_on, j.verdict, j.appeal_filed_on) for j in judgments],
        )
        self.rows[Case].append(case)
        self.orders(rng, case, current, flagrant, opened_on, verdict_day, plan, main, un)
        self.hearings(rng, case, opened_on, verdict_day, plan, main, un)
        return case.legal_status, case.closed_on is not None, current, authority

    def judgments(self, rng, case, plan, opened_on, main, un):
        verdict = plan["judgment"]
        if verdict is None:
            return []
        days = plan["days"]
        custody_end = opened_on + dt.timedelta(days=days)
        if plan["release"] in (ReleaseReason.ACQUITTAL, ReleaseReason.DISMISSAL):
            decided = custody_end
        elif un:
            decided = opened_on - dt.timedelta(days=rng.randint(200, 2000))
        elif plan["release"] == ReleaseReason.SENTENCE_SERVED:
            decided = opened_on + dt.timedelta(days=rng.randint(5, max(6, min(days - 1, 400))))
        else:
            decided = opened_on + dt.timedelta(days=rng.randint(1, max(1, min(days - 1, 700))))
        decided = min(decided, self.today)
        judgment = R(id=self._id(Judgment), case_id=case.id, decided_on=decided, verdict=verdict)
        if verdict == Verdict.CONVICTED:
            if un:
                judgment.life_sentence = rng.random() < 0.3
                judgment.sentence_months = None if judgment.life_sentence else rng.choice((300, 360, 420))
                judgment.level = "appeal"
                judgment.notes = "Peine exécutée au Mali en vertu d'un accord avec les Nations unies."
            else:
                judgment.life_sentence = plan.get("life", False)
                judgment.sentence_months = None if judgment.life_sentence else plan.get("sentence", 12)
                if rng.random() < 0.15:
                    judgment.fine_xof = rng.choice((25_000, 50_000, 100_000, 200_000, 500_000))
            judgment.sentence_starts_on = opened_on
            if plan["appeal"]:
                judgment.appeal_filed_on = decided + dt.timedelta(days=rng.randint(1, 10))
                judgment.appeal_by = rng.choice(("le condamné", "le ministère public", "les deux parties"))
        self.rows[Judgment].append(judgment)
        return [judgment]

    def orders(self, rng, case, current, flagrant, opened_on, verdict_day, plan, main, un):
        """Detention orders and renewals (LAW.md table); a few files have none at all."""
        add = self.rows[DetentionOrder].append
        if not main or un:
            if un:
                add(R(id=self._id(DetentionOrder), case_id=case.id, kind=OrderKind.CONVICTION,
                                   reference=f"MTPI/{case.case_number}", issued_on=opened_on,
                                   issued_by="Mécanisme résiduel des tribunaux pénaux internationaux"))
            return
        if rng.random() < 0.04:
            return  # no order on file: the alert jobs must show it
        if not current:
            if rng.random() < 0.5:
                add(R(id=self._id(DetentionOrder), case_id=case.id, kind=OrderKind.PROSECUTOR,
                                   reference=f"MD-{case.id:06d}", issued_on=opened_on,
                                   issued_by=case.prosecutor, valid_until=opened_on + dt.timedelta(days=91)))
            return
        governing = max(current, key=lambda c: {"contravention": 1, "delit": 2, "crime": 3}[c.legal_class])
        if flagrant:
            kind, months, renew_months, max_months = OrderKind.PROSECUTOR, 3, 0, 3
            issuer = case.prosecutor
        else:
            kind = rng.choice((OrderKind.COMMITTAL, OrderKind.DETENTION))
            issuer = f"{case.investigating_judge}, juge d'instruction ({case.chamber})"
            if governing.legal_class == LegalClass.CRIME:
                months, renew_months, max_months = 12, 12, 36
            elif (governing.max_penalty_months or 0) > 24:
                months, renew_months, max_months = 6, 6, 12
            else:
                months, renew_months, max_months = 1, 0, 1
        first = R(id=self._id(DetentionOrder), case_id=case.id, kind=kind,
                               reference=f"MD-{case.id:06d}", issued_on=opened_on, issued_by=issuer,
                               valid_until=_add_months(opened_on, months))
        add(first)
        end = verdict_day or (opened_on + dt.timedelta(days=plan["days"]) if plan["release"] else self.today)
        previous, until, total = first, first.valid_until, months
        # Renewals made within the days before expiry; some are missing (overdue later).
        while renew_months and until < end and total + renew_months <= max_months:
            if rng.random() > 0.75:
                break
            issued = until - dt.timedelta(days=rng.randint(1, 10))
            new_until = _add_months(until, renew_months)
            renewal = R(id=self._id(DetentionOrder), case_id=case.id, kind=OrderKind.RENEWAL,
                                     reference=f"OP-{case.id:06d}-{total // renew_months}",
                                     issued_on=issued, issued_by=issuer, valid_until=new_until,
                                     renews_id=previous.id)
            add(renewal)
            previous, until, total = renewal, new_until, total + renew_months
        if verdict_day and plan["judgment"] == Verdict.CONVICTED:
            add(R(id=self._id(DetentionOrder), case_id=case.id, kind=OrderKind.CONVICTION,
                               reference=f"EJ-{case.id:06d}", issued_on=verdict_day,
                               issued_by=f"Greffe, {self.court_names[case.court_id]}"))

    def hearings(self, rng, case, opened_on, verdict_day, plan, main, un):
        """First appearance, examinations (some adjourned, some not produced), the trial."""
        if un:
            return
        add = self.rows[Hearing].append
        end = verdict_day or (opened_on + dt.timedelta(days=plan["days"]) if plan["release"] else self.today)
        if rng.random() < 0.85 and case.investigating_judge:
            add(R(id=self._id(Hearing), case_id=case.id,
                  date=opened_on + dt.timedelta(days=rng.randint(0, 6)),
                        kind=HearingKind.FIRST_APPEARANCE, outcome=HearingOutcome.HELD))
        day = opened_on
        # Long pre-trial files often go quiet: fewer examinations than months held.
        for _ in range(rng.choice((0, 0, 1, 1, 2, 3))):
            day = day + dt.timedelta(days=rng.randint(30, 220))
            if day >= end:
                break
            r = rng.random()
            if r < 0.25:
                later = day + dt.timedelta(days=rng.randint(14, 60))
                add(R(id=self._id(Hearing), case_id=case.id, date=day, kind=HearingKind.EXAMINATION,
                            outcome=HearingOutcome.ADJOURNED, adjourned_to=later, notes="Renvoi : dossier incomplet"))
            elif r < 0.35:
                add(R(id=self._id(Hearing), case_id=case.id, date=day, kind=HearingKind.EXAMINATION,
                            outcome=HearingOutcome.NOT_PRODUCED, notes="Détenu non extrait (pas de véhicule)"))
            else:
                add(R(id=self._id(Hearing), case_id=case.id, date=day, kind=HearingKind.EXAMINATION,
                            outcome=HearingOutcome.HELD))
        if verdict_day and main:
            add(R(id=self._id(Hearing), case_id=case.id, date=verdict_day, kind=HearingKind.TRIAL,
                        outcome=HearingOutcome.JUDGMENT))
            if plan["appeal"] and rng.random() < 0.6:
                add(R(id=self._id(Hearing), case_id=case.id,
                            date=self.today + dt.timedelta(days=rng.randint(7, 120)),
                            kind=HearingKind.APPEAL, outcome=HearingOutcome.SCHEDULED))
        elif not plan["release"] and plan["judgment"] is None and rng.random() < 0.3:
            add(R(id=self._id(Hearing), case_id=case.id,
                        date=self.today + dt.timedelta(days=rng.randint(3, 90)),
                        kind=HearingKind.EXAMINATION, outcome=HearingOutcome.SCHEDULED))

    def placements(self, rng, custody, facility, sex, minor, veo, un, ethnic, status, admitted_at,
                   released_at):
        """Every held person has one current placement; some moved once."""
        categories = self.units[facility.pk]
        if status == CustodyStatus.RELEASED and rng.random() < 0.3:
            return  # older files: cell history not recorded
        if un:
            category = "un"
        elif minor:
            category = "girls" if sex == "F" else "boys"
        elif sex == "F":
            category = "mothers" if rng.random() < 0.1 else "women"
        elif veo:
            rebels = (rng.random() < 0.8) if ethnic in ("tamasheq", "arab") else (rng.random() < 0.1)
            category = "veo_r" if rebels else "veo_j"
        else:
            r = rng.random()
            category = "infirmary" if r < 0.015 else "isolation" if r < 0.016 else "men"
        pool = (categories.get(category) or categories.get("women" if sex == "F" else "men")
                or [u for ids in categories.values() for u in ids])
        if not pool:
            return
        start = admitted_at + dt.timedelta(minutes=rng.randint(10, 240))
        end_of_stay = released_at or self.now
        if start > end_of_stay:
            start = admitted_at
        clerk = self.clerks.get(facility.pk)
        if status == CustodyStatus.HELD and len(pool) > 1 and rng.random() < 0.15:
            first_unit = rng.choice(pool)
            moved = start + (end_of_stay - start) * rng.uniform(0.1, 0.9)
            self.rows[Placement].append(R(
                id=self._id(Placement), custody_id=custody.id, unit_id=first_unit, started_at=start,
                ended_at=moved, reason="Affectation à l'arrivée", created_by_id=clerk))
            start = moved
            reason = rng.choice(("Désengorgement de la cellule", "Conflit avec un codétenu",
                                 "Regroupement par statut juridique", "Demande du détenu"))
            pool = [u for u in pool if u != first_unit] or pool
        else:
            reason = "Affectation à l'arrivée"
        self.rows[Placement].append(R(
            id=self._id(Placement), custody_id=custody.id, unit_id=rng.choice(pool), started_at=start,
            ended_at=released_at, reason=reason, created_by_id=clerk))



def _add_months(day, months):
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    last = [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28, 31, 30, 31, 30,
            31, 31, 30, 31, 30, 31][month - 1]
    return dt.date(year, month, min(day.day, last))
