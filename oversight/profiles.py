"""Profiles of terrorism-related detainees: counts and percentages, never a person.

The population is every person held now (intake or held) whose custody is flagged
terrorism-related, whatever their legal status (shown as a dimension of its own:
presumption of innocence). All dimensions come from one grouped query, whatever the
number of people. The table is always built for the whole country and then cut down to
what the reader may see, so that the same cells are hidden in every view: comparing a
prison's table with the national one gives nothing away.

Protection (see `suppression.py`): counts below 5 are shown "< 5"; more cells are hidden
where a total would give a small one away; answers outside the controlled lists are
one line, "other"; prisons holding fewer than 5 such people are grouped into one column. There are no names, no numbers, no ids in this report.
"""

import datetime
from collections import defaultdict

from django.db.models import Case, CharField, Count, Value, When
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.numbers import percentage
from inmates.models import (
    Affiliation,
    Custody,
    Education,
    EngagementReason,
    Involvement,
    LegalStatus,
    MaritalStatus,
)
from inmates.vocabularies import EthnicGroup, Occupation, OrganisationalRole
from prisons.models import HELD_STATUSES, Facility, Region, Zone

from . import suppression
from .reports import years_before

UNKNOWN = "unknown"
OTHERS_COLUMN = "others"
NATIONAL = "national"
UNKNOWN_LABEL = _("Non renseigné")

AGE_BANDS = [("16-25", _("16–25 ans"), 16), ("26-35", _("26–35 ans"), 26), ("36-45", _("36–45 ans"), 36),
             ("46+", _("46 ans et plus"), 46)]
UNDER_16 = ("lt16", _("Moins de 16 ans"))

# Merged families of armed groups (DESIGN.md §5). MUJAO, an AQIM offshoot later merged into
# al-Mourabitoune and then JNIM, is counted with the al-Qaeda-linked groups.
FAMILY_OF = {
    Affiliation.MNLA: "secessionist", Affiliation.ANSAR_DINE: "al_qaeda", Affiliation.AQIM: "al_qaeda",
    Affiliation.JNIM: "al_qaeda", Affiliation.MUJAO: "al_qaeda", Affiliation.ISLAMIC_STATE: "islamic_state",
    Affiliation.OTHER: "other_group", Affiliation.UNKNOWN: None,
}
FAMILIES = [("secessionist", _("Mouvements sécessionnistes")), ("al_qaeda", _("Liés à al-Qaïda")),
            ("islamic_state", _("Liés à l'État islamique")), ("other_group", _("Autre groupe")),
            (UNKNOWN, _("Inconnue / non renseignée")), ("several", _("dont : plusieurs familles nommées"))]


def affiliation_families(affiliations) -> set[str]:
    """Every family a person named, as the study counts them: a person who named a secessionist
    movement and an al-Qaeda-linked group counts once in each (and in 'several'); none: unknown."""
    families = {FAMILY_OF.get(a) for a in affiliations or []} - {None}
    if not families:
        return {UNKNOWN}
    return families | {"several"} if len(families) > 1 else families


def affiliation_family(affiliations) -> str:
    """The one family of a person's group(s), 'several' when they span more than one (a summary only)."""
    families = affiliation_families(affiliations) - {"several"}
    return families.pop() if len(families) == 1 else "several"


def age_band_expression(day: datetime.date):
    """SQL: the age band on `day` from the date of birth, or else the birth year."""
    whens = []
    for key, _label, low in reversed(AGE_BANDS):
        whens.append(When(inmate__date_of_birth__isnull=False, inmate__date_of_birth__lte=years_before(day, low),
                          then=Value(key)))
    whens.append(When(inmate__date_of_birth__isnull=False, then=Value(UNDER_16[0])))
    for key, _label, low in reversed(AGE_BANDS):
        whens.append(When(inmate__birth_year__isnull=False, inmate__birth_year__lte=day.year - low, then=Value(key)))
    whens.append(When(inmate__birth_year__isnull=False, then=Value(UNDER_16[0])))
    return Case(*whens, default=Value(UNKNOWN), output_field=CharField())


# key, label, field (or None when computed), categories (None: the regions), several answers. The answers
# that were free text are codes of controlled lists (inmates.vocabularies): "other" is one line, whatever
# the words that follow it.
DIMENSIONS = [
    ("involvement", _("Type d'implication"), "inmate__social_profile__involvement", Involvement.choices, False),
    ("legal_status", _("Statut juridique"), "legal_status", LegalStatus.choices, False),
    ("age_band", _("Tranche d'âge"), None, [*[(k, lbl) for k, lbl, _l in AGE_BANDS], UNDER_16], False),
    ("ethnic_group", _("Groupe ethnique"), "inmate__social_profile__ethnic_group", EthnicGroup.choices, False),
    ("zone", _("Zone d'origine"), "inmate__region_of_origin__zone", Zone.choices, False),
    ("region", _("Région d'origine"), "inmate__region_of_origin__code", None, False),
    ("education", _("Niveau d'instruction"), "inmate__social_profile__education",
     [c for c in Education.choices if c[0] != Education.UNKNOWN], False),
    ("occupation", _("Profession / activité"), "inmate__social_profile__occupation", Occupation.choices, False),
    ("marital_status", _("Situation matrimoniale"), "inmate__social_profile__marital_status",
     [c for c in MaritalStatus.choices if c[0] != MaritalStatus.UNKNOWN], False),
    ("affiliation_family", _("Famille(s) de groupes armés nommée(s) (plusieurs possibles)"), None, FAMILIES, True),
    ("affiliation", _("Groupe(s) d'affiliation (plusieurs possibles)"), None,
     [c for c in Affiliation.choices if c[0] != Affiliation.UNKNOWN], True),
    ("engagement_reasons", _("Raisons de l'engagement (plusieurs possibles)"), None, EngagementReason.choices, True),
    ("organisational_role", _("Rôle dans l'organisation"), "inmate__social_profile__organisational_role",
     OrganisationalRole.choices, False),
]
DIMENSION_LABELS = {key: label for key, label, *_rest in DIMENSIONS}


def population(day: datetime.date | None = None):
    """Custodies of people held now in a terrorism-related matter."""
    return Custody.objects.filter(status__in=HELD_STATUSES, terrorism_related=True)


AFFILIATIONS, REASONS = "inmate__social_profile__affiliations", "inmate__social_profile__engagement_reasons"
KNOWN = "known"  # per dimension and column: the people whose answer is known (the base of its shares)
# The breakdown by year of admission (the shift towards central Mali the study describes):
# zone of origin × year of admission, nationally, protected together with the zone table.
BY_YEAR, BY_YEAR_DIMENSION, YEAR_OF = "by_year", "zone", "inmate__region_of_origin__zone"


def year_groups(people_by_year: dict) -> list[tuple[str, list[int]]]:
    """Consecutive years of admission grouped, oldest first, so that each group holds at least
    THRESHOLD people nationally (a thinner year would be a small cell of its own)."""
    groups, current, size = [], [], 0
    for year in sorted(people_by_year):
        current.append(year)
        size += people_by_year[year]
        if size >= suppression.THRESHOLD:
            groups.append(current)
            current, size = [], 0
    if current:
        if groups:
            groups[-1] = groups[-1] + current
        else:
            groups.append(current)
    return [(str(g[0]) if len(g) == 1 else f"{g[0]}–{g[-1]}", g) for g in groups]


def _raw_counts(day):
    """{dimension: {(category, facility_id): count}} — from one grouped query over the population.

    One pass over the joined rows (grouped by every answer at once) costs far less than one
    pass per dimension at national scale; several answers are then counted per person.
    """
    fields = [field for _key, _label, field, _choices, _multi in DIMENSIONS if field is not None]
    rows = (population(day).annotate(band=age_band_expression(day), year=ExtractYear("admitted_at"))
            .values("facility_id", "band", "year", *fields, AFFILIATIONS, REASONS).annotate(n=Count("id")).order_by())
    counts = {key: defaultdict(int) for key, *_rest in DIMENSIONS}
    counts[BY_YEAR] = defaultdict(int)
    single = [(key, field) for key, _label, field, _choices, _multi in DIMENSIONS if field is not None]
    family, groups, reasons, age = (counts["affiliation_family"], counts["affiliation"],
                                    counts["engagement_reasons"], counts["age_band"])
    for row in rows:
        fid, n = row["facility_id"], row["n"]
        for key, field in single:
            counts[key][(row[field], fid)] += n
        age[(row["band"], fid)] += n
        counts[BY_YEAR][(row[YEAR_OF], row["year"])] += n
        affiliations = row[AFFILIATIONS] or []
        for f in affiliation_families(affiliations):
            family[(f, fid)] += n
        listed = set(affiliations) - {Affiliation.UNKNOWN}
        for a in listed:
            groups[(a, fid)] += n
        if not listed:
            groups[(UNKNOWN, fid)] += n
        answered = set(row[REASONS] or [])
        for r in answered:
            reasons[(r, fid)] += n
        if not answered:
            reasons[(UNKNOWN, fid)] += n
    return counts


def _categories(key, choices, table):
    """Ordered (category, label) of a dimension."""
    if key == "region":
        names = dict(Region.objects.values_list("code", "name"))
        national = defaultdict(int)
        for (value, _fid), n in table.items():
            national[value] += n
        cats = [(code, names[code]) for code in sorted((c for c in national if c), key=lambda c: names[c])]
        return cats + [(UNKNOWN, UNKNOWN_LABEL)], {}
    cats = [(k, lbl) for k, lbl in choices if k != UNKNOWN]
    return cats + [(UNKNOWN, UNKNOWN_LABEL)], {}


def _normalise(key, value, choices, remap):
    if value in (None, ""):
        return UNKNOWN
    return value


def _add_year_table(raw, cats, values, lines):
    """Cells and sums of zone × year of admission, added to the zone table's so that both are
    protected as one: no difference of the two published tables narrows a hidden cell."""
    by_year = defaultdict(int)
    for (_zone, year), n in raw.items():
        by_year[year] += n
    groups = year_groups(by_year)
    group_of = {year: label for label, years in groups for year in years}
    cells = defaultdict(int)
    for (zone, year), n in raw.items():
        cells[(zone or UNKNOWN, group_of[year])] += n
    for label, _years in groups:
        for cat, _cl in cats:
            values[("Y", cat, label)] = cells[(cat, label)]
        values[("YT", label)] = sum(cells[(cat, label)] for cat, _cl in cats)
        values[("YK", label)] = values[("YT", label)] - values[("Y", UNKNOWN, label)]
        lines.append(([("Y", cat, label) for cat, _cl in cats], ("YT", label)))
        lines.append(([("YK", label), ("Y", UNKNOWN, label)], ("YT", label)))
        lines.append(([("Y", cat, label) for cat, _cl in cats if cat != UNKNOWN], ("YK", label)))
    for cat, _cl in cats:
        lines.append(([("Y", cat, label) for label, _y in groups], (BY_YEAR_DIMENSION, cat, NATIONAL)))
    if groups:
        lines.append(([("YT", label) for label, _y in groups], ("T", NATIONAL)))
        lines.append(([("YK", label) for label, _y in groups], (BY_YEAR_DIMENSION, KNOWN, NATIONAL)))
    return [label for label, _y in groups]


def national_table(day: datetime.date | None = None) -> dict:
    """Every cell of the report for the whole country, with the protection applied."""
    day = day or timezone.localdate()
    raw = _raw_counts(day)
    per_facility = defaultdict(int)
    for (_value, fid), n in raw["legal_status"].items():
        per_facility[fid] += n
    small = {fid for fid, n in per_facility.items() if n < suppression.THRESHOLD}
    # The grouped column must itself reach 5, or the national total minus the named prisons
    # would give it away: while it does not, the smallest named prison joins the group.
    named = sorted((fid for fid in per_facility if fid not in small), key=lambda f: per_facility[f])
    while small and named and sum(per_facility[f] for f in small) < suppression.THRESHOLD:
        small.add(named.pop(0))
    column_of = {fid: (OTHERS_COLUMN if fid in small else fid) for fid in per_facility}
    names = dict(Facility.objects.filter(pk__in=list(per_facility)).values_list("pk", "name"))
    big = sorted((fid for fid in per_facility if fid not in small), key=lambda f: names[f])
    columns = [(fid, names[fid]) for fid in big]
    if small:
        columns.append((OTHERS_COLUMN, _("Autres établissements (regroupés)")))
    col_keys = [c for c, _l in columns]

    totals = defaultdict(int)
    for fid, n in per_facility.items():
        totals[column_of[fid]] += n
    total_values = {("T", col): totals[col] for col in col_keys}
    total_values[("T", NATIONAL)] = sum(per_facility.values())
    total_lines = [([("T", c) for c in col_keys], ("T", NATIONAL))]

    dims, years = [], []
    for key, label, _field, choices, multi in DIMENSIONS:
        cats, remap = _categories(key, choices, raw[key])
        cells = defaultdict(int)
        for (value, fid), n in raw[key].items():
            cells[(_normalise(key, value, choices, remap), column_of[fid])] += n
        values, lines = {}, []
        for cat, _cl in cats:
            for col in col_keys:
                values[(key, cat, col)] = cells[(cat, col)]
            values[(key, cat, NATIONAL)] = sum(cells[(cat, col)] for col in col_keys)
            lines.append(([(key, cat, col) for col in col_keys], (key, cat, NATIONAL)))
        if not multi:  # one answer per person: each column adds up to its population
            for col in [*col_keys, NATIONAL]:
                lines.append(([(key, cat, col) for cat, _cl in cats], ("T", col)))
        # Shares are of the people whose answer is known; the unknowns are shown apart. The base
        # is published, so it is a protected cell: known + unknown = population.
        for col in [*col_keys, NATIONAL]:
            values[(key, KNOWN, col)] = total_values[("T", col)] - values[(key, UNKNOWN, col)]
            lines.append(([(key, KNOWN, col), (key, UNKNOWN, col)], ("T", col)))
            if not multi:
                lines.append(([(key, cat, col) for cat, _cl in cats if cat != UNKNOWN], (key, KNOWN, col)))
        lines.append(([(key, KNOWN, col) for col in col_keys], (key, KNOWN, NATIONAL)))
        if key == BY_YEAR_DIMENSION:
            years = _add_year_table(raw[BY_YEAR], cats, values, lines)
        dims.append({"key": key, "label": label, "multi": multi, "categories": cats, "values": values,
                     "lines": lines})

    # The populations (totals) are shared by every dimension: protect them first, then each
    # dimension with them fixed (dimensions are then independent, which keeps this fast).
    # If a dimension can only be protected by hiding a total, hide it everywhere and start again.
    forced = {}
    while True:
        status = suppression.protect(total_values, total_lines, initial=forced)
        restart = False
        for dim in dims:
            fixed = {k: status[k] for k in total_values}
            dim_status = suppression.protect({**total_values, **dim["values"]}, dim["lines"], initial=fixed,
                                             frozen=frozenset(total_values))
            newly_hidden = {k: v for k, v in dim_status.items() if k in total_values and v != status[k]}
            if newly_hidden:
                forced.update(newly_hidden)
                restart = True
                break
            status.update({k: v for k, v in dim_status.items() if k not in total_values})
        if not restart:
            break
    values = {**total_values}
    lines = [*total_lines]
    for dim in dims:
        values.update(dim.pop("values"))
        lines += dim.pop("lines")
    return {"day": day, "columns": columns, "dimensions": dims, "values": values, "status": status,
            "column_of": column_of, "per_facility": dict(per_facility), "years": years, "lines": lines}


def _cell(table, key, col, base=None):
    """A published cell: its text, and its share of `base` (a cell key) when both are shown."""
    value, state = table["values"][key], table["status"][key]
    shown = state == suppression.SHOWN and base is not None and table["status"][base] == suppression.SHOWN
    return {"text": suppression.display(value, state),
            "percent": percentage(value, table["values"][base]) if shown else None,
            "value": value if state == suppression.SHOWN else None}


def _year_table(table):
    """Zone of origin × year of admission (national readers only): shares of the people of the
    year whose zone is known; the unknowns apart."""
    dim = next(d for d in table["dimensions"] if d["key"] == BY_YEAR_DIMENSION)
    years = table["years"]
    rows = [{"key": cat, "label": str(label), "apart": cat == UNKNOWN,
             "cells": [_cell(table, ("Y", cat, y), y, None if cat == UNKNOWN else ("YK", y)) for y in years]}
            for cat, label in dim["categories"]]
    return {"label": str(_("Zone d'origine selon l'année d'écrou")), "columns": years, "rows": rows,
            "known": [_cell(table, ("YK", y), y) for y in years],
            "totals": [_cell(table, ("YT", y), y) for y in years]}


def profiles(*, facility_ids=None, day: datetime.date | None = None) -> dict:
    """The report as the reader may see it: national (facility_ids None) or some prisons' columns.

    Only protected values leave this function: hidden cells carry text ("< 5", "n.d."), no number.
    """
    table = national_table(day)
    columns = table["columns"]
    notes = []
    if facility_ids is None:
        visible = [(c, str(lbl)) for c, lbl in columns] + [(NATIONAL, str(_("Ensemble du pays")))]
    else:
        visible = []
        names = dict(Facility.objects.filter(pk__in=facility_ids).values_list("pk", "name"))
        for fid in sorted(facility_ids, key=lambda f: names.get(f, "")):
            held = table["per_facility"].get(fid, 0)
            if table["column_of"].get(fid) == fid:
                visible.append((fid, names[fid]))
            elif held:
                notes.append(str(_("%(f)s : trop peu de personnes concernées pour un tableau propre à "
                                   "l'établissement ; leur profil n'est publié qu'au sein du groupe « Autres "
                                   "établissements » du tableau national.") % {"f": names[fid]}))
            else:
                notes.append(str(_("%(f)s : aucune personne détenue dans une affaire liée au terrorisme.")
                                 % {"f": names[fid]}))
    dims = []
    for dim in table["dimensions"]:
        rows = []
        for cat, label in dim["categories"]:
            rows.append({"key": cat, "label": str(label), "apart": cat == UNKNOWN,
                         "cells": [_cell(table, (dim["key"], cat, col), col,
                                         None if cat == UNKNOWN else (dim["key"], KNOWN, col))
                                   for col, _l in visible]})
        dims.append({"key": dim["key"], "label": str(dim["label"]), "multi": dim["multi"], "rows": rows,
                     "known": [_cell(table, (dim["key"], KNOWN, col), col) for col, _l in visible]})
    totals = [{"text": suppression.display(table["values"][("T", c)], table["status"][("T", c)])}
              for c, _l in visible]
    return {
        "day": table["day"], "threshold": suppression.THRESHOLD,
        "columns": [{"key": str(c), "label": lbl} for c, lbl in visible],
        "totals": totals, "dimensions": dims, "notes": notes,
        "by_year": _year_table(table) if facility_ids is None and table["years"] else None,
    }
