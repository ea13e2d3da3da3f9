"""Need-to-know: who reads a detainee's medical, social and confidential records. One place.

Medical details (the intake medical examination) are read by medical staff; the social report
(the intake interview) and the sensitive profile fields (religion, ethnic group, affiliations,
organisational role, reasons for engagement) by the social service and the direction; a
confidential complaint by its addressee and the direction (national staff: the escalated
allegations of ill-treatment). DESIGN.md §6, STYLE.md "Access in one place".

Decided by role membership only (`User.role_has_perm`: the permissions of the account's groups):
neither `is_superuser` nor a permission given to the account directly grants any of it, and a
"system administrator" (accounts, reference data) reads none of it. `User.has_perm` defers to
`is_restricted` / `role_grants` below for these permissions, so that every door that asks Django
for a permission — the pages, the templates' `perms`, DRF, the admin site — gets the same answer.

Models and permissions are named by label, as `roles.py` names them: this app stays at the bottom.
"""

MEDICAL = "intake.view_medicalexamination"
SOCIAL_REPORT = "intake.view_interviewrecord"
SOCIAL_PROFILE = "inmates.view_socialprofile"
CONFIDENTIAL_COMPLAINT = "detention.view_confidential_complaint"
ALLEGATION = "detention.view_allegation"
INJURY_MEDICAL = "detention.view_injurymedicaldetail"
ASSESSMENT = "followup.view_assessment"
PLAN = "followup.view_individualplan"
# What the ICRC's own doctor reads when a valid authorisation records it (issue 14, item 7).
MONITOR_MEDICAL_READS = frozenset({MEDICAL, INJURY_MEDICAL})

# Every permission on these models (view, add, change, delete) is a need-to-know permission.
RESTRICTED_MODELS = {
    "intake": {"medicalexamination", "interviewrecord"},
    "inmates": {"socialprofile"},
    "detention": {"injurymedicaldetail"},
    # A person's needs assessment and individual plan (issue 15): the social service, the direction,
    # health staff; never security, DNAPES (aggregates only) or an account's superuser flag.
    "followup": {"assessment", "answer", "individualplan"},
}
# Other need-to-know permissions: reading confidential complaints and allegations; doing the
# medical examination and the social interview (their author reads what they write); deciding
# to hold a person brought without a valid title (the prison's direction, by role: never an
# account's superuser flag).
RESTRICTED_PERMISSIONS = frozenset({
    CONFIDENTIAL_COMPLAINT, ALLEGATION, "intake.complete_medical", "intake.complete_interview",
    "intake.decide_presentation",
})
_ACTIONS = ("view_", "add_", "change_", "delete_")


def is_restricted(perm: str) -> bool:
    """Whether `perm` ("app_label.codename") is granted by role membership only."""
    if perm in RESTRICTED_PERMISSIONS:
        return True
    app_label, _dot, codename = str(perm).partition(".")
    models = RESTRICTED_MODELS.get(app_label, ())
    return any(codename.startswith(action) and codename[len(action):] in models for action in _ACTIONS)


def role_grants(user, perm: str) -> bool:
    """Whether one of `user`'s roles (groups) grants `perm`; False for anonymous/inactive users."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return user.role_has_perm(perm)


def can_read_medical(user) -> bool:
    """Medical details (intake step 4): medical staff only."""
    return role_grants(user, MEDICAL)


def can_read_injury_medical(user) -> bool:
    """The medical details of an injury in the incidents register: medical staff only."""
    return role_grants(user, INJURY_MEDICAL)


def can_record_injury_medical(user) -> bool:
    return role_grants(user, "detention.add_injurymedicaldetail")


def can_read_social_report(user) -> bool:
    """The social investigation report (intake step 5): the social service and the direction."""
    return role_grants(user, SOCIAL_REPORT)


def can_read_sensitive_profile(user) -> bool:
    """Religion, ethnic group, affiliations, organisational role, reasons for engagement."""
    return role_grants(user, SOCIAL_PROFILE)


def can_read_assessments(user) -> bool:
    """A person's needs assessments (answers, justification, conclusion)."""
    return role_grants(user, ASSESSMENT)


def can_read_plans(user) -> bool:
    """A person's individual plan (goals, interventions, progress notes)."""
    return role_grants(user, PLAN)


def can_read_all_confidential_complaints(user) -> bool:
    """The direction reads every confidential complaint of its prisons."""
    return role_grants(user, CONFIDENTIAL_COMPLAINT)


def can_read_allegations(user) -> bool:
    """Escalated allegations of torture or ill-treatment (the direction, DNAPES)."""
    return role_grants(user, ALLEGATION)


def can_read_confidential_complaint(user, complaint) -> bool:
    """A complaint's content: open to its facility's readers unless confidential; a confidential
    one for its addressee, the direction, and (an allegation) national staff. Facility scoping
    is the caller's (`.visible_to`)."""
    if not complaint.is_confidential:
        return True
    if user is not None and getattr(user, "is_authenticated", False) and user.is_active \
            and complaint.addressed_to_id == user.pk:
        return True
    if complaint.is_allegation and can_read_allegations(user):
        return True
    return can_read_all_confidential_complaints(user)
