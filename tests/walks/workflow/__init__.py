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

The workflow is split by subject: people.py (accounts, the data set), common.py (uploads, formats),
intake.py, cases.py, life.py, later.py (follow-up, back-fill, exports); build() runs them in order.
"""

import io

from django.core.management import call_command

from ..doors import run_on_commit
from .cases import CaseSteps
from .intake import IntakeSteps
from .later import LaterSteps
from .life import LifeSteps
from .people import ACCOUNTS, MAY_READ, NEED_TO_KNOW, OTHER_PRISON, DataSet, Person, make_accounts, make_units

__all__ = ["ACCOUNTS", "MAY_READ", "NEED_TO_KNOW", "OTHER_PRISON", "DataSet", "Person", "Workflow", "build"]


class Workflow(IntakeSteps, CaseSteps, LifeSteps, LaterSteps):
    """Every step of the walk's workflow, made through the pages and the API."""


def build() -> DataSet:
    """Make the data set (inside the caller's transaction)."""
    data = DataSet()
    data.facilities, data.units = make_units()
    data.staff = make_accounts(data.facilities)
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
