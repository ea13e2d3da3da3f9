"""Which permissions need-to-know binds (accounts.need_to_know): a pure rule, by table."""

import pytest

from accounts import need_to_know


@pytest.mark.parametrize(("perm", "restricted"), [
    ("intake.view_medicalexamination", True),
    ("intake.change_medicalexamination", True),
    ("intake.add_interviewrecord", True),
    ("intake.delete_interviewrecord", True),
    ("inmates.view_socialprofile", True),
    ("inmates.change_socialprofile", True),
    ("detention.view_confidential_complaint", True),
    ("detention.view_allegation", True),
    ("intake.complete_medical", True),
    ("intake.complete_interview", True),
    ("intake.view_intake", False),
    ("intake.complete_security", False),
    ("detention.view_complaint", False),
    ("inmates.view_inmate", False),
    ("accounts.view_auditentry", False),
    ("intake.view_medicalexaminationx", False),
    ("medicalexamination", False),
    ("", False),
])
def test_restricted_permissions(perm, restricted):
    assert need_to_know.is_restricted(perm) is restricted


def test_anonymous_and_missing_users_read_nothing():
    from django.contrib.auth.models import AnonymousUser

    for user in (None, AnonymousUser()):
        assert not need_to_know.can_read_medical(user)
        assert not need_to_know.can_read_sensitive_profile(user)
        assert not need_to_know.role_grants(user, "intake.view_interviewrecord")
