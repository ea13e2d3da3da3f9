"""Deterministic demo data: units, detainees, custodies, cases, and one account per role.

Everything is drawn from `random.Random(seed)` (no unseeded Faker), chunk by chunk, so one
seed always gives the same people. Ids are chosen here (interleaved between chunks, so that
chunks are independent). Rows are written with `bulk_create` in batches; on PostgreSQL, with
COPY fed by forked generating processes, so that a million detainees load in minutes. The
derived fields are set exactly as the services would set them: legal statuses through
`casework.status`, `search_text` and `name_keys` through `inmates.names.name_fields`.

Per-row services (and their audit entries) are bypassed on purpose: one audit entry records
the load. Arrivals still in intake are left to the intake workflow (see the command).

Proportions follow LAW.md "Population figures" and DESIGN.md §1: Bamako Central Prison
holds about half the national population (3,590 for 400 places), about 81% of it untried;
nationally 55–60% untried; about 4–5% of detainees are held in terrorism-related cases,
almost all at Bamako and Koulikoro, very few of them tried.
"""

import contextlib
import datetime as dt
import io
import itertools
import multiprocessing
import os
import random
import time
import traceback
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.management.color import no_style
from django.db import DatabaseError, connection, transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import AuditAction, User
from accounts.roles import Role
from accounts.services import record_audit
from inmates.models import (
    Alias,
    AliasKind,
    ArrestingForce,
    Custody,
    CustodyStatus,
    Inmate,
    LegalStatus,
    Placement,
    PriorCustody,
    PriorCustodyKind,
    Relation,
    Relative,
    ReleaseReason,
)
from inmates.names import name_fields
from prisons.models import Facility, Regime, Region, Unit, UnitKind

from .models import (
    Case,
    Charge,
    ChargeStatus,
    Court,
    CourtKind,
    DetentionOrder,
    Hearing,
    HearingKind,
    HearingOutcome,
    Judgment,
    LegalClass,
    OrderKind,
    Verdict,
)
from .status import case_legal_status, custody_legal_status

UTC = dt.UTC
DEMO_PASSWORD = "Demo-Mali-2026"
CHUNK = 2000  # people generated per batch (fixed: the output depends on it)
BATCH_SIZE = 5000  # rows per INSERT
WORKERS = max(1, min(4, (os.cpu_count() or 2)))  # generating processes (PostgreSQL only)
DEFER_INDEXES_FROM = 50_000  # people; below this, PostgreSQL maintains the indexes as it goes

# Tables written here, parents first. --reset empties them (and whatever refers to them).
DETAINEE_MODELS = [Inmate, Alias, Relative, Custody, PriorCustody, Placement,
                   Case, Charge, DetentionOrder, Hearing, Judgment]

# --- Accounts --------------------------------------------------------------------------------

# username, role, facility codes, first name, last name, job title
ACCOUNTS = [
    ("greffe.bamako", Role.CLERK, ("BKO",), "Aminata", "Sidibé", "Greffière principale"),
    ("securite.bamako", Role.SECURITY, ("BKO",), "Bakary", "Diarra", "Chef de la sécurité"),
    ("medecin.bamako", Role.MEDICAL, ("BKO",), "Fatoumata", "Cissé", "Médecin de l'infirmerie"),
    ("social.bamako", Role.SOCIAL, ("BKO",), "Oumou", "Traoré", "Assistante sociale"),
    ("directeur.bamako", Role.DIRECTOR, ("BKO",), "Modibo", "Keïta", "Régisseur (directeur)"),
    ("greffe.koulikoro", Role.CLERK, ("KLK",), "Seydou", "Coulibaly", "Greffier"),
    ("dnapes.national", Role.DNAPES, (), "Mariam", "Konaté", "Chargée du suivi national (DNAPES)"),
    ("admin", Role.ADMIN, (), "Ibrahim", "Maïga", "Administrateur système"),
    # Accounts from outside the prison service (issue 14): a CNDH monitor authorised for Bamako
    # (granted by dnapes.national, 90 days from the seeding) and an investigating judge of the
    # 3e cabinet of the TGI de la Commune III (the court portal).
    ("cndh.bamako", Role.MONITOR, ("BKO",), "Kadiatou", "Touré", "Observatrice de la CNDH"),
    ("juge.bamako", Role.MAGISTRATE, (), "Souleymane", "Sangaré", "Juge d'instruction, 3e cabinet"),
]
DEMO_JUDGE = ("TGI-C3", "3e cabinet")
MONITOR_DAYS = 90


def ensure_accounts():
    """Create the demo accounts that do not exist yet; never touch an existing one, except to
    take away the superuser status an earlier version gave the demo administrator (audited).

    Never a superuser: the demo administrator is `is_staff` with the system administrator role
    (accounts and reference data; no detainee's medical, social or confidential data).
    Returns rows (username, role label, facility codes, created now?). The password is hashed
    once for all of them (hashing is deliberately slow; they share the same known password).
    """
    facilities = {f.code: f for f in Facility.objects.all()}
    rows, hashed = [], None
    for username, role, codes, first, last, title in ACCOUNTS:
        user = User.objects.filter(username=username).first()
        created = user is None
        if created:
            user = User(username=username, first_name=first, last_name=last, job_title=title,
                        is_staff=role == Role.ADMIN, is_superuser=False)
            validate_password(DEMO_PASSWORD, user)
            hashed = hashed or make_password(DEMO_PASSWORD)
            user.password = hashed
            user.save()
            user.groups.add(Group.objects.get(name=role.value))
            # A monitor's prisons are those of their authorisation; the assignment only offers them
            # as the addressee of a complaint there.
            user.facilities.set([facilities[c] for c in codes if c in facilities])
        elif user.is_superuser:
            _demote_superuser(user)
        rows.append((username, str(role.label), ", ".join(codes) or "toutes", created))
    _ensure_outside_access([facilities[c] for c in ("BKO",) if c in facilities])
    return rows


def _ensure_outside_access(bamako):
    """The demo monitor holds a valid authorisation for Bamako, the demo judge their cabinet: through
    the services (audited), granted by the demo DNAPES and administrator accounts."""
    from accounts import monitors

    from .court_portal import set_magistrate_profile

    monitor = User.objects.filter(username="cndh.bamako", is_active=True).first()
    granter = User.objects.filter(username="dnapes.national", is_active=True).first()
    if monitor and granter and granter.has_role(Role.DNAPES) and bamako and monitor.is_monitor and not monitor.current_authorisations().exists():
        today = timezone.localdate()
        monitors.grant_monitor_authorisation(
            monitor, actor=granter, body="cndh", facilities=bamako, starts_on=today,
            ends_on=today + dt.timedelta(days=MONITOR_DAYS), reference="CNDH/VISITE/DEMO",
            reason="Visite de suivi des conditions de détention (démonstration)")
    judge = User.objects.filter(username="juge.bamako", is_active=True).first()
    admin = User.objects.filter(username="admin", is_active=True).first()
    court = Court.objects.filter(code=DEMO_JUDGE[0]).first()
    if judge and admin and admin.has_role(Role.ADMIN) and court and judge.is_magistrate and not hasattr(judge, "magistrate_profile"):
        set_magistrate_profile(judge, actor=admin, function="judge", court=court, cabinet=DEMO_JUDGE[1])


@transaction.atomic
def _demote_superuser(user):
    """A demo account is never a superuser (earlier versions made `admin` one, with the published
    password): the flag goes, audited; its role stays (system administrator: accounts and
    reference data, no detainee's medical, social or confidential data)."""
    User.objects.filter(pk=user.pk).update(is_superuser=False)
    user.is_superuser = False
    record_audit(AuditAction.UPDATE, actor_name="seed_demo", target=user,
                 changes={"is_superuser": [True, False]},
                 reason="Compte de démonstration : jamais superutilisateur (seed_demo).")


# --- Facilities and units --------------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    weight: int  # people held there in a national picture of ~6,600 (LAW.md, DESIGN.md §1)
    untried: float  # share untried among those not held for terrorism
    terrorism: float  # share held in terrorism-related cases
    veo_untried: float  # share untried among those
    women: float  # share of women (girls at Bollé minors)
    mix: str  # ethnic mix of the people it receives
    courts: tuple  # courts that commit people there (terrorism: the specialised pole)


BAMAKO_COURTS = ("TGI-C1", "TGI-C2", "TGI-C3", "TGI-C4", "TGI-C5", "TGI-C6")
PROFILES = {
    "BKO": Profile(3590, 0.79, 0.075, 0.97, 0.0, "bamako", BAMAKO_COURTS),
    "KLK": Profile(174, 0.50, 0.28, 0.80, 0.0, "bamako", ("TGI-KLK",)),
    "KNB": Profile(200, 0.10, 0.0, 1.0, 0.0, "bamako", BAMAKO_COURTS),
    "BOL": Profile(120, 0.55, 0.0, 1.0, 1.0, "bamako", BAMAKO_COURTS),
    "BOM": Profile(80, 0.65, 0.0, 1.0, 0.12, "bamako", ("TPE-BKO",)),
    "KTI": Profile(250, 0.30, 0.0, 1.0, 0.04, "bamako", ("TI-KTI",)),
    "KAY": Profile(350, 0.22, 0.0, 1.0, 0.04, "kayes", ("TGI-KAY",)),
    "SIK": Profile(400, 0.22, 0.0, 1.0, 0.04, "sikasso", ("TGI-SIK",)),
    "SEG": Profile(400, 0.22, 0.0, 1.0, 0.04, "segou", ("TGI-SEG",)),
    "MOP": Profile(300, 0.30, 0.0, 1.0, 0.03, "mopti", ("TGI-MOP",)),
    "SAN": Profile(150, 0.22, 0.0, 1.0, 0.04, "segou", ("TGI-SEG",)),
    "KTL": Profile(200, 0.22, 0.0, 1.0, 0.04, "sikasso", ("TGI-SIK",)),
    "BGN": Profile(150, 0.22, 0.0, 1.0, 0.04, "sikasso", ("TGI-SIK",)),
    "KIT": Profile(100, 0.22, 0.0, 1.0, 0.04, "kayes", ("TGI-KAY",)),
    "NIO": Profile(100, 0.22, 0.0, 1.0, 0.04, "kayes", ("TGI-KAY",)),
}
GENERIC_PROFILE = Profile(80, 0.25, 0.0, 1.0, 0.04, "bamako", BAMAKO_COURTS)
CT_POLE = "PJS-C6"


@dataclass(frozen=True)
class UnitSpec:
    code: str
    name: str
    kind: str
    capacity: int
    regime: str = Regime.STANDARD
    parent: str = ""
    category: str = ""  # who is placed there (men, women, veo_j, veo_r, un, boys, girls…)


def unit_specs(facility):
    """The units of one facility, cells first grouped under their block."""
    code = facility.code
    specs = []

    def block(prefix, name, cells, capacity, category, regime=Regime.STANDARD, kind=UnitKind.CELL,
              label="Cellule"):
        specs.append(UnitSpec(prefix, name, UnitKind.BLOCK, cells * capacity, regime))
        for i in range(1, cells + 1):
            specs.append(UnitSpec(f"{prefix}{i:02d}", f"{label} {prefix}{i:02d}", kind, capacity,
                                  regime, prefix, category))

    if code == "BKO":
        # Cells around courtyards, built for up to 7 each (DESIGN.md §1).
        for letter in "ABCDEF":
            block(letter, f"Bâtiment {letter}", 8, 7, "men")
        block("QJ", "Quartier jihadiste", 6, 7, "veo_j", Regime.VEO)
        block("QR", "Quartier des rebelles", 4, 7, "veo_r", Regime.VEO)
        specs.append(UnitSpec("INF", "Infirmerie", UnitKind.INFIRMARY, 20, category="infirmary"))
        block("QD", "Quartier disciplinaire", 4, 1, "isolation", Regime.HIGH_SECURITY,
              UnitKind.ISOLATION, "Cellule d'isolement")
    elif code == "KLK":
        # Effectively one large cell; a separate unit under UN regime (DESIGN.md §1).
        specs.append(UnitSpec("GS", "Grande salle", UnitKind.DORMITORY, 180, category="men"))
        specs.append(UnitSpec("ONU", "Unité spéciale (régime ONU, TPIR)", UnitKind.OTHER, 20,
                              Regime.SPECIAL, category="un"))
        specs.append(UnitSpec("INF", "Infirmerie", UnitKind.INFIRMARY, 6, category="infirmary"))
    elif code == "KNB":
        for n in range(1, 6):
            block(f"B{n}", f"Bâtiment {n}", 5, 100, "men", kind=UnitKind.DORMITORY, label="Dortoir")
        specs.append(UnitSpec("INF", "Infirmerie", UnitKind.INFIRMARY, 30, category="infirmary"))
    elif code == "BOL":
        for n in range(1, 4):
            specs.append(UnitSpec(f"D{n}", f"Dortoir {n}", UnitKind.DORMITORY, 40, category="women"))
        specs.append(UnitSpec("ME", "Quartier mères-enfants", UnitKind.DORMITORY, 20, category="mothers"))
        specs.append(UnitSpec("INF", "Infirmerie", UnitKind.INFIRMARY, 10, category="infirmary"))
    elif code == "BOM":
        specs.append(UnitSpec("G1", "Dortoir garçons 1", UnitKind.DORMITORY, 40, category="boys"))
        specs.append(UnitSpec("G2", "Dortoir garçons 2", UnitKind.DORMITORY, 40, category="boys"))
        specs.append(UnitSpec("F1", "Dortoir filles", UnitKind.DORMITORY, 20, category="girls"))
    else:
        capacity = facility.official_capacity
        women = max(6, capacity // 10) if facility.holds_women else 0
        rooms = 2 if capacity <= 80 else 3
        for n in range(1, rooms + 1):
            specs.append(UnitSpec(f"S{n}", f"Salle {n}", UnitKind.DORMITORY,
                                  max(1, (capacity - women) // rooms), category="men"))
        if women:
            specs.append(UnitSpec("QF", "Quartier des femmes", UnitKind.DORMITORY, women,
                                  category="women"))
        if capacity >= 150:
            specs.append(UnitSpec("INF", "Infirmerie", UnitKind.INFIRMARY, 4, category="infirmary"))
    return specs


def ensure_units(facilities):
    """Create the missing units of the given facilities (idempotent, matched by code).

    Returns {facility_id: {category: [unit ids]}} for placements.
    """
    by_facility = {}
    for facility in facilities:
        existing = {u.code: u for u in Unit.objects.filter(facility=facility)}
        categories = {}
        for spec in unit_specs(facility):
            unit = existing.get(spec.code)
            if unit is None:
                parent = existing.get(spec.parent) if spec.parent else None
                unit = Unit.objects.create(facility=facility, parent=parent, code=spec.code,
                                           name=spec.name, kind=spec.kind, capacity=spec.capacity,
                                           regime=spec.regime)
                existing[spec.code] = unit
            if spec.category and unit.is_active:
                categories.setdefault(spec.category, []).append(unit.pk)
        by_facility[facility.pk] = categories
    return by_facility


# --- People: names, places, languages --------------------------------------------------------

MALE = [
    "Mamadou", "Moussa", "Oumar", "Amadou", "Boubacar", "Ibrahim", "Seydou", "Adama", "Bakary",
    "Souleymane", "Modibo", "Sékou", "Drissa", "Abdoulaye", "Issa", "Yacouba", "Lassana", "Siaka",
    "Fousseyni", "Mahamadou", "Mohamed", "Aliou", "Hamidou", "Daouda", "Salif", "Mamoutou",
    "Bourama", "Karim", "Sidiki", "Tiémoko", "Nouhoum", "Cheick Oumar", "Youssouf", "Brahima",
    "Dramane", "Kalifa", "Zoumana", "Mory", "Lamine", "Alou", "Issiaka", "Alassane", "Ousmane",
    "Sory", "Abdoul Karim", "Mohamed Lamine", "Bréhima", "Check", "Oumarou", "Sambou",
]
FEMALE = [
    "Aminata", "Fatoumata", "Mariam", "Awa", "Kadiatou", "Oumou", "Assitan", "Rokia", "Hawa",
    "Djénéba", "Salimata", "Kadidia", "Aïssata", "Nana", "Bintou", "Sitan", "Fanta", "Korotoumou",
    "Ramata", "Mariétou", "Adiaratou", "Safiatou", "Maïmouna", "Tenin", "Coumba", "Fily",
]
ETHNIC = {
    # surnames, extra male first names, extra female first names, languages, home regions
    "bambara": (["Traoré", "Diarra", "Coulibaly", "Koné", "Dembélé", "Samaké", "Doumbia", "Kanté",
                 "Dagnoko", "Bagayoko", "Mariko", "Togola", "Ballo", "Tangara", "Sanogo", "Konaré"],
                [], [], ("bambara",), ("SEG", "KLK", "BKO", "DLA", "SIK", "KIT")),
    "malinke": (["Keïta", "Konaté", "Camara", "Sissoko", "Kouyaté", "Diakité", "Fofana", "Kanté",
                 "Cissoko", "Danioko"], [], [], ("malinké", "bambara"), ("KIT", "KAY", "BGN", "KLK")),
    "peul": (["Diallo", "Barry", "Bah", "Sow", "Sangaré", "Sidibé", "Dicko", "Bocoum", "Tall",
              "Cissé", "Diakité", "Cissouma"], ["Hamadoun", "Hama", "Bocar", "Allaye", "Sambo",
                                                 "Hassane", "Amadou"], ["Kadidia", "Dado", "Penda"],
             ("peul (fulfuldé)", "bambara"), ("MOP", "SEG", "DTZ", "BDG", "NIO", "SAN", "KAY")),
    "soninke": (["Cissé", "Touré", "Sylla", "Doucouré", "Diawara", "Soumaré", "Sacko", "Dramé",
                 "Kanouté", "Tandia", "Gassama", "Niakaté", "Diaby"], ["Samba", "Demba"], ["Diaba"],
                ("soninké", "bambara"), ("KAY", "NIO", "NAR")),
    "songhai": (["Maïga", "Touré", "Cissé", "Haïdara", "Yattara", "Tandina", "Koïta", "Djitèye",
                 "Baby", "Alpha"], ["Boureïma", "Hamma", "Alkaya", "Mahamane", "Almahady",
                                    "Issoufi"], ["Fady", "Haoua"],
                ("songhaï", "bambara"), ("GAO", "TBK", "MOP")),
    "dogon": (["Dolo", "Guindo", "Togo", "Kassogué", "Ongoïba", "Tembely", "Karambé", "Poudiougou",
               "Saye", "Dara"], ["Ogobara", "Antandou", "Amassagou", "Joseph", "Emmanuel"],
              ["Yalèma", "Yassagou"], ("dogon", "bambara"), ("BDG", "MOP", "DTZ")),
    "senoufo": (["Sanogo", "Ouattara", "Koné", "Berthé", "Dao", "Traoré", "Coulibaly", "Diamoutene"],
                ["Zanga", "Nanourou", "Pierre"], ["Nagnouma"], ("sénoufo", "bambara"),
                ("SIK", "KTL")),
    "bozo": (["Kanta", "Tapo", "Nientao", "Karabenta", "Djénépo"], [], [], ("bozo", "bambara"),
             ("MOP", "SEG")),
    "tamasheq": ([], ["Alhousseini", "Attaher", "Assaleh", "Almoustapha", "Bilal", "Aghaly",
                      "Elmehdi", "Hamada", "Mossa", "Rhissa", "Ahmed", "Mohamed", "Ibrahim"],
                 ["Fadimata", "Lalla", "Aminatou", "Tahita"], ("tamasheq", "arabe"),
                 ("KID", "GAO", "MEN", "TBK")),
    "arab": ([], ["Sidi", "Ahmed", "Moulaye", "Baba", "Mahmoud", "Mohamed", "El Hadj", "Cheick",
                  "Abdallah", "Hamoudi"], ["Zeinabou", "Khadija", "Lalla", "Mama"],
             ("arabe (hassanya)", "tamasheq"), ("TBK", "TAO", "GAO")),
    "foreign": (["Ouédraogo", "Sawadogo", "Issoufou", "Ould Brahim", "Bamba", "Condé"], [], [],
                ("français", "mooré"), ()),
}
MIXES = {
    "bamako": {"bambara": 35, "malinke": 12, "peul": 15, "soninke": 10, "songhai": 6, "dogon": 6,
               "senoufo": 6, "bozo": 2, "tamasheq": 2, "arab": 1, "foreign": 3},
    "kayes": {"soninke": 30, "malinke": 25, "peul": 25, "bambara": 15, "arab": 3, "foreign": 2},
    "sikasso": {"senoufo": 35, "bambara": 30, "malinke": 10, "peul": 15, "dogon": 4, "foreign": 6},
    "segou": {"bambara": 42, "peul": 20, "bozo": 8, "soninke": 7, "senoufo": 8, "dogon": 5,
              "songhai": 5, "malinke": 5},
    "mopti": {"peul": 35, "dogon": 20, "bozo": 12, "bambara": 12, "songhai": 15, "tamasheq": 3,
              "arab": 3},
    # People held in terrorism-related cases (DESIGN.md §5 profiles: mostly from the north and centre).
    "veo": {"peul": 40, "tamasheq": 18, "arab": 9, "songhai": 15, "bambara": 7, "dogon": 4,
            "soninke": 3, "foreign": 4},
}
FOREIGN_NATIONALITIES = ["Burkinabè", "Nigérienne", "Mauritanienne", "Guinéenne", "Ivoirienne",
                         "Sénégalaise", "Algérienne"]
FIRST_VARIANTS = {
    "Mohamed": ["Mahamadou", "Mohammed", "Mahamed"], "Mahamadou": ["Mohamed", "Mamadou"],
    "Mamadou": ["Mahamadou", "Mohamed"], "Oumar": ["Omar", "Oumarou"], "Ibrahim": ["Brahima",
    "Ibrahima"], "Brahima": ["Ibrahim"], "Bréhima": ["Ibrahim", "Brahima"], "Souleymane":
    ["Souleïmane", "Sulaymane"], "Boubacar": ["Aboubacar", "Bakary"], "Moussa": ["Mousa"],
    "Youssouf": ["Yusuf"], "Abdoulaye": ["Abdallah"], "Aliou": ["Ali"], "Seydou": ["Seïdou"],
    "Fatoumata": ["Fatimata", "Fatouma"], "Aminata": ["Aminatou"], "Mariam": ["Mariame",
    "Maryam"], "Aïssata": ["Aïcha"], "Kadiatou": ["Khadija"], "Hamadoun": ["Amadou"],
}
LAST_VARIANTS = {
    "Traoré": ["Traore", "Trahoré"], "Keïta": ["Keita", "Keyita"], "Coulibaly": ["Kulibali"],
    "Diarra": ["Jara"], "Konaté": ["Konate"], "Maïga": ["Maiga"], "Touré": ["Toure", "Ture"],
    "Cissé": ["Sissé", "Cisse"], "Diallo": ["Jallo", "Dialo"], "Koné": ["Kone"],
    "Sidibé": ["Sidibe"], "Sangaré": ["Sangare"], "Haïdara": ["Haidara"], "Camara": ["Kamara"],
    "Dembélé": ["Dembele"], "Sissoko": ["Cissoko"], "Doumbia": ["Dumbia"],
}
NOMS_DE_GUERRE = ["Abou Hamza", "Abou Yahya", "Abou Talha", "Abou Moussab", "Abou Oubeida",
                  "Abou Bakr", "Abou Dardar", "Abou Hafs", "Abou Zeid", "Abou Leyla", "Al Ansari",
                  "Al Fulani", "Al Targui", "Abou Assim"]
RWANDAN_LAST = ["Habimana", "Niyonzima", "Uwimana", "Nsengiyumva", "Bizimana", "Hakizimana",
                "Ntawukuriryayo", "Munyaneza", "Nzabonimana", "Kayitare"]
RWANDAN_FIRST = ["Jean", "Emmanuel", "Théoneste", "Augustin", "Joseph", "Callixte", "Aloys"]

TOWNS = {
    "BKO": ["Bamako"], "KAY": ["Kayes", "Bafoulabé", "Diéma", "Kéniéba", "Yélimané"],
    "KLK": ["Koulikoro", "Kati", "Kangaba", "Kolokani", "Banamba"], "SIK": ["Sikasso", "Kadiolo",
    "Kolondiéba", "Yanfolila"], "BGN": ["Bougouni", "Yanfolila", "Kolondiéba"], "DLA":
    ["Dioïla", "Fana", "Massigui"], "KTL": ["Koutiala", "Yorosso", "M'Pessoba"], "KIT": ["Kita",
    "Sagabari", "Toukoto"], "NIO": ["Nioro du Sahel", "Diéma"], "NAR": ["Nara", "Mourdiah"],
    "SEG": ["Ségou", "Niono", "Macina", "Markala", "Barouéli", "Bla"], "SAN": ["San", "Tominian"],
    "MOP": ["Mopti", "Sévaré", "Djenné", "Ténenkou", "Youwarou"], "BDG": ["Bandiagara", "Bankass",
    "Koro"], "DTZ": ["Douentza", "Boni", "Hombori", "Boré"], "TBK": ["Tombouctou", "Goundam",
    "Niafunké", "Léré", "Diré"], "TAO": ["Taoudénit", "Foum-Elba", "Achouratt"], "GAO": ["Gao",
    "Bourem", "Ansongo", "Tessit"], "MEN": ["Ménaka", "Anderamboukane", "Tidermène"], "KID":
    ["Kidal", "Tessalit", "Aguelhok", "Abeïbara"],
}
BAMAKO_QUARTERS = ["Commune I (Banconi)", "Commune I (Djélibougou)", "Commune II (Bagadadji)",
                   "Commune II (Médina Coura)", "Commune III (Bamako-Coura)", "Commune IV (Lafiabougou)",
                   "Commune IV (Sébénikoro)", "Commune V (Kalaban Coura)", "Commune V (Daoudabougou)",
                   "Commune VI (Niamakoro)", "Commune VI (Sogoniko)", "Commune VI (Faladié)"]
# Arrests in the north and centre (terrorism-related), with their region.
CONFLICT_PLACES = [("Gao", "GAO"), ("Ansongo", "GAO"), ("Bourem", "GAO"), ("Tessit", "GAO"),
                   ("Tombouctou", "TBK"), ("Léré", "TBK"), ("Goundam", "TBK"), ("Kidal", "KID"),
                   ("Tessalit", "KID"), ("Ménaka", "MEN"), ("Mopti", "MOP"), ("Sévaré", "MOP"),
                   ("Djenné", "MOP"), ("Ténenkou", "MOP"), ("Boni", "DTZ"), ("Douentza", "DTZ"),
                   ("Hombori", "DTZ"), ("Bandiagara", "BDG"), ("Niono", "SEG"), ("Macina", "SEG"),
                   ("Diafarabé", "MOP"), ("Nampala", "SEG"), ("Boulkessi", "DTZ")]
MILITARY_CAMPS = {"GAO": "Camp militaire Firhoun Ag Alinsar, Gao", "MOP": "Camp militaire de Sévaré",
                  "TBK": "Camp militaire de Tombouctou", "DTZ": "Camp militaire de Douentza",
                  "SEG": "Camp militaire de Ségou", "KID": "Camp militaire de Kidal",
                  "BDG": "Camp militaire de Bandiagara", "MEN": "Camp militaire de Ménaka"}

# --- Offences --------------------------------------------------------------------------------

# offence, legal class, max penalty (months; None = life or death), terrorism-related, weight
ORDINARY = [
    ("Vol simple", LegalClass.DELIT, 60, 22), ("Vol qualifié (vol aggravé)", LegalClass.CRIME, 240, 10),
    ("Vol de bétail", LegalClass.DELIT, 60, 6), ("Coups et blessures volontaires", LegalClass.DELIT, 60, 10),
    ("Escroquerie", LegalClass.DELIT, 60, 7), ("Abus de confiance", LegalClass.DELIT, 60, 5),
    ("Détention et usage de stupéfiants", LegalClass.DELIT, 60, 7),
    ("Trafic de stupéfiants", LegalClass.CRIME, 240, 4), ("Recel", LegalClass.DELIT, 60, 3),
    ("Outrage à agent de la force publique", LegalClass.DELIT, 12, 2),
    ("Menaces", LegalClass.DELIT, 12, 1), ("Destruction de biens d'autrui", LegalClass.DELIT, 24, 2),
    ("Port illégal d'arme", LegalClass.DELIT, 24, 2), ("Faux et usage de faux", LegalClass.DELIT, 60, 2),
    ("Émission de chèque sans provision", LegalClass.DELIT, 60, 2),
    ("Association de malfaiteurs", LegalClass.CRIME, 120, 3), ("Meurtre", LegalClass.CRIME, None, 3),
    ("Assassinat", LegalClass.CRIME, None, 1), ("Viol", LegalClass.CRIME, 240, 3),
    ("Coups mortels", LegalClass.CRIME, 240, 2), ("Détournement de deniers publics", LegalClass.CRIME, 240, 1),
    ("Enlèvement et séquestration", LegalClass.CRIME, 240, 1),
    ("Ivresse publique et tapage nocturne", LegalClass.CONTRAVENTION, 1, 1),
]
WOMEN = [
    ("Vol simple", LegalClass.DELIT, 60, 20), ("Escroquerie", LegalClass.DELIT, 60, 12),
    ("Abus de confiance", LegalClass.DELIT, 60, 10), ("Coups et blessures volontaires", LegalClass.DELIT, 60, 10),
    ("Infanticide", LegalClass.CRIME, 240, 12), ("Avortement", LegalClass.DELIT, 60, 6),
    ("Trafic de stupéfiants", LegalClass.CRIME, 240, 8), ("Complicité de vol", LegalClass.DELIT, 60, 6),
    ("Meurtre", LegalClass.CRIME, None, 4),
]
MINORS = [("Vol simple", LegalClass.DELIT, 60, 40), ("Coups et blessures volontaires", LegalClass.DELIT, 60, 20),
          ("Détention et usage de stupéfiants", LegalClass.DELIT, 60, 15),
          ("Vol qualifié (vol aggravé)", LegalClass.CRIME, 240, 10)]
TERRORISM = [
    ("Association de malfaiteurs en relation avec une entreprise terroriste", LegalClass.CRIME, 240, 40),
    ("Actes de terrorisme", LegalClass.CRIME, None, 20),
    ("Détention illégale d'armes de guerre en relation avec une entreprise terroriste",
     LegalClass.CRIME, 240, 15),
    ("Financement du terrorisme", LegalClass.CRIME, 240, 6),
    ("Apologie du terrorisme", LegalClass.DELIT, 60, 4),
]
REBELLION = ("Atteinte à la sûreté intérieure de l'État", LegalClass.CRIME, 240, False)
GENOCIDE = ("Génocide et crimes contre l'humanité (TPIR)", LegalClass.CRIME, None, False)

JUDGE_NAMES = ["Mamadou Diarra", "Assitan Koné", "Boubacar Sidibé", "Mariam Maïga", "Ousmane Traoré",
               "Kadidia Sangaré", "Ibrahim Touré", "Aïssata Coulibaly", "Lassana Keïta", "Youssouf Diakité",
               "Hawa Dembélé", "Abdoulaye Cissé", "Salif Samaké", "Adama Kanté"]
LAWYERS = ["Me Abdoulaye Konaté", "Me Mariam Diawara", "Me Moussa Traoré", "Me Hamidou Maïga",
           "Me Fatoumata Sylla", "Me Cheick Oumar Sidibé", "Me Bréhima Coulibaly",
           "Me Aminata Keïta", "Me Seydou Doumbia", "Commis d'office — Me Issa Sangaré"]
CABINETS = ["1er cabinet", "2e cabinet", "3e cabinet", "4e cabinet", "5e cabinet"]
FOREIGN_OPERATIONS = [(2013, 2014, "Opération Serval (France)"), (2014, 2022, "Opération Barkhane (France)"),
                      (2020, 2022, "Task Force Takuba")]


def _weighted(items, terrorism=False):
    """(offences, cumulative weights) for rng.choices; an offence is (name, class, max, terrorism)."""
    values = [(*i[:-1], terrorism) for i in items]
    cum, total = [], 0
    for i in items:
        total += i[-1]
        cum.append(total)
    return values, cum


ORDINARY_W, WOMEN_W, MINORS_W = (_weighted(t) for t in (ORDINARY, WOMEN, MINORS))
TERRORISM_W = _weighted(TERRORISM, terrorism=True)
MIXES_W = {k: (list(v), list(itertools.accumulate(v.values()))) for k, v in MIXES.items()}


def _format_number(code, year, seq):
    """As the inmates service formats prisoner numbers (FACILITY-YEAR-SEQUENCE)."""
    from inmates import services

    fmt = getattr(services, "format_prisoner_number", None)
    return fmt(code, year, seq) if fmt else f"{code}-{year}-{seq:06d}"


def _counter_model():
    try:
        return apps.get_model("inmates", "PrisonerNumberCounter")
    except LookupError:
        return None


# --- The generator ---------------------------------------------------------------------------


class R(dict):
    """One row to write: a dict of field attnames, read and set as attributes."""

    __slots__ = ()
    __getattr__ = dict.get

    def __setattr__(self, name, value):
        self[name] = value


class Generator:
    """Builds the rows for N people, chunk by chunk, ids assigned here."""

    def __init__(self, *, seed, now, facilities, units, courts, regions, clerks, chunks):
        self.seed = seed
        self.chunks = chunks
        self.now = now
        self.today = timezone.localdate(now)
        self.facilities = facilities
        self.profiles = [PROFILES.get(f.code, GENERIC_PROFILE) for f in facilities]
        cum, total = [], 0
        for p in self.profiles:
            total += p.weight
            cum.append(total)
        self.facility_cum = cum
        self.units = units
        self.courts = courts
        self.court_names = {c.pk: c.name for c in courts.values()}
        self.regions = regions
        self.clerks = clerks
        self.base_ids = {m: (m.objects.aggregate(m=Max("pk"))["m"] or 0) + 1 for m in DETAINEE_MODELS}
        self.base_sequences = self._load_sequences()
        self.sequences = dict(self.base_sequences)  # highest number issued, per (facility, year)
        rng = random.Random(seed)
        self.judges = {(code, cab): rng.choice(JUDGE_NAMES) for code in courts for cab in CABINETS}

    def _load_sequences(self):
        seqs = {}
        model = _counter_model()
        if model is not None:
            codes = {f.pk: f.code for f in Facility.objects.all()}
            for fid, year, last in model.objects.values_list("facility_id", "year", "last_value"):
                seqs[(codes[fid], year)] = last
        for number in Inmate.objects.exclude(prisoner_number=None).values_list("prisoner_number", flat=True):
            parts = number.rsplit("-", 2)
            if len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit():
                key = (parts[0], int(parts[1]))
                seqs[key] = max(seqs.get(key, 0), int(parts[2]))
        return seqs

    @staticmethod
    def save_sequences(sequences):
        """Move the prisoner-number counters past the numbers issued here."""
        model = _counter_model()
        if model is None:
            return
        codes = {f.code: f.pk for f in Facility.objects.all()}
        for (code, year), last in sequences.items():
            counter, _ = model.objects.get_or_create(facility_id=codes[code], year=year)
            if counter.last_value < last:
                counter.last_value = last
                counter.save(update_fields=["last_value"])

    # Ids and numbers are interleaved between chunks (the k-th of chunk i is k × chunks + i),
    # so that chunks can be generated in parallel, independently, and still never collide.

    def _id(self, model):
        k = self.local_ids[model]
        self.local_ids[model] = k + 1
        return self.base_ids[model] + k * self.chunks + self.index

    # -- helpers --

    def dt_days_ago(self, rng, days):
        """A moment `days` days before now, during office hours."""
        day = self.today - dt.timedelta(days=int(days))
        return dt.datetime(day.year, day.month, day.day, rng.randint(7, 18), rng.randrange(0, 60, 5),
                           tzinfo=UTC)

    def prisoner_number(self, code, year):
        key = (code, year)
        k = self.local_sequences.get(key, 0)
        self.local_sequences[key] = k + 1
        sequence = self.base_sequences.get(key, 0) + 1 + k * self.chunks + self.index
        self.sequences[key] = max(self.sequences.get(key, 0), sequence)
        return _format_number(code, year, sequence)

    def case_number(self, year, prefix="RI"):
        self.local_cases += 1
        return f"{prefix}-{(self.local_cases - 1) * self.chunks + self.index + 1:05d}/{year}"

    # -- one chunk --

    def chunk(self, index, size):
        """The rows of `size` people (chunk `index`), as {model: [row, …]}, parents first."""
        rng = random.Random(self.seed * 1_000_003 + index)
        self.index = index
        self.local_ids = dict.fromkeys(DETAINEE_MODELS, 0)
        self.local_sequences, self.local_cases = {}, 0
        self.coaccused = []  # recent terrorism case numbers, shared by co-accused
        self.rows = {m: [] for m in DETAINEE_MODELS}
        for _ in range(size):
            self.person(rng)
        rows, self.rows = self.rows, None
        return rows

    def person(self, rng):
        fi = rng.choices(range(len(self.facilities)), cum_weights=self.facility_cum)[0]
        facility, profile = self.facilities[fi], self.profiles[fi]
        r = rng.random()
        # Arrivals still in intake are registered through the intake workflow (arrival_warrants).
        status = CustodyStatus.HELD if r < 0.825 else CustodyStatus.RELEASED
        minor = facility.holds_minors and not facility.holds_adults
        if facility.holds_women and not facility.holds_men:
            sex = "F"
        elif facility.holds_women and rng.random() < profile.women:
            sex = "F"
        else:
            sex = "M"
        un = facility.code == "KLK" and status == CustodyStatus.HELD and rng.random() < 0.04
        veo = (not un and not minor and sex == "M"
               and rng.random() < profile.terrorism * (0.5 if status == CustodyStatus.RELEASED else 1))
        ethnic = "rwandan" if un else rng.choices(*MIXES_W["veo" if veo else profile.mix])[0]

        inmate = self.identity(rng, facility, sex, minor, ethnic, veo, un)
        plan = self.legal_plan(rng, facility, profile, status, sex, minor, veo, un)
        self.custody(rng, inmate, facility, profile, status, sex, minor, veo, un, ethnic, plan)

    def identity(self, rng, facility, sex, minor, ethnic, veo, un):
        nationality = "Malienne"
        if un:
            last, first = rng.choice(RWANDAN_LAST), rng.choice(RWANDAN_FIRST)
            father = rng.choice(RWANDAN_FIRST)
            mother = f"{rng.choice(['Marie', 'Agnès', 'Immaculée', 'Béatrice'])} {rng.choice(RWANDAN_LAST)}"
            nationality, languages, origin = "Rwandaise", "kinyarwanda, français", None
        else:
            surnames, extra_m, extra_f, langs, homes = ETHNIC[ethnic]
            if ethnic in ("tamasheq", "arab"):  # names of their own, with a few shared ones
                males, females = extra_m + ["Moussa", "Oumar", "Ibrahim"], extra_f + ["Fatoumata", "Mariam"]
            else:
                males, females = MALE + extra_m * 3, FEMALE + extra_f * 3
            father = rng.choice(males)
            if ethnic == "tamasheq":
                last = ("Ag " if sex == "M" else "Walet ") + father
            elif ethnic == "arab":
                last = ("Ould " if sex == "M" else "Mint ") + father
            else:
                last = rng.choice(surnames)
            first = rng.choice(males if sex == "M" else females)
            if ethnic == "tamasheq":
                mother_last = f"Walet {rng.choice(males)}"
            elif ethnic == "arab":
                mother_last = f"Mint {rng.choice(males)}"
            else:
                mother_last = rng.choice(surnames)
            mother = f"{rng.choice(females)} {mother_last}"
            home = facility.region.code
            if ethnic == "foreign":
                nationality, origin = rng.choice(FOREIGN_NATIONALITIES), None
            elif home in homes:
                origin = home if rng.random() < 0.6 else rng.choice(homes)
            else:
                origin = rng.choice(homes) if rng.random() < 0.8 else home
            extra = ["français"] if rng.random() < 0.25 else []
            if origin and origin not in ("KID", "GAO", "MEN", "TBK", "TAO") and "bambara" not in langs:
                extra.append("bambara")
            languages = ", ".join(dict.fromkeys(list(langs) + extra))
        if minor:
            age = rng.randint(13, 17)
        else:
            age = min(78, 18 + int(rng.expovariate(1 / (14 if veo else 11))))
        dob = birth_year = None
        r = rng.random()
        if r < 0.6 or minor and r < 0.8:
            born = self.today - dt.timedelta(days=age * 365 + rng.randint(20, 340))
            dob = born
        elif r < 0.95 or minor:
            birth_year = self.today.year - age - (1 if rng.random() < 0.5 else 0)
            if minor:
                birth_year = self.today.year - age
        place = ""
        if origin:
            place = rng.choice(TOWNS.get(origin, [""]))
        aliases = self.aliases(rng, first, last, veo)
        inmate = R(
            id=self._id(Inmate), last_name=last, first_name=first, father_name=father,
            mother_name=mother, sex=sex, date_of_birth=dob, birth_year=birth_year,
            place_of_birth=place, region_of_origin_id=self.regions[origin].pk if origin else None,
            nationality=nationality, languages=languages,
            **name_fields(last, first, *aliases),
        )
        self.rows[Inmate].append(inmate)
        for name, kind in aliases.items():
            self.rows[Alias].append(R(id=self._id(Alias), inmate_id=inmate.id, name=name, kind=kind))
        if rng.random() < 0.65:
            self.relatives(rng, inmate, age, origin)
        return inmate

    def aliases(self, rng, first, last, veo):
        aliases = {}
        if rng.random() < (0.5 if veo else 0.22):
            if first in FIRST_VARIANTS and rng.random() < 0.6:
                aliases[f"{rng.choice(FIRST_VARIANTS[first])} {last}"] = AliasKind.SPELLING
            if last in LAST_VARIANTS:
                aliases[f"{first} {rng.choice(LAST_VARIANTS[last])}"] = AliasKind.SPELLING
            if not aliases:
                aliases[f"{last} {first}"] = AliasKind.SPELLING  # names given the other way round
        if veo and rng.random() < 0.4:
            aliases[rng.choice(NOMS_DE_GUERRE)] = AliasKind.ALIAS
        return aliases

    def relatives(self, rng, inmate, age, origin):
        town = rng.choice(TOWNS.get(origin, ["Bamako"])) if origin else "Bamako"
        address = f"Bamako, {rng.choice(BAMAKO_QUARTERS)}" if town == "Bamako" else town
        phone = "+223 {}{} {} {} {}".format(rng.choice("67"), rng.randint(0, 9), rng.randint(10, 99),
                                            rng.randint(10, 99), rng.randint(10, 99))
        married = age >= 22 and rng.random() < 0.6
        add = self.rows[Relative].append
        if married:
            spouse_first = rng.choice(FEMALE if inmate.sex == "M" else MALE)
            spouse = f"{spouse_first} {rng.choice(ETHNIC['bambara'][0] + ETHNIC['peul'][0])}"
            add(R(id=self._id(Relative), inmate_id=inmate.id, name=spouse,
                         relation=Relation.SPOUSE, is_next_of_kin=True, is_emergency_contact=True,
                         phone=phone, address=address))
            for _ in range(rng.choice((0, 1, 1, 2, 2, 3, 4))):
                child_age = rng.randint(0, max(0, min(age - 20, 17)))
                if inmate.sex == "F" and child_age < 3 and rng.random() < 0.4:
                    where = "Avec sa mère en détention"
                    carer = f"{inmate.first_name} {inmate.last_name.upper()}"
                else:
                    carer = (f"{spouse} ({'mère' if inmate.sex == 'M' else 'père'})" if rng.random() < 0.7
                             else f"{inmate.mother_name} (grand-mère)")
                    where = f"Au domicile familial, {address}"
                add(R(id=self._id(Relative), inmate_id=inmate.id,
                             name=_child_name(rng, inmate, spouse),
                             relation=Relation.CHILD, age_years=child_age, whereabouts=where,
                             caregiver=carer))
        else:
            relation, name = rng.choice([
                (Relation.FATHER, f"{inmate.father_name} {inmate.last_name}"),
                (Relation.MOTHER, inmate.mother_name),
                (Relation.SIBLING, f"{rng.choice(MALE)} {inmate.last_name}"),
                (Relation.UNCLE_AUNT, f"{rng.choice(MALE)} {inmate.last_name}"),
            ])
            add(R(id=self._id(Relative), inmate_id=inmate.id, name=name, relation=relation,
                         is_next_of_kin=True, is_emergency_contact=rng.random() < 0.8,
                         phone=phone if rng.random() < 0.85 else "", address=address))

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


def _child_name(rng, parent, spouse):
    """Children carry their father's name (Ag / Ould + his first name in Tamasheq and Arab use)."""
    boy = rng.random() < 0.5
    first = rng.choice(MALE if boy else FEMALE)
    if parent.sex == "F":
        return f"{first} {spouse.rsplit(' ', 1)[1]}"
    for men, women in (("Ag ", "Walet "), ("Ould ", "Mint ")):
        if parent.last_name.startswith(men):
            return f"{first} {men if boy else women}{parent.first_name}"
    return f"{first} {parent.last_name}"


def _add_months(day, months):
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    last = [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28, 31, 30, 31, 30,
            31, 31, 30, 31, 30, 31][month - 1]
    return dt.date(year, month, min(day.day, last))


# --- Arrivals in progress ---------------------------------------------------------------------


def arrival_warrants(count, *, seed):
    """`count` warrants for people arriving today at Bamako or Koulikoro, as the intake
    workflow's `register_arrival` takes them (the command registers them: this module stays
    below intake). Returns [(facility code, warrant dict)]."""
    rng = random.Random(seed * 7919 + 1)
    now = timezone.now().replace(second=0, microsecond=0)
    courts = {c.code: c for c in Court.objects.all()}
    regions = {r.code: r for r in Region.objects.all()}
    warrants = []
    for i in range(count):
        code = "BKO" if rng.random() < 0.85 else "KLK"
        terrorism = rng.random() < (0.08 if code == "BKO" else 0.25)
        ethnic = rng.choices(*MIXES_W["veo" if terrorism else "bamako"])[0]
        if ethnic == "foreign":
            ethnic = "bambara"
        surnames, extra_m, _, _, homes = ETHNIC[ethnic]
        males = extra_m + ["Moussa", "Oumar"] if ethnic in ("tamasheq", "arab") else MALE + extra_m
        father, first = rng.choice(males), rng.choice(males)
        last = (f"Ag {father}" if ethnic == "tamasheq" else f"Ould {father}" if ethnic == "arab"
                else rng.choice(surnames))
        admitted_at = now - dt.timedelta(hours=rng.randint(1, 60))
        arrested_at = admitted_at - dt.timedelta(hours=rng.randint(30, 70))
        if terrorism:
            offences = [rng.choices(*TERRORISM_W)[0]]
            place, region = rng.choice(CONFLICT_PLACES)
            court, force = courts[CT_POLE], rng.choice((ArrestingForce.ARMY, ArrestingForce.GENDARMERIE))
            arrested_at -= dt.timedelta(days=rng.randint(5, 25))
            priors = [{"kind": PriorCustodyKind.GENDARMERIE, "place": "Gendarmerie, Camp I, Bamako",
                       "authority": "Gendarmerie nationale",
                       "started_at": admitted_at - dt.timedelta(days=rng.randint(3, 12)),
                       "ended_at": admitted_at - dt.timedelta(hours=2)}]
        else:
            offences = [rng.choices(*ORDINARY_W)[0]]
            place, region = f"Bamako, {rng.choice(BAMAKO_QUARTERS)}", "BKO"
            court = courts[rng.choice(PROFILES[code].courts)]
            force = ArrestingForce.POLICE if rng.random() < 0.7 else ArrestingForce.GENDARMERIE
            priors = [{"kind": PriorCustodyKind.POLICE, "place": "Commissariat de police",
                       "authority": "Police nationale", "started_at": arrested_at,
                       "ended_at": admitted_at - dt.timedelta(hours=1)}] if rng.random() < 0.5 else []
        judge = rng.choice(JUDGE_NAMES)
        cabinet = rng.choice(CABINETS)
        issued_on = admitted_at.date()
        age = 18 + int(rng.expovariate(1 / 11))
        warrants.append((code, {
            "identity_decision": "new", "last_name": last, "first_name": first, "sex": "M",
            "father_name": father, "mother_name": f"{rng.choice(FEMALE)} {rng.choice(ETHNIC['bambara'][0])}",
            "birth_year": timezone.localdate(now).year - age,
            "region_of_origin": regions[rng.choice(homes) if homes else "BKO"],
            "warrant_number": f"MD-{issued_on.year}-{seed % 1000:03d}{i:04d}",
            "warrant_kind": OrderKind.COMMITTAL if terrorism or rng.random() < 0.7 else OrderKind.PROSECUTOR,
            "issued_by": f"{judge}, juge d'instruction ({cabinet}), {court.name}",
            "issued_on": issued_on, "court": court,
            "case_number": f"{'PJS/RI' if terrorism else 'RI'}-{9000 + i:05d}/{issued_on.year}",
            "investigating_judge": judge,
            "arresting_force": force, "arrested_at": arrested_at, "arrest_place": place,
            "arrest_region": regions[region], "admitted_at": admitted_at, "prior_custodies": priors,
            "charges": [{"offence": o[0], "legal_class": o[1], "max_penalty_months": o[2],
                         "terrorism_related": o[3]} for o in offences],
        }))
    return warrants


# --- Reset -----------------------------------------------------------------------------------


def _dependents(models):
    """The given models plus every model (any app) whose foreign keys lead to them."""
    found = list(models)
    changed = True
    while changed:
        changed = False
        for model in apps.get_models(include_auto_created=True):
            if model in found:
                continue
            for field in model._meta.concrete_fields:
                if field.is_relation and field.related_model in found:
                    found.append(model)
                    changed = True
                    break
    return found


def reset_demo_data():
    """Empty the detainee tables (and any table that refers to them) in one fast statement.

    The audit trail is append-only and is kept; units, courts and accounts are kept.
    """
    models = _dependents(DETAINEE_MODELS)
    counter = _counter_model()
    if counter is not None and counter not in models:
        models.append(counter)  # numbers restart with the data they numbered
    with transaction.atomic():
        if connection.vendor == "postgresql":
            tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models)
            with connection.cursor() as cursor:
                cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
        else:
            # Children first: a model is emptied once nothing left refers to it.
            remaining = list(models)
            while remaining:
                for model in remaining:
                    referrers = [m for m in remaining if m is not model and any(
                        f.is_relation and f.related_model is model for f in m._meta.concrete_fields)]
                    if not referrers:
                        with connection.cursor() as cursor:
                            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
                        remaining.remove(model)
                        break
                else:
                    raise RuntimeError("Cycle between demo tables")
    return [m._meta.db_table for m in models]


# --- Entry point -----------------------------------------------------------------------------


def seed(n, *, seed=2026, log=print):
    """Generate `n` people across the operational facilities. Returns the row counts."""
    phase = time.monotonic()
    facilities = list(Facility.objects.operational().select_related("region").order_by("code"))
    facilities = [f for f in facilities if f.code in PROFILES] + [
        f for f in facilities if f.code not in PROFILES]
    units = ensure_units(facilities)
    log(f"Unités : {Unit.objects.filter(facility__in=facilities).count()} dans "
        f"{len(facilities)} établissements en service ({time.monotonic() - phase:.1f} s)")

    phase = time.monotonic()
    users = User.objects.filter(username__startswith="greffe.").prefetch_related("facilities")
    # Who recorded the placements: the prison's clerk where there is a demo one, else the admin.
    admin_id = User.objects.filter(username="admin").values_list("pk", flat=True).first()
    clerks = {f.pk: admin_id for f in facilities}
    for user in users:
        for f in user.facilities.all():
            clerks[f.pk] = user.pk
    Court.objects.get_or_create(code="MTPI", defaults={
        # Sentences passed over the Rwandan genocide, served at Koulikoro (DESIGN.md §1).
        "name": "Mécanisme international appelé à exercer les fonctions résiduelles des "
                "tribunaux pénaux (TPIR)", "kind": CourtKind.APPEAL, "town": "Arusha"})
    courts = {c.code: c for c in Court.objects.all()}
    regions = {r.code: r for r in Region.objects.all()}
    chunks = (n + CHUNK - 1) // CHUNK
    generator = Generator(seed=seed, now=timezone.now().replace(second=0, microsecond=0),
                          facilities=facilities, units=units, courts=courts, regions=regions,
                          clerks=clerks, chunks=chunks)
    counts = {m.__name__: 0 for m in DETAINEE_MODELS}
    done = 0

    def progress(chunk_counts):
        nonlocal done
        for name, count in chunk_counts.items():
            counts[name] += count
        done += 1
        if done == chunks or done % max(1, chunks // 20) == 0:
            people = min(n, done * CHUNK)
            elapsed = time.monotonic() - phase
            log(f"  détenus : {_thousands(people):>9} / {_thousands(n)}  ({elapsed:.1f} s, "
                f"{_thousands(round(people / max(elapsed, 1e-9)))} par seconde)")

    with _quiet_queries(), transaction.atomic():
        if connection.vendor == "postgresql":
            sequences = _write_with_copy(generator, n, progress, log)
        else:
            for index in range(chunks):
                rows = generator.chunk(index, min(CHUNK, n - index * CHUNK))
                for model in DETAINEE_MODELS:
                    model.objects.bulk_create([model(**row) for row in rows[model]], batch_size=BATCH_SIZE)
                progress({m.__name__: len(r) for m, r in rows.items()})
            sequences = generator.sequences
        Generator.save_sequences(sequences)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), DETAINEE_MODELS):
                    cursor.execute(sql)
    log(f"Détenus et dossiers écrits ({time.monotonic() - phase:.1f} s)")
    if connection.vendor == "postgresql":
        phase = time.monotonic()
        with connection.cursor() as cursor:
            for model in DETAINEE_MODELS:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        log(f"Statistiques du planificateur (ANALYZE) ({time.monotonic() - phase:.1f} s)")
    return counts


def _thousands(number):
    return f"{number:,}".replace(",", " ")


@contextlib.contextmanager
def _quiet_queries():
    """No query log while loading (with DEBUG on, Django would keep every INSERT in memory)."""
    debug = settings.DEBUG
    settings.DEBUG = False
    try:
        yield
    finally:
        settings.DEBUG = debug


# --- PostgreSQL: COPY, fed by a generating process -------------------------------------------

_COPY_ESCAPE = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_formatter(model, now, keys):
    """A compiled function turning rows into PostgreSQL COPY text, for the given row keys.

    Columns no row sets are written as their model default (a constant); the others are
    converted by type. Compiled once per chunk shape, because this runs for every value of
    millions of rows.
    """
    fields = model._meta.concrete_fields
    namespace = {"E": _COPY_ESCAPE}
    parts = []
    for i, field in enumerate(fields):
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            default = now
        elif field.has_default():
            default = field.get_default()
        elif field.null:
            default = None
        else:
            default = "" if field.empty_strings_allowed else None
        if field.attname not in keys:
            constant = _copy_value(default)
            for char, escaped in (("\\", "\\\\"), ('"', '\\"'), ("{", "{{"), ("}", "}}")):
                constant = constant.replace(char, escaped)
            parts.append(constant)
            continue
        namespace[f"d{i}"] = default
        get = f"g({field.attname!r}, d{i})"
        internal = field.get_internal_type()
        if internal == "BooleanField":
            parts.append(f"{{'t' if {get} else 'f'}}")
        elif internal in ("CharField", "TextField"):
            parts.append(f"{{{get}.translate(E)}}" if not field.null else f"{{V({get})}}")
        elif field.null:
            parts.append(f"{{V({get})}}")
        else:  # numbers, dates, moments: format() writes them as PostgreSQL reads them
            parts.append(f"{{{get}}}")
    namespace["V"] = _copy_value
    line = "\\t".join(parts) + "\\n"  # the escapes \t and \n, written into the source
    source = ("def format_rows(rows):\n"
              "    out = []\n"
              "    append = out.append\n"
              "    for row in rows:\n"
              "        g = row.get\n"
              f'        append(f"{line}")\n'
              "    return ''.join(out)\n")
    exec(compile(source, f"<copy {model.__name__}>", "exec"), namespace)
    return [f.column for f in fields], namespace["format_rows"]


def _copy_value(value):
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPE)
    return str(value)


def _generate_copy_chunks(generator, n, worker, workers, queue):
    """In a worker process (no database access): generate every `workers`-th chunk as COPY text."""
    try:
        formatters = {}
        for index in range(worker, generator.chunks, workers):
            rows = generator.chunk(index, min(CHUNK, n - index * CHUNK))
            texts = []
            for model in DETAINEE_MODELS:
                if not rows[model]:
                    continue
                keys = frozenset().union(*rows[model])
                if (model, keys) not in formatters:
                    formatters[model, keys] = _copy_formatter(model, generator.now, keys)
                columns, format_rows = formatters[model, keys]
                texts.append((model._meta.db_table, columns, format_rows(rows[model])))
            queue.put(("chunk", texts, {m.__name__: len(r) for m, r in rows.items()}))
        queue.put(("done", generator.sequences))
    except BaseException:  # noqa: BLE001 — reported to the parent process
        queue.put(("error", traceback.format_exc()))


def _only_foreign_key_triggers(cursor, models):
    """True when the tables carry no trigger of their own (only the foreign-key checks)."""
    cursor.execute(
        "SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        "WHERE c.relname = ANY(%s) AND NOT t.tgisinternal",
        [[m._meta.db_table for m in models]],
    )
    return cursor.fetchone()[0] == 0


def _defer_secondary_indexes(cursor, models):
    """Drop the plain (non-unique, non-constraint) indexes of the tables; return their
    definitions, to build them again once the rows are in (a sorted build is much cheaper
    than millions of random insertions, a trigram index above all)."""
    cursor.execute(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i "
        "WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s) "
        "AND i.indexdef NOT LIKE 'CREATE UNIQUE %%' "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
        [[m._meta.db_table for m in models]],
    )
    indexes = cursor.fetchall()
    for name, _ in indexes:
        cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    return [definition for _, definition in indexes]


def _write_with_copy(generator, n, progress, log):
    """COPY the chunks that worker processes generate (forked: they never touch the database).

    Workers keep the CPUs busy generating while PostgreSQL ingests. The foreign-key checks
    are skipped for these rows when the role may do so (superuser) and no other trigger
    would be skipped with them: the rows are consistent by construction, and re-checking
    tens of millions of references doubles the load time. Returns the sequences reached.
    """
    workers = max(1, min(WORKERS, generator.chunks))
    context = multiprocessing.get_context("fork")
    queue = context.Queue(maxsize=2 * workers + 1)
    children = [context.Process(target=_generate_copy_chunks, args=(generator, n, w, workers, queue),
                                daemon=True) for w in range(workers)]
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        skip_checks = False
        if _only_foreign_key_triggers(cursor, DETAINEE_MODELS):
            try:
                with transaction.atomic():
                    cursor.execute("SET LOCAL session_replication_role = replica")
                skip_checks = True
            except DatabaseError:
                pass  # not a superuser: PostgreSQL checks every reference
        # Large loads: secondary indexes rebuilt at the end (same transaction: all or nothing).
        deferred = _defer_secondary_indexes(cursor, DETAINEE_MODELS) if n >= DEFER_INDEXES_FROM else []
    log(f"  {workers} processus de génération ; contrôles des clés étrangères "
        f"{'omis (lignes cohérentes par construction)' if skip_checks else 'effectués'}"
        + (f" ; {len(deferred)} index reconstruits après chargement" if deferred else ""))
    for child in children:
        child.start()
    sequences, finished, waited, copying = dict(generator.sequences), 0, 0.0, {}
    try:
        with connection.cursor() as cursor:
            while finished < workers:
                start = time.monotonic()
                message = queue.get()
                waited += time.monotonic() - start
                if message[0] == "error":
                    raise RuntimeError("Échec de la génération des données :\n" + message[1])
                if message[0] == "done":
                    finished += 1
                    for key, value in message[1].items():
                        sequences[key] = max(sequences.get(key, 0), value)
                    continue
                _, texts, chunk_counts = message
                for table, columns, text in texts:
                    start = time.monotonic()
                    sql = "COPY {} ({}) FROM STDIN".format(
                        connection.ops.quote_name(table), ", ".join(connection.ops.quote_name(c) for c in columns))
                    cursor.cursor.copy_expert(sql, io.StringIO(text))
                    copying[table] = copying.get(table, 0.0) + time.monotonic() - start
                progress(chunk_counts)
            if skip_checks:
                cursor.execute("SET LOCAL session_replication_role = DEFAULT")
    finally:
        for child in children:
            if child.is_alive():
                child.terminate()
            child.join()
    log(f"  attente des générateurs {waited:.1f} s ; COPY " + ", ".join(
        f"{table.split('_', 1)[1]} {seconds:.1f} s" for table, seconds in copying.items()))
    if deferred:
        start = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            for definition in deferred:
                cursor.execute(definition)
        log(f"  {len(deferred)} index reconstruits ({time.monotonic() - start:.1f} s)")
    return sequences


def audit_seed(counts, *, seed, reset):
    """The one audit entry saying demo data was loaded, with its counts."""
    record_audit(
        AuditAction.OTHER, actor_name="seed_demo", changes={"counts": counts, "seed": seed, "reset": reset},
        reason="Chargement des données de démonstration (seed_demo).",
    )
