"""Writes of the individual follow-up, one module per subject. Each is verb first, takes `actor=`,
runs in one transaction, validates with full_clean and writes its audit entry in that transaction."""

from .assessments import record_assessment
from .committee import add_reviewed_person, close_session, open_session, record_decision
from .instruments import (
    add_domain,
    add_item,
    add_scale,
    draft_new_version,
    publish_version,
    remove_item,
    update_item,
    update_version,
)
from .plans import (
    add_goal,
    add_intervention,
    add_progress_note,
    close_plan,
    draft_plan,
    enrol_from_plan,
    record_session,
    review_plan,
)
from .reintegration import complete_item, due_for_checklist, foreseeable_release, open_checklist

__all__ = [
    "add_domain", "add_goal", "add_intervention", "add_item", "add_progress_note", "add_reviewed_person",
    "add_scale", "close_plan", "close_session", "complete_item", "draft_new_version", "draft_plan",
    "due_for_checklist", "enrol_from_plan", "foreseeable_release", "open_checklist", "open_session",
    "publish_version", "record_assessment", "record_decision", "record_session", "remove_item", "review_plan",
    "update_item", "update_version",
]
