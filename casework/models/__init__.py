"""Legal cases: charges, detention orders, hearings and judgments, deadlines and their alerts,
the court portal: one module per subject, every public name re-exported here
(`from casework.models import Case`).

A case belongs to one custody (one stay). Co-accused share a case number but each has
their own case row, because each has their own detention orders and deadlines.
"""

from .alerts import (
    CRITICAL_ALERT_KINDS,
    PRETRIAL_ALERT_KINDS,
    RELEASE_ALERT_KINDS,
    RELEASE_IRREGULARITY_KINDS,
    AlertCloseReason,
    AlertKind,
    DeadlineAlert,
    DeadlineAlertQuerySet,
)
from .cases import LEGAL_CLASS_RANK, Case, CaseQuerySet, Charge, ChargeStatus, Court, CourtKind, LegalClass
from .hearings import Hearing, HearingKind, HearingOutcome
from .judgments import MAX_SENTENCE_MONTHS, Judgment, JudgmentLevel, Verdict
from .limits import CaseDeadline, CountedFrom, DetentionLimit, DetentionLimitQuerySet, LimitKey, PeriodUnit
from .orders import DetentionOrder, OrderKind, ReleaseOrder, ReleaseOrderKind, ReleaseOrderQuerySet
from .portal import (
    CourtSubmission,
    CourtSubmissionQuerySet,
    MagistrateFunction,
    MagistrateProfile,
    NoticeAcknowledgement,
    SubmissionKind,
    SubmissionStatus,
)
from .sweeps import BacklogSnapshot, SweepRun

__all__ = [
    "CourtKind",
    "Court",
    "CaseQuerySet",
    "Case",
    "LegalClass",
    "LEGAL_CLASS_RANK",
    "ChargeStatus",
    "Charge",
    "OrderKind",
    "DetentionOrder",
    "ReleaseOrderKind",
    "ReleaseOrderQuerySet",
    "ReleaseOrder",
    "HearingKind",
    "HearingOutcome",
    "Hearing",
    "Verdict",
    "JudgmentLevel",
    "MAX_SENTENCE_MONTHS",
    "Judgment",
    "LimitKey",
    "PeriodUnit",
    "CountedFrom",
    "DetentionLimitQuerySet",
    "DetentionLimit",
    "CaseDeadline",
    "AlertKind",
    "PRETRIAL_ALERT_KINDS",
    "RELEASE_ALERT_KINDS",
    "RELEASE_IRREGULARITY_KINDS",
    "CRITICAL_ALERT_KINDS",
    "AlertCloseReason",
    "DeadlineAlertQuerySet",
    "DeadlineAlert",
    "BacklogSnapshot",
    "SweepRun",
    "MagistrateFunction",
    "MagistrateProfile",
    "NoticeAcknowledgement",
    "SubmissionKind",
    "SubmissionStatus",
    "CourtSubmissionQuerySet",
    "CourtSubmission",
]
