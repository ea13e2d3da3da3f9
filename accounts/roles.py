"""Staff roles. Each role is a Django group holding permissions (created by migration)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CLERK = "clerk", _("Greffe / administration")
    SECURITY = "security", _("Sécurité")
    MEDICAL = "medical", _("Personnel médical")
    SOCIAL = "social", _("Service social")
    DIRECTOR = "director", _("Direction de l'établissement")
    DNAPES = "dnapes", _("DNAPES (national)")
    ADMIN = "admin", _("Administrateur système")
    # Accounts from outside the prison service (issue 14): a monitor (CNDH, ICRC, a visiting
    # magistrate) reads within an authorisation (accounts.MonitorAuthorisation); a magistrate
    # (investigating judge or prosecutor) reaches only the cases of their cabinet (casework.court_portal.services).
    MONITOR = "monitor", _("Observateur extérieur (CNDH, CICR, magistrat en visite)")
    MAGISTRATE = "magistrate", _("Magistrat (juge d'instruction, parquet)")


# Permission codenames ("app_label.codename") per role. Kept here, in one table, so that
# the migration that creates the groups and the tests read the same source.
_VIEW_CORE = [
    "prisons.view_region", "prisons.view_facility", "prisons.view_unit",
    "inmates.view_inmate", "inmates.view_alias", "inmates.view_relative",
    "inmates.view_custody", "inmates.view_priorcustody", "inmates.view_placement",
    "casework.view_court", "casework.view_case", "casework.view_charge",
    "casework.view_detentionorder", "casework.view_hearing", "casework.view_judgment",
]
_EDIT_PERSON = [
    "inmates.add_inmate", "inmates.change_inmate", "inmates.add_alias", "inmates.change_alias",
    "inmates.add_relative", "inmates.change_relative",
    "inmates.add_custody", "inmates.change_custody",
    "inmates.add_priorcustody", "inmates.change_priorcustody",
]
_EDIT_CASES = [
    "casework.add_case", "casework.change_case", "casework.add_charge", "casework.change_charge",
    "casework.add_detentionorder", "casework.change_detentionorder",
    "casework.add_hearing", "casework.change_hearing",
    "casework.add_judgment", "casework.change_judgment",
]
_PLACEMENT = ["inmates.add_placement", "inmates.change_placement"]

ROLE_PERMISSIONS = {
    Role.CLERK: _VIEW_CORE + _EDIT_PERSON + _EDIT_CASES + _PLACEMENT,
    Role.SECURITY: _VIEW_CORE + _PLACEMENT,
    Role.MEDICAL: _VIEW_CORE,
    Role.SOCIAL: _VIEW_CORE + ["inmates.add_relative", "inmates.change_relative"],
    Role.DIRECTOR: _VIEW_CORE + _EDIT_PERSON + _EDIT_CASES + _PLACEMENT
    + ["accounts.view_auditentry"],
    Role.DNAPES: _VIEW_CORE + ["accounts.view_all_facilities"],
    Role.ADMIN: _VIEW_CORE
    + [
        "accounts.view_all_facilities", "accounts.view_auditentry",
        "accounts.view_user", "accounts.add_user", "accounts.change_user",
        # API tokens: listed (owner, created, expiry) and revocable, never readable (hashed).
        "knox.view_authtoken",
        "prisons.add_facility", "prisons.change_facility", "prisons.add_unit", "prisons.change_unit",
        "casework.add_court", "casework.change_court",
    ],
}

# Pre-trial deadlines: alerts for the prison's registry and direction and for DNAPES; the
# limits table read by all of them and edited by administrators; the backlog report for
# directors (their own prison) and DNAPES (granted by casework's data migrations).
_DEADLINES = {
    Role.CLERK: ["casework.view_deadlinealert", "casework.view_detentionlimit"],
    Role.DIRECTOR: ["casework.view_deadlinealert", "casework.view_detentionlimit",
                    "casework.view_backlogsnapshot"],
    Role.DNAPES: ["casework.view_deadlinealert", "casework.view_detentionlimit",
                  "casework.view_backlogsnapshot"],
    Role.ADMIN: ["casework.view_deadlinealert", "casework.view_detentionlimit",
                 "casework.change_detentionlimit", "casework.view_backlogsnapshot"],
}
for _role, _names in _DEADLINES.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] + _names

# Intake (the five-step arrival workflow): each step by its own role. Medical details
# (intake.view_medicalexamination) only for medical staff — never the director or DNAPES.
_INTAKE_VIEW = ["intake.view_intake", "intake.view_steprecord"]
_INTAKE = {
    Role.CLERK: _INTAKE_VIEW + ["intake.add_intake", "intake.complete_administration",
                                "intake.complete_registry"],
    Role.SECURITY: _INTAKE_VIEW + ["intake.complete_security"],
    Role.MEDICAL: _INTAKE_VIEW + ["intake.complete_medical", "intake.view_medicalexamination"],
    Role.SOCIAL: _INTAKE_VIEW + ["intake.complete_interview", "intake.view_interviewrecord",
                                 "inmates.view_socialprofile"],
    Role.DIRECTOR: _INTAKE_VIEW + ["intake.add_intake", "intake.complete_security",
                                   "intake.complete_administration", "intake.complete_registry",
                                   "intake.complete_interview", "intake.view_interviewrecord",
                                   "inmates.view_socialprofile"],
    Role.DNAPES: _INTAKE_VIEW,
    Role.ADMIN: _INTAKE_VIEW,
}
for _role, _names in _INTAKE.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] + _names

# Movements (inmates: transfers, releases) and life inside (detention: classification, cell leaders, visits, complaints,
# activities, family notifications). Confidential complaints: the director (and the
# addressee, by the queryset); DNAPES reads escalated allegations of ill-treatment.
_LIFE_VIEW = [
    "inmates.view_transfer", "inmates.view_release", "detention.view_classification",
    "detention.view_cellleader", "detention.view_facilityvisitingrule", "detention.view_visitor",
    "detention.view_visit", "detention.view_complaint", "detention.view_activity", "detention.view_enrolment",
    "detention.view_familynotification",
]
_LIFE_COMPLAINT = ["detention.add_complaint"]
_LIFE_VISITS = ["detention.add_visit", "detention.change_visit", "detention.add_visitor"]
_LIFE = {
    Role.CLERK: _LIFE_VIEW + _LIFE_VISITS + _LIFE_COMPLAINT + [
        "inmates.add_transfer", "inmates.change_transfer", "inmates.add_release",
        "detention.add_familynotification", "detention.change_familynotification",
    ],
    Role.SECURITY: _LIFE_VIEW + _LIFE_VISITS + _LIFE_COMPLAINT + [
        "detention.add_classification", "detention.add_cellleader", "detention.change_cellleader",
    ],
    Role.MEDICAL: _LIFE_COMPLAINT + ["detention.view_complaint", "detention.add_familynotification",
                                     "detention.view_familynotification"],
    Role.SOCIAL: _LIFE_VIEW + _LIFE_COMPLAINT + [
        "detention.add_enrolment", "detention.change_enrolment",
        "detention.add_familynotification", "detention.change_familynotification",
    ],
    Role.DIRECTOR: _LIFE_VIEW + _LIFE_VISITS + _LIFE_COMPLAINT + [
        "inmates.add_transfer", "inmates.change_transfer", "inmates.approve_transfer",
        "inmates.add_release", "detention.add_classification", "detention.add_cellleader",
        "detention.change_cellleader", "detention.change_facilityvisitingrule",
        "detention.change_complaint", "detention.view_confidential_complaint", "detention.view_allegation",
        "detention.add_activity", "detention.change_activity", "detention.add_enrolment",
        "detention.change_enrolment", "detention.add_familynotification",
        "detention.change_familynotification", "detention.authorise_visit_exception",
    ],
    Role.DNAPES: _LIFE_VIEW + ["detention.view_allegation"],
    Role.ADMIN: _LIFE_VIEW,
}
for _role, _names in _LIFE.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] + _names

# Oversight reports (occupancy, roll, separation, activities, profiles): DNAPES for every
# prison, directors for their own (granted by oversight's data migration).
_OVERSIGHT = ["oversight.view_reports", "oversight.view_occupancysnapshot"]
for _role in (Role.DIRECTOR, Role.DNAPES):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] + _OVERSIGHT
# The evening roll is printed for the door: the registry and the security officers who count
# the people by unit read it too (their own prison only), without the other reports.
for _role in (Role.CLERK, Role.SECURITY, Role.DIRECTOR, Role.DNAPES):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] + ["oversight.view_roll"]

# The subject-access export of everything held on one person (oversight.subject_access):
# the prison's direction and registry for their own people, DNAPES nationally.
SUBJECT_ACCESS_ROLES = (Role.DIRECTOR, Role.CLERK, Role.DNAPES)

# Release on time (LAW.md "Release"): the registry records release orders and deaths in
# custody; the director and DNAPES read the register of late releases (DNAPES nationally).
_RELEASES = {
    Role.CLERK: ["casework.view_releaseorder", "casework.add_releaseorder",
                 "inmates.view_deathincustody", "inmates.add_deathincustody", "inmates.change_deathincustody"],
    Role.DIRECTOR: ["casework.view_releaseorder", "casework.add_releaseorder",
                    "inmates.view_deathincustody", "inmates.add_deathincustody",
                    "inmates.change_deathincustody"],
    Role.DNAPES: ["casework.view_releaseorder", "inmates.view_deathincustody"],
    Role.ADMIN: ["casework.view_releaseorder", "inmates.view_deathincustody"],
}
for _role, _names in _RELEASES.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] + _names

# A person brought without a valid title (intake.presentations): the arrival desk records the
# presentation and hands the person back; only the director decides to hold pending
# regularisation; DNAPES reads the register nationally.
_PRESENTATIONS = {
    Role.CLERK: ["intake.view_presentation", "intake.add_presentation"],
    Role.SECURITY: ["intake.view_presentation", "intake.add_presentation"],
    Role.DIRECTOR: ["intake.view_presentation", "intake.add_presentation", "intake.decide_presentation"],
    Role.DNAPES: ["intake.view_presentation"],
}
for _role, _names in _PRESENTATIONS.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] + _names

# The paper-register back-fill (registers): clerks upload, check and import; another clerk verifies
# each record against its page (the service refuses the uploader); the direction sees.
_REGISTERS_VIEW = ["registers.view_importjob", "registers.view_importedrecord"]
_REGISTERS = {
    Role.CLERK: _REGISTERS_VIEW + ["registers.add_importjob", "registers.change_importjob",
                                   "registers.verify_importedrecord"],
    Role.DIRECTOR: _REGISTERS_VIEW,
    Role.DNAPES: _REGISTERS_VIEW,
}
for _role, _names in _REGISTERS.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] + _names

# Monitors (issue 14, item 7): DNAPES and administrators grant, list and revoke authorisations.
# The monitor reads, for the prisons of a currently valid authorisation only (User.visible_facility_ids):
# the roll and the occupancy (oversight), deaths in custody, the deadline alerts, the complaints
# addressed to them (detention's Complaint queryset) — never medical details (need_to_know: the
# ICRC's own doctor only when the authorisation records it, `medical_access`).
_AUTHORISATIONS = ["accounts.view_monitorauthorisation", "accounts.add_monitorauthorisation",
                   "accounts.change_monitorauthorisation"]
ROLE_PERMISSIONS[Role.DNAPES] = ROLE_PERMISSIONS[Role.DNAPES] + _AUTHORISATIONS
ROLE_PERMISSIONS[Role.ADMIN] = ROLE_PERMISSIONS[Role.ADMIN] + _AUTHORISATIONS
ROLE_PERMISSIONS[Role.MONITOR] = [
    "prisons.view_region", "prisons.view_facility", "prisons.view_unit",
    "inmates.view_inmate", "inmates.view_custody", "inmates.view_placement",
    "inmates.view_deathincustody", "casework.view_deadlinealert", "detention.view_complaint",
    "oversight.view_reports", "oversight.view_roll", "oversight.view_occupancysnapshot",
    "accounts.view_monitorauthorisation",
]
# Magistrates (issue 14, item 8): the court portal only (casework.court_portal.services); the cases of their
# cabinet, their deadlines, alerts and art. 129 notices; they submit orders that a clerk confirms.
_COURT_PORTAL = {
    Role.MAGISTRATE: ["casework.use_court_portal", "casework.view_courtsubmission",
                      "casework.add_courtsubmission"],
    Role.CLERK: ["casework.view_courtsubmission", "casework.confirm_courtsubmission"],
    Role.DIRECTOR: ["casework.view_courtsubmission", "casework.confirm_courtsubmission"],
    Role.ADMIN: ["casework.view_magistrateprofile", "casework.add_magistrateprofile",
                 "casework.change_magistrateprofile"],
    Role.DNAPES: ["casework.view_courtsubmission", "casework.view_magistrateprofile"],
}
for _role, _names in _COURT_PORTAL.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS.get(_role, []) + _names

# The inspection view of one prison (oversight.inspection): directors for their own, DNAPES
# nationally; a monitor's role is granted it for the prisons of its authorisation.
_INSPECTION = ["oversight.view_inspection"]
for _role in (Role.DIRECTOR, Role.DNAPES, Role.MONITOR):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] + _INSPECTION

# A detainee's request to see their own file (Mandela Rule 9; oversight.own_file): any member
# of staff who receives it records it; the registry and the direction answer with the extract;
# DNAPES reads the register.
_OWN_FILE = {
    Role.CLERK: ["oversight.view_ownfilerequest", "oversight.add_ownfilerequest", "oversight.change_ownfilerequest"],
    Role.DIRECTOR: ["oversight.view_ownfilerequest", "oversight.add_ownfilerequest",
                    "oversight.change_ownfilerequest"],
    Role.SECURITY: ["oversight.view_ownfilerequest", "oversight.add_ownfilerequest"],
    Role.SOCIAL: ["oversight.view_ownfilerequest", "oversight.add_ownfilerequest"],
    Role.DNAPES: ["oversight.view_ownfilerequest"],
}
for _role, _names in _OWN_FILE.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] + _names

# Discipline and isolation registers (detention, issue 14): security, registry and direction
# report incidents; the director decides and places in isolation; health staff record the
# daily visits and the clearances (Rule 45-46); DNAPES reads nationally; administrators edit
# the sanctions list and the limits (audited).
_DISCIPLINE_VIEW = ["detention.view_disciplinaryincident", "detention.view_disciplinarycharge",
                    "detention.view_sanction", "detention.view_disciplinelimit",
                    "detention.view_isolationplacement", "detention.view_isolationvisit"]
_DISCIPLINE_REPORT = ["detention.add_disciplinaryincident", "detention.change_disciplinarycharge"]
_DISCIPLINE = {
    Role.CLERK: _DISCIPLINE_VIEW + _DISCIPLINE_REPORT,
    Role.SECURITY: _DISCIPLINE_VIEW + _DISCIPLINE_REPORT,
    Role.MEDICAL: ["detention.view_isolationplacement", "detention.view_isolationvisit",
                   "detention.record_isolation_visit", "detention.view_medicalclearance",
                   "detention.add_medicalclearance"],
    Role.DIRECTOR: _DISCIPLINE_VIEW + _DISCIPLINE_REPORT + [
        "detention.decide_disciplinarycharge", "detention.add_isolationplacement",
        "detention.change_isolationplacement"],
    Role.DNAPES: _DISCIPLINE_VIEW,
    Role.MONITOR: _DISCIPLINE_VIEW,  # the registers an inspector reads (issue 14, item 7)
    Role.ADMIN: _DISCIPLINE_VIEW + ["detention.add_sanction", "detention.change_sanction",
                                    "detention.change_disciplinelimit"],
}
for _role, _names in _DISCIPLINE.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] + _names

# Searches and use of force registers (detention, issue 14, items 3-4): security officers and the
# director record searches and uses of force and the report to the director; the director reviews a
# restraint beyond the limit; health staff record the medical examination after force (and read the
# register to find whom to examine); DNAPES and monitors read.
_SEARCHES_VIEW = ["detention.view_search", "detention.view_searchitem", "detention.view_useofforce"]
_SEARCHES_RECORD = ["detention.add_search", "detention.add_useofforce", "detention.change_useofforce"]
_SEARCHES = {
    Role.SECURITY: _SEARCHES_VIEW + _SEARCHES_RECORD,
    Role.DIRECTOR: _SEARCHES_VIEW + _SEARCHES_RECORD + ["detention.review_useofforce"],
    Role.MEDICAL: ["detention.view_useofforce", "detention.examine_useofforce"],
    Role.DNAPES: _SEARCHES_VIEW,
    Role.MONITOR: _SEARCHES_VIEW,
}
for _role, _names in _SEARCHES.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] + _names
# Serious incidents and injuries (detention, issue 14 item 5; Rules 69–72): security and the
# direction record incidents and the notices; health staff record an injury with its medical
# details, which only they read (need-to-know: `detention.*_injurymedicaldetail`); DNAPES and
# monitors read the register, never the medical details (the ICRC's own doctor excepted:
# `User.role_has_perm`).
_INCIDENTS_VIEW = ["detention.view_seriousincident", "detention.view_incidentinvolvement"]
_INCIDENTS_RECORD = ["detention.add_seriousincident", "detention.change_seriousincident"]
_INCIDENTS = {
    Role.SECURITY: _INCIDENTS_VIEW + _INCIDENTS_RECORD,
    Role.DIRECTOR: _INCIDENTS_VIEW + _INCIDENTS_RECORD,
    Role.MEDICAL: _INCIDENTS_VIEW + ["detention.view_injurymedicaldetail", "detention.add_injurymedicaldetail"],
    Role.DNAPES: _INCIDENTS_VIEW,
    Role.MONITOR: _INCIDENTS_VIEW,
}
for _role, _names in _INCIDENTS.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] + _names

# Individual follow-up (followup, issue 15): the social service, the direction and health staff
# (members of the committee) read and record assessments and plans; security sees the committee's
# decisions (regime, activity access), never the answers; DNAPES edits and publishes the assessment
# instrument and reads the aggregates only (oversight), never a person's assessment.
_FOLLOWUP_INSTRUMENT = ["followup.view_instrument", "followup.view_instrumentversion",
                        "followup.view_interventiontype"]
_FOLLOWUP_PERSON_READ = ["followup.view_assessment", "followup.view_individualplan"]
_FOLLOWUP_COMMITTEE_READ = ["followup.view_committeesession", "followup.view_committeedecision"]
_FOLLOWUP_RELEASE = ["followup.view_reintegrationchecklist"]
_FOLLOWUP = {
    Role.SOCIAL: _FOLLOWUP_INSTRUMENT + _FOLLOWUP_PERSON_READ + _FOLLOWUP_COMMITTEE_READ + _FOLLOWUP_RELEASE + [
        "followup.add_assessment", "followup.add_individualplan", "followup.change_individualplan",
        "followup.add_committeesession", "followup.change_committeesession",
        "followup.change_reintegrationchecklist"],
    Role.DIRECTOR: _FOLLOWUP_INSTRUMENT + _FOLLOWUP_PERSON_READ + _FOLLOWUP_COMMITTEE_READ + _FOLLOWUP_RELEASE + [
        "followup.add_assessment", "followup.add_individualplan", "followup.change_individualplan",
        "followup.add_committeesession", "followup.change_committeesession", "followup.decide_committeesession",
        "followup.change_reintegrationchecklist", "followup.view_aggregates"],
    Role.MEDICAL: _FOLLOWUP_INSTRUMENT + _FOLLOWUP_PERSON_READ + _FOLLOWUP_COMMITTEE_READ + ["followup.add_assessment"],
    Role.SECURITY: _FOLLOWUP_COMMITTEE_READ,
    Role.CLERK: _FOLLOWUP_RELEASE,
    Role.DNAPES: _FOLLOWUP_INSTRUMENT + ["followup.add_instrumentversion", "followup.change_instrumentversion",
                                         "followup.publish_instrumentversion", "followup.view_aggregates"],
    Role.ADMIN: _FOLLOWUP_INSTRUMENT,
}
for _role, _names in _FOLLOWUP.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] + _names
