"""Every change to life inside goes through these functions, one module per subject.

Each runs in one transaction, checks the facility the actor serves (core.access), validates
with full_clean() and writes its audit entry in that transaction; follow-up work (the
allegation e-mail) is enqueued with transaction.on_commit.
"""

from .activities import create_activity, end_enrolment, enrol
from .cell_leaders import appoint_cell_leader
from .classification import classify
from .complaints import (
    answer_complaint,
    close_complaint,
    notify_allegation,
    refer_complaint,
    register_complaint,
)
from .family import mark_family_told, record_family_notification
from .visits import VISITOR_FIELDS, end_visit, record_visit, set_visiting_days, visiting_refusal

__all__ = [
    "VISITOR_FIELDS",
    "answer_complaint",
    "appoint_cell_leader",
    "classify",
    "close_complaint",
    "create_activity",
    "end_enrolment",
    "end_visit",
    "enrol",
    "mark_family_told",
    "notify_allegation",
    "record_family_notification",
    "record_visit",
    "refer_complaint",
    "register_complaint",
    "set_visiting_days",
    "visiting_refusal",
]
