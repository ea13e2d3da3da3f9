"""People held, their identity and family, and each stay in the prison service: one module
per subject, every public name re-exported here (`from inmates.models import Custody`).

`inmates` knows nothing of cases or intake. The legal status and the terrorism flag on a
custody are written here by casework's services, which keep them current.
"""

from .deaths import DeathInCustody, DeathQuerySet
from .family import Alias, AliasKind, NotificationMethod, Relation, Relative
from .people import (
    MINOR_AGE,
    UNTRIED_STATUSES,
    ArrestingForce,
    Custody,
    CustodyQuerySet,
    CustodyStatus,
    Inmate,
    InmateQuerySet,
    LegalStatus,
    PriorCustody,
    PriorCustodyKind,
    PrisonerNumberCounter,
    ReleaseReason,
    Sex,
)
from .placements import Placement, PlacementQuerySet
from .profile import Affiliation, Education, EngagementReason, Involvement, MaritalStatus, SocialProfile
from .releases import RELEASE_REASONS_WITHOUT_ORDER, ReceiptAcknowledgement, Release, ReleaseQuerySet
from .transfers import OPEN_TRANSFER_STATUSES, Transfer, TransferQuerySet, TransferStatus

__all__ = [
    "MINOR_AGE",
    "Sex",
    "LegalStatus",
    "UNTRIED_STATUSES",
    "CustodyStatus",
    "InmateQuerySet",
    "Inmate",
    "CustodyQuerySet",
    "ArrestingForce",
    "ReleaseReason",
    "Custody",
    "PriorCustodyKind",
    "PriorCustody",
    "PrisonerNumberCounter",
    "AliasKind",
    "Alias",
    "Relation",
    "Relative",
    "NotificationMethod",
    "PlacementQuerySet",
    "Placement",
    "Education",
    "MaritalStatus",
    "Affiliation",
    "Involvement",
    "EngagementReason",
    "SocialProfile",
    "TransferStatus",
    "OPEN_TRANSFER_STATUSES",
    "TransferQuerySet",
    "Transfer",
    "ReceiptAcknowledgement",
    "RELEASE_REASONS_WITHOUT_ORDER",
    "ReleaseQuerySet",
    "Release",
    "DeathQuerySet",
    "DeathInCustody",
]
