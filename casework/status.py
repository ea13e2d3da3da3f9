"""Legal status rules (presumption of innocence). Pure functions over plain values."""

from inmates.models import LegalStatus

_RANK = {
    LegalStatus.SUSPECT: 0,
    LegalStatus.CHARGED: 1,
    LegalStatus.APPEAL: 2,
    LegalStatus.CONVICTED: 3,
}


def case_legal_status(*, has_current_charge: bool, judgments: list[tuple]) -> str:
    """Status of one case.

    `judgments` is a list of (decided_on, verdict, appeal_filed_on) tuples. The latest
    judgment decides: a conviction is final unless an appeal was filed against it; an
    acquittal appealed by the prosecution leaves the person charged, awaiting the appeal.
    With no judgment, a person with a charge is charged; otherwise a suspect.
    """
    if judgments:
        # Stable sort: of two judgments on the same day, the one recorded last decides.
        decided_on, verdict, appeal_filed_on = sorted(judgments, key=lambda j: j[0])[-1]
        if verdict == "convicted":
            return LegalStatus.APPEAL if appeal_filed_on else LegalStatus.CONVICTED
        if appeal_filed_on:
            return LegalStatus.CHARGED
    return LegalStatus.CHARGED if has_current_charge else LegalStatus.SUSPECT


def custody_legal_status(case_statuses: list[str]) -> str:
    """A person convicted in any open case is a convicted prisoner; else the most advanced."""
    if not case_statuses:
        return LegalStatus.SUSPECT
    return max(case_statuses, key=lambda s: _RANK[s])
