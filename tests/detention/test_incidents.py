"""The register of serious incidents and injuries (detention.services.incidents; Rules 69–72):
the services, their refusals, the 24-hour flag and the inspection view's section."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import AuditAction, AuditEntry
from accounts.roles import Role
from detention.models import FamilyNotification, InjuryMedicalDetail, SeriousIncident
from detention.services import incidents
from detention.services.family import record_family_notification
from oversight.inspection import read_inspection
from tests import factories
from tests.custody_fixtures import custody  # noqa: F401
from tests.detention.discipline_fixtures import ago  # noqa: F401

pytestmark = pytest.mark.django_db


def injury(custody, medical, **changes):
    values = {"occurred_at": ago(hours=2), "place": "Cour A", "circumstances": "Chute lors de la promenade",
              "nature_of_injuries": "Fracture du poignet gauche", "treatment": "Plâtre",
              "examining_doctor": "Dr Keïta"}
    values.update(changes)
    return incidents.record_injury(custody, actor=medical, **values)


def incident(custody, actor, **changes):
    values = {"kind": "assault_detainees", "occurred_at": ago(hours=3), "place": "Cour B",
              "circumstances": "Bagarre entre deux personnes", "custody": custody}
    values.update(changes)
    return incidents.record_incident(custody.facility, actor=actor, **values)


# --- recording ------------------------------------------------------------------------------------

def test_security_records_an_incident_with_people_involved_and_it_is_audited(custody, security, bamako, clerk):
    other = factories.detainee(bamako, actor=clerk, last_name="COULIBALY").custodies.get()
    riot = incidents.record_incident(bamako, kind="riot", occurred_at=ago(hours=5), place="Cour B",
                                     circumstances="Refus collectif de regagner les cellules", actor=security,
                                     involved=[(custody, "author"), other])
    assert riot.custody is None and riot.recorded_by == security
    assert {(v.custody_id, v.part) for v in riot.involvements.all()} == {(custody.pk, "author"),
                                                                          (other.pk, "involved")}
    assert AuditEntry.objects.filter(action=AuditAction.CREATE, target_id=str(riot.pk),
                                     target_type__model="seriousincident").exists()
    assert not riot.authority_required and not riot.kin_required


def test_medical_staff_record_an_injury_with_its_medical_details(custody, medical):
    made = injury(custody, medical)
    assert made.kind == "serious_injury" and made.custody == custody
    detail = InjuryMedicalDetail.objects.get(incident=made)
    assert detail.nature_of_injuries == "Fracture du poignet gauche" and detail.recorded_by == medical
    entry = AuditEntry.objects.get(target_type__model="injurymedicaldetail", target_id=str(detail.pk))
    assert "Fracture" not in str(entry.changes)  # the audit keeps the fact, not the medical content


def test_medical_details_added_later_to_an_injury_recorded_by_security(custody, security, medical):
    made = incident(custody, security, kind="serious_injury")
    incidents.record_injury_detail(made, nature_of_injuries="Plaie", examining_doctor="Dr Keïta", actor=medical)
    assert made.medical_detail.nature_of_injuries == "Plaie"
    with pytest.raises(ValidationError, match="déjà enregistré"):
        incidents.record_injury_detail(made, nature_of_injuries="Plaie", examining_doctor="Dr K", actor=medical)


# --- refusals -------------------------------------------------------------------------------------

def test_a_date_in_the_future_is_refused(custody, security, medical):
    later = timezone.now() + datetime.timedelta(hours=2)
    with pytest.raises(ValidationError, match="futur"):
        incident(custody, security, occurred_at=later)
    with pytest.raises(ValidationError, match="futur"):
        injury(custody, medical, occurred_at=later)
    made = incident(custody, security, kind="serious_injury")
    with pytest.raises(ValidationError, match="futur"):
        incidents.record_authority_notice(made, authority="Procureur", actor=security, at=later)
    with pytest.raises(ValidationError, match="futur"):
        incidents.record_kin_notice(made, name="Awa Traoré", method="phone", actor=security, at=later)
    with pytest.raises(ValidationError, match="futur"):
        incidents.record_inquiry(made, authority="Parquet", reference="PV-1", outcome="Accident",
                                 closed_on=timezone.localdate() + datetime.timedelta(days=1), actor=security)
    assert SeriousIncident.objects.count() == 1


def test_an_incident_before_the_admission_or_a_notice_before_the_incident_is_refused(custody, security):
    with pytest.raises(ValidationError, match="écrou"):
        incident(custody, security, occurred_at=custody.admitted_at - datetime.timedelta(hours=1))
    made = incident(custody, security, kind="serious_injury")
    with pytest.raises(ValidationError, match="précéder"):
        incidents.record_authority_notice(made, authority="Procureur", actor=security, at=ago(days=1))


def test_a_kin_notice_without_the_name_or_the_means_is_refused(custody, security):
    made = incident(custody, security, kind="serious_injury")
    with pytest.raises(ValidationError) as error:
        incidents.record_kin_notice(made, name=" ", method="", actor=security)
    assert set(error.value.message_dict) == {"name", "method"}
    assert "nom du parent" in str(error.value)
    made.refresh_from_db()
    assert made.kin_told_at is None


def test_a_kin_notice_needs_a_person_and_is_recorded_once(custody, security, bamako):
    riot = incidents.record_incident(bamako, kind="riot", occurred_at=ago(hours=5), place="Cour B",
                                     circumstances="Mouvement collectif", actor=security)
    with pytest.raises(ValidationError, match="personne désignée"):
        incidents.record_kin_notice(riot, name="Awa", method="phone", actor=security)
    made = incident(custody, security, kind="serious_injury")
    incidents.record_kin_notice(made, name="Awa Traoré", method="phone", actor=security)
    with pytest.raises(ValidationError, match="déjà enregistrée"):
        incidents.record_kin_notice(made, name="Awa Traoré", method="phone", actor=security)


def test_the_family_is_told_whatever_the_person_chose_about_family_notices(custody, security, clerk, monkeypatch):
    """Rules 69–70: the person had declined that the family be told of the admission; the next of kin
    of a seriously injured person are told all the same, and that choice is not even read."""
    record_family_notification(custody, event="admission", choice="declines", actor=clerk)
    made = incident(custody, security, kind="serious_injury")

    class Unreadable:
        def __getattr__(self, name):
            raise AssertionError("the person's earlier choice about family notices must not be consulted")

    monkeypatch.setattr(FamilyNotification, "objects", Unreadable())
    told = incidents.record_kin_notice(made, name="Awa Traoré (épouse)", method="in_person", actor=security)
    assert told.kin_told_at and told.kin_told_by == security and told.kin_method == "in_person"


def test_an_injury_or_attempted_suicide_needs_a_person(bamako, security):
    for kind in ("serious_injury", "attempted_suicide"):
        with pytest.raises(ValidationError, match="concerne une personne"):
            incidents.record_incident(bamako, kind=kind, occurred_at=ago(hours=1), place="Cour",
                                      circumstances="c", actor=security)


def test_medical_details_by_anyone_but_medical_staff_are_refused(custody, security, director, bamako):
    superuser = factories.staff(Role.DIRECTOR, bamako, username="super.bko", is_superuser=True)
    for actor in (security, director, superuser):
        with pytest.raises(PermissionDenied, match="personnel de santé"):
            injury(custody, actor)
    made = incident(custody, security, kind="serious_injury")
    with pytest.raises(PermissionDenied, match="personnel de santé"):
        incidents.record_injury_detail(made, nature_of_injuries="x", examining_doctor="y", actor=superuser)
    assert not InjuryMedicalDetail.objects.exists()
    assert SeriousIncident.objects.count() == 1


def test_medical_staff_do_not_record_the_register_itself(custody, medical):
    with pytest.raises(PermissionDenied, match="sécurité et la direction"):
        incident(custody, medical)


def test_another_prisons_staff_or_person_is_refused(custody, security, koulikoro, clerk):
    klk_security = factories.staff(Role.SECURITY, koulikoro, username="securite.klk")
    with pytest.raises(PermissionDenied):
        incident(custody, klk_security)
    with pytest.raises(ValidationError, match="pas détenue dans cet établissement"):
        incidents.record_incident(koulikoro, kind="assault_detainees", occurred_at=ago(hours=1), place="Cour",
                                  circumstances="c", custody=custody, actor=klk_security)
    klk_person = factories.detainee(koulikoro, actor=factories.staff(Role.CLERK, koulikoro, username="greffe.klk"),
                                    last_name="DIARRA").custodies.get()
    with pytest.raises(ValidationError, match="pas détenue dans cet établissement"):
        incidents.record_incident(custody.facility, kind="riot", occurred_at=ago(hours=1), place="Cour",
                                  circumstances="c", involved=[klk_person], actor=security)
    with pytest.raises(ValidationError, match="deux fois"):
        incidents.record_incident(custody.facility, kind="assault_detainees", occurred_at=ago(hours=1),
                                  place="Cour", circumstances="c", custody=custody, involved=[custody],
                                  actor=security)
    assert not SeriousIncident.objects.exists()
    made = incident(custody, security, kind="serious_injury")
    with pytest.raises(PermissionDenied):
        incidents.record_authority_notice(made, authority="Procureur", actor=klk_security)
    klk_medical = factories.staff(Role.MEDICAL, koulikoro, username="medecin.klk")
    with pytest.raises(PermissionDenied):
        injury(custody, klk_medical)


def test_an_inquiry_closes_only_with_its_outcome(custody, security):
    made = incident(custody, security, kind="escape")
    with pytest.raises(ValidationError, match="conclusions"):
        incidents.record_inquiry(made, authority="Parquet", reference="PV-9", closed_on=timezone.localdate(),
                                 actor=security)
    with pytest.raises(ValidationError, match="référence"):
        incidents.record_inquiry(made, authority="Parquet", reference="", actor=security)
    incidents.record_inquiry(made, authority="Parquet de la Commune III", reference="PV-9", actor=security)
    closed = incidents.record_inquiry(made, authority="Parquet de la Commune III", reference="PV-9",
                                      outcome="Évasion déjouée ; aucune faute", closed_on=timezone.localdate(),
                                      actor=security)
    assert closed.inquiry_closed_on == timezone.localdate()
    with pytest.raises(ValidationError, match="close"):
        incidents.record_inquiry(made, authority="P", reference="PV-9", actor=security)


# --- the 24-hour flag and the inspection view -----------------------------------------------------

def test_the_authority_not_informed_within_24_hours_is_flagged(custody, security, director):
    late = incident(custody, security, kind="serious_injury", occurred_at=ago(hours=30))
    fresh = incident(custody, security, kind="attempted_suicide", occurred_at=ago(hours=2))
    other = incident(custody, security, kind="fire", occurred_at=ago(hours=40))
    now = timezone.now()
    assert late.authority_late(now) and not fresh.authority_late(now) and not other.authority_late(now)
    assert list(SeriousIncident.objects.authority_overdue(now=now)) == [late]
    sections = {s["key"]: s for s in read_inspection(custody.facility_id, actor=director)["sections"]}
    part = sections["incidents"]
    assert part["count"] == 3
    labels = [o["label"] for o in part["overdue"]]
    assert labels.count("Autorité judiciaire non informée dans les 24 h (Règle 71)") == 1
    assert labels.count("Famille non prévenue d'une blessure grave (Règles 69–70)") == 2
    incidents.record_authority_notice(late, authority="Procureur de la République", actor=security)
    late.refresh_from_db()
    assert late.authority_late(timezone.now())  # informed, but after the 24 hours
    part = {s["key"]: s for s in read_inspection(custody.facility_id, actor=director)["sections"]}["incidents"]
    assert "Autorité judiciaire informée après 24 h (Règle 71)" in [o["label"] for o in part["overdue"]]


def test_the_inspection_section_never_shows_medical_details(custody, medical, director):
    injury(custody, medical)
    data = read_inspection(custody.facility_id, actor=director)
    assert "Fracture" not in str(data) and "Plâtre" not in str(data)
