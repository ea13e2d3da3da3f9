"""Who walks (the accounts, by role and prison), who may read what, and the data set the
workflow fills: the people made through the pages and what was created, by name."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from accounts.roles import Role
from tests import factories

from ..doors import Staff
from ..vocabulary import model

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
# social interview and profile; A's needs assessment and individual plan, issue 15), and who may
# read them (accounts.need_to_know: can_read_assessments, can_read_plans).
NEED_TO_KNOW = {
    "medical": ("Ecchymoses aux poignets", "Pas de signe de tuberculose", "privé de sommeil"),
    "interview": ("Dit ne rien savoir des faits", "Berger, puis commerçant", "logisticien"),
    "assessment": ("Entretien individuel en bambara, une heure", "Priorités : alphabétisation et contact"),
    "plan": ("Alphabétisation, puis formation ; maintien du lien familial", "Assidu ; reconnaît déjà les lettres"),
}
MAY_READ = {"medical": {"medical"}, "interview": {"social", "director", "director_klk"},
            "assessment": {"social", "director", "director_klk", "medical"},
            "plan": {"social", "director", "director_klk", "medical"}}


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


def make_units():
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


def make_accounts(facilities):
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
    from casework.court_portal.services import set_magistrate_profile

    today = timezone.localdate()
    monitors.grant_monitor_authorisation(
        staff["monitor"].user, actor=staff["dnapes"].user, body="cndh", facilities=[bamako], starts_on=today,
        ends_on=today + datetime.timedelta(days=30), reference="CNDH/2026/031", reason="Visite trimestrielle")
    set_magistrate_profile(staff["judge"].user, actor=staff["admin"].user, function="judge",
                           court=model("Court").objects.get(code="TGI-C3"), cabinet=JUDGE_CABINET)
    for key in ("monitor", "judge"):
        staff[key] = Staff(model("User").objects.get(pk=staff[key].user.pk), key)


