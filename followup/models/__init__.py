from .assessment import Answer, Assessment
from .committee import (
    CommitteeDecision,
    CommitteeMember,
    CommitteeReview,
    CommitteeSession,
    DecisionKind,
    MemberRole,
)
from .instrument import AnswerScale, Domain, Instrument, InstrumentVersion, Item, VersionStatus
from .plan import (
    EnrolmentRefusal,
    Goal,
    GoalStatus,
    IndividualPlan,
    Intervention,
    InterventionSession,
    InterventionType,
    PlanReview,
    PlanStatus,
    ProgressNote,
    ProviderKind,
)
from .reintegration import ChecklistBasis, ChecklistItem, ChecklistTopic, ReintegrationChecklist

__all__ = [
    "Answer", "AnswerScale", "Assessment", "ChecklistBasis", "ChecklistItem", "ChecklistTopic", "CommitteeDecision",
    "CommitteeMember", "CommitteeReview", "CommitteeSession", "DecisionKind", "Domain", "EnrolmentRefusal", "Goal",
    "GoalStatus", "IndividualPlan", "Instrument", "InstrumentVersion", "Intervention", "InterventionSession",
    "InterventionType", "Item", "MemberRole", "PlanReview", "PlanStatus", "ProgressNote", "ProviderKind",
    "ReintegrationChecklist", "VersionStatus",
]
