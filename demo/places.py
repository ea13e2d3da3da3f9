"""The facilities' demo profiles (how many people, how many untried…) and their units."""

from dataclasses import dataclass

from prisons.models import Regime, Unit, UnitKind

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
