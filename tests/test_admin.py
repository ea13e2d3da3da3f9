"""The admin site: every model is there for administrators, except where need-to-know forbids."""

import pytest
from django.apps import apps
from django.contrib import admin

from tests import factories

pytestmark = pytest.mark.django_db

NEED_TO_KNOW = {"intake.MedicalExamination", "intake.InterviewRecord", "inmates.SocialProfile",
                # Private files, opened only by the member of staff who made them (an export) or by the
                # intake step that kept them (a photo, a warrant scan, fingerprints chosen on a refused attempt).
                "oversight.ExportJob", "intake.KeptUpload"}


def test_every_project_model_is_in_the_admin_except_sensitive_ones():
    project = [m for m in apps.get_models()
               if m._meta.app_label in {"accounts", "prisons", "inmates", "casework", "intake", "oversight"}]
    missing = {m._meta.label for m in project if m not in admin.site._registry} - NEED_TO_KNOW
    assert missing == set()
    assert not NEED_TO_KNOW & {m._meta.label for m in admin.site._registry}


def test_admin_changelists_open_for_a_superuser(client, inmate):
    client.force_login(factories.UserFactory(is_superuser=True, is_staff=True))
    for model, _model_admin in admin.site._registry.items():
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        assert client.get(url).status_code == 200, url


def test_prisoner_records_cannot_be_deleted_or_edited_in_the_admin(client, inmate):
    client.force_login(factories.UserFactory(is_superuser=True, is_staff=True))
    assert client.post(f"/admin/inmates/inmate/{inmate.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get("/admin/accounts/auditentry/add/").status_code == 403
