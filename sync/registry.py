"""Which records travel between a prison's server and the national server, and who writes them.

- **Travelling records** (a person's file, stays, cases, registers) carry a global `uid` and are
  written only at the prison that holds the person: their *owner*. A record that belongs to no
  person (an activity, a cell search, a facility's visiting rules) is owned by its facility.
- **Reference data** (regions, facilities and units, courts, the limits tables, the sanctions
  lists) is written by the national server only and reaches the prisons by pull. It is referred
  to by its natural key (a facility's code…), which every site shares from its first migration.
- Everything else stays where it is made: derived data that each site computes again from the
  records (deadlines, alerts, snapshots, sweep runs), local counters, import jobs, accounts.
"""

from functools import cache

from django.apps import apps
from django.db.models import ForeignKey, OneToOneField

# Natural keys of reference data, by model label: the fields that name a row on every site.
REFERENCE = {
    "prisons.region": ("code",),
    "prisons.facility": ("code",),
    "prisons.unit": ("facility", "code"),
    "casework.court": ("code",),
    "casework.detentionlimit": ("key", "code_version"),
    "detention.disciplinelimit": ("key",),
    "detention.sanction": ("facility", "name"),
    # The assessment instruments and the interventions' catalogue, defined by DNAPES (issue 15).
    "followup.instrument": ("code",),
    "followup.instrumentversion": ("instrument", "number"),
    "followup.answerscale": ("version", "code"),
    "followup.domain": ("version", "code"),
    "followup.item": ("domain", "code"),
    "followup.interventiontype": ("code",),
}

TRAVELLING_APPS = ("inmates", "detention", "casework", "followup", "intake", "oversight")

# Records of those apps that do not travel: derived again at every site, or local bookkeeping.
LOCAL = {
    "inmates.prisonernumbercounter",  # each prison mints its own numbers, with its prefix
    "casework.casedeadline",  # recomputed from the case and the limits table
    "casework.deadlinealert",  # opened and closed by each site's sweep
    "casework.noticeacknowledgement",  # the judge's acknowledgement of a site's alert
    "casework.backlogsnapshot",
    "casework.sweeprun",
    "casework.magistrateprofile",  # accounts, managed nationally by the system administrator
    "oversight.occupancysnapshot",
    "oversight.followupsnapshot",  # each site counts its own nights again (oversight.followup_trend)
    "oversight.exportjob",  # a member of staff's export file, made and downloaded on this server
    "intake.keptupload",  # a file chosen on a refused attempt, until the step completes here
}

USER_MODEL = "accounts.user"


def label(model) -> str:
    return model._meta.label_lower


@cache
def travelling_models() -> tuple:
    """The models whose records travel, parents before children (so that a bundle applies in order)."""
    found = [
        m for m in apps.get_models()
        if m._meta.app_label in TRAVELLING_APPS and label(m) not in LOCAL and label(m) not in REFERENCE
    ]
    ordered, seen = [], set()

    def visit(model, stack=()):
        if model in seen or model in stack:
            return
        for field in model._meta.concrete_fields:
            target = getattr(field, "related_model", None)
            if target is not None and target in found and target is not model:
                visit(target, (*stack, model))
        seen.add(model)
        ordered.append(model)

    for model in sorted(found, key=label):
        visit(model)
    return tuple(ordered)


def is_travelling(model) -> bool:
    return model in travelling_models()


def is_reference(model) -> bool:
    return label(model) in REFERENCE


@cache
def relation_fields(model) -> tuple:
    return tuple(f for f in model._meta.concrete_fields if isinstance(f, ForeignKey | OneToOneField))


@cache
def person_path(model) -> tuple | None:
    """The chain of foreign keys from a record to its person (`inmates.Inmate`), shortest first:
    ("custody", "inmate") for a case, () for the person themself, None when it has none."""
    inmate = apps.get_model("inmates", "Inmate")
    if model is inmate:
        return ()
    frontier, seen = [(model, ())], {model}
    while frontier:
        current, path = frontier.pop(0)
        for field in relation_fields(current):
            target = field.related_model
            if target is inmate:
                return (*path, field.name)
            if target not in seen and is_travelling(target):
                seen.add(target)
                frontier.append((target, (*path, field.name)))
    return None


@cache
def facility_path(model) -> tuple | None:
    """The chain of foreign keys from a record to the facility that owns it when no person does."""
    facility = apps.get_model("prisons", "Facility")
    frontier, seen = [(model, ())], {model}
    while frontier:
        current, path = frontier.pop(0)
        for field in relation_fields(current):
            target = field.related_model
            if target is facility:
                return (*path, field.name)
            if target not in seen and is_travelling(target):
                seen.add(target)
                frontier.append((target, (*path, field.name)))
    return None


def follow(instance, path):
    for name in path:
        if instance is None:
            return None
        instance = getattr(instance, name)
    return instance
