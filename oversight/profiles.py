"""Profiles of terrorism-related detainees: counts and percentages, never a person.

The population is every person held now (intake or held) whose custody is flagged
terrorism-related, whatever their legal status (shown as a dimension of its own:
presumption of innocence). All dimensions come from one grouped query, whatever the
number of people. The table is always built for the whole country and then cut down to
what the reader may see, so that the same cells are hidden in every view: comparing a
prison's table with the national one gives nothing away.

Protection (see `suppression.py`): counts below 5 are shown "< 5"; more cells are hidden
where a total would give a small one away; free-text answers given by fewer than 5
people nationally are grouped under "Autres"; prisons holding fewer than 5 such people
are grouped into one column. There are no names, no numbers, no ids in this report.
"""

import datetime
from collections import defaultdict

from django.db.models import Case, CharField, Count, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inmates.models import (
    Affiliation,
    Custody,
    Education,
    EngagementReason,
    Involvement,
    LegalStatus,
    MaritalStatus,
)
from prisons.models import HELD_STATUSES, Facility, Region, Zone

from . import suppression
from .reports import share, years_before

UNKNOWN = "unknown"
OTHER = "other"
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
            (UNKNOWN, _("Inconnue / non renseignée")), ("several", _("Plusieurs familles"))]


def affiliation_family(affiliations) -> str:
    """One family per person: the family of their group(s), 'several' when they span more than one."""
    families = {FAMILY_OF.get(a) for a in affiliations or []} - {None}
    if not families:
        return UNKNOWN
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


def _fold(text):
    return " ".join((text or "").split()).casefold()


# key, label, field (or None when computed), fixed categories (None: free text), several answers
DIMENSIONS = [
    ("involvement", _("Type d'implication"), "inmate__social_profile__involvement", Involvement.choices, False),
    ("legal_status", _("Statut juridique"), "legal_status", LegalStatus.choices, False),
    ("age_band", _("Tranche d'âge"), None, [*[(k, lbl) for k, lbl, _l in AGE_BANDS], UNDER_16], False),
    ("ethnic_group", _("Groupe ethnique"), "inmate__social_profile__ethnic_group", None, False),
    ("zone", _("Zone d'origine"), "inmate__region_of_origin__zone", Zone.choices, False),
    ("region", _("Région d'origine"), "inmate__region_of_origin__code", None, False),
    ("education", _("Niveau d'instruction"), "inmate__social_profile__education",
     [c for c in Education.choices if c[0] != Education.UNKNOWN], False),
    ("occupation", _("Profession / activité"), "inmate__social_profile__occupation", None, False),
    ("marital_status", _("Situation matrimoniale"), "inmate__social_profile__marital_status",
     [c for c in MaritalStatus.choices if c[0] != MaritalStatus.UNKNOWN], False),
    ("affiliation_family", _("Famille de groupes armés"), None, FAMILIES, False),
    ("affiliation", _("Groupe(s) d'affiliation (plusieurs possibles)"), None,
     [c for c in Affiliation.choices if c[0] != Affiliation.UNKNOWN], True),
    ("engagement_reasons", _("Raisons de l'engagement (plusieurs possibles)"), None, EngagementReason.choices, True),
    ("organisational_role", _("Rôle dans l'organisation"), "inmate__social_profile__organisational_role", None,
     False),
]
DIMENSION_LABELS = {key: label for key, label, *_rest in DIMENSIONS}


def population(day: datetime.date | None = None):
    """Custodies of people held now in a terrorism-related matter."""
    return Custody.objects.filter(status__in=HELD_STATUSES, terrorism_related=True)


AFFILIATIONS, REASONS = "inmate__social_profile__affiliations", "inmate__social_profile__engagement_reasons"


def _raw_counts(day):
    """{dimension: {(category, facility_id): count}} — from one grouped query over the population.

    One pass over the joined rows (grouped by every answer at once) costs far less than one
    pass per dimension at national scale; several answers are then counted per person.
    """
    fields = [field for _key, _label, field, _choices, _multi in DIMENSIONS if field is not None]
    rows = (population(day).annotate(band=age_band_expression(day))
            .values("facility_id", "band", *fields, AFFILIATIONS, REASONS).annotate(n=Count("id")).order_by())
    counts = {key: defaultdict(int) for key, *_rest in DIMENSIONS}
    single = [(key, field) for key, _label, field, _choices, _multi in DIMENSIONS if field is not None]
    family, groups, reasons, age = (counts["affiliation_family"], counts["affiliation"],
                                    counts["engagement_reasons"], counts["age_band"])
    for row in rows:
        fid, n = row["facility_id"], row["n"]
        for key, field in single:
            counts[key][(row[field], fid)] += n
        age[(row["band"], fid)] += n
        affiliations = row[AFFILIATIONS] or []
        family[(affiliation_family(affiliations), fid)] += n
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
    """Ordered (category, label) of a dimension, with free text folded and rare answers grouped."""
    if key == "region":
        names = dict(Region.objects.values_list("code", "name"))
        national = defaultdict(int)
        for (value, _fid), n in table.items():
            national[value] += n
        cats = [(code, names[code]) for code in sorted((c for c in national if c), key=lambda c: names[c])]
        return cats + [(UNKNOWN, UNKNOWN_LABEL)], {}
    if choices is not None:
        cats = [(k, lbl) for k, lbl in choices if k != UNKNOWN]
        return cats + [(UNKNOWN, UNKNOWN_LABEL)], {}
    # Free text: fold case and spaces; answers given by fewer than 5 people nationally go to "Autres".
    national, label_of = defaultdict(int), {}
    for (value, _fid), n in table.items():
        folded = _fold(value)
        national[folded] += n
        label_of.setdefault(folded, " ".join((value or "").split()))
    remap = {}
    for folded, n in national.items():
        if not folded:
            remap[folded] = UNKNOWN
        elif n < suppression.THRESHOLD:
            remap[folded] = OTHER
        else:
            remap[folded] = folded
    kept = sorted((f for f in national if remap[f] == f), key=lambda f: (-national[f], f))
    cats = [(f, label_of[f][:1].upper() + label_of[f][1:]) for f in kept]
    cats.append((OTHER, _("Autres réponses (moins de 5 personnes chacune, regroupées)")))
    cats.append((UNKNOWN, UNKNOWN_LABEL))
    return cats, remap


def _normalise(key, value, choices, remap):
    if choices is None and key != "region":
        return remap.get(_fold(value), OTHER)
    if value in (None, ""):
        return UNKNOWN
    return value


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

    dims = []
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
    for dim in dims:
        values.update(dim.pop("values"))
        dim.pop("lines")
    return {"day": day, "columns": columns, "dimensions": dims, "values": values, "status": status,
            "column_of": column_of, "per_facility": dict(per_facility)}


def _cell(table, key, col):
    value, state = table["values"][key], table["status"][key]
    total_key = ("T", col)
    shown = state == suppression.SHOWN and table["status"][total_key] == suppression.SHOWN
    return {"text": suppression.display(value, state),
            "percent": share(value, table["values"][total_key]) if shown else None,
            "value": value if state == suppression.SHOWN else None}


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
            rows.append({"key": cat, "label": str(label),
                         "cells": [_cell(table, (dim["key"], cat, col), col) for col, _l in visible]})
        dims.append({"key": dim["key"], "label": str(dim["label"]), "multi": dim["multi"], "rows": rows})
    totals = [{"text": suppression.display(table["values"][("T", c)], table["status"][("T", c)])}
              for c, _l in visible]
    return {
        "day": table["day"], "threshold": suppression.THRESHOLD,
        "columns": [{"key": str(c), "label": lbl} for c, lbl in visible],
        "totals": totals, "dimensions": dims, "notes": notes,
    }
