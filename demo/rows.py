"""One row to write, and the tables the generator writes (parents first)."""

import datetime as dt

from casework.models import Case, Charge, DetentionOrder, Hearing, Judgment
from inmates.models import Alias, Custody, Inmate, Placement, PriorCustody, Relative

UTC = dt.UTC
CHUNK = 2000  # people generated per batch (fixed: the output depends on it)
BATCH_SIZE = 5000  # rows per INSERT

# Tables written here, parents first. --reset empties them (and whatever refers to them).
DETAINEE_MODELS = [Inmate, Alias, Relative, Custody, PriorCustody, Placement,
                   Case, Charge, DetentionOrder, Hearing, Judgment]


class R(dict):
    """One row to write: a dict of field attnames, read and set as attributes."""

    __slots__ = ()
    __getattr__ = dict.get

    def __setattr__(self, name, value):
        self[name] = value
