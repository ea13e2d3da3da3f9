"""Fixtures of the searches and use-of-force registers: data made through the services."""

import datetime

from django.utils import timezone

from detention.services import force, searches


def ago(**kwargs):
    return timezone.now() - datetime.timedelta(**kwargs)


def pat_down(custody, *, actor, **extra):
    fields = {"kind": "pat_down", "custody": custody, "reason": "Retour de promenade", "searcher_sex": "M",
              "witnesses": "Surveillant K.", "at": ago(hours=2), **extra}
    return searches.record_search(custody.facility, actor=actor, **fields)


def use_of_force(custody, *, actor, **extra):
    fields = {"reason_kind": "resistance", "reason": "Refus de regagner la cellule, s'est débattu",
              "means": "handcuffs", "place": "Couloir B", "staff": [actor], "duration_minutes": 30,
              "injuries": "Égratignure au poignet", "at": ago(hours=3), **extra}
    return force.record_use_of_force(custody, actor=actor, **fields)
