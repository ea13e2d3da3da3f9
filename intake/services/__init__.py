"""The arrival workflow's write side: register an arrival from its warrant, then complete
the five steps in order, each by its own role (DESIGN.md §3). One module per step or
subject; every public name is re-exported here (`from intake import services`).

Every function runs in one transaction, validates everything before anything is kept,
and writes its audit entry in that same transaction. Person and custody data go through
inmates' services, the case and warrant through casework's.
"""

from .administration import DEMOGRAPHIC_FIELDS
from .arrival import (
    WARRANT_REQUIRED,
    check_warrant,
    duplicate_candidates,
    open_case_on_warrant,
    open_intake_record,
    register_arrival,
)
from .audited_reads import FILE_KINDS, open_intake_file, read_interview, read_medical_examination
from .interview import INTERVIEW_FIELDS, PROFILE_FIELDS, TERRORISM_PROFILE_FIELDS
from .steps import StepOrderError, check_can_complete, complete_step, open_intake
from .validation import IMAGE_FORMATS, validate_upload

__all__ = [
    "StepOrderError",
    "open_intake",
    "check_can_complete",
    "complete_step",
    "IMAGE_FORMATS",
    "validate_upload",
    "WARRANT_REQUIRED",
    "check_warrant",
    "register_arrival",
    "open_case_on_warrant",
    "open_intake_record",
    "duplicate_candidates",
    "DEMOGRAPHIC_FIELDS",
    "INTERVIEW_FIELDS",
    "PROFILE_FIELDS",
    "TERRORISM_PROFILE_FIELDS",
    "read_medical_examination",
    "read_interview",
    "FILE_KINDS",
    "open_intake_file",
]
