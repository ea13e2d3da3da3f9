"""Accounts from outside the prison service (issue 14, items 7 and 8): monitors with their
authorisation, magistrates with their cabinet, and a Bamako intake with a medical examination,
all made through the real services."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts import monitors
from accounts.roles import Role
from casework.models import MagistrateProfile
from intake import services as intake_services
from intake.models import Step
from tests import factories
from tests.factories import PASSWORD
from tests.intake.conftest import (
    administration_data,
    interview_data,
    medical_data,
    registry_data,
    security_data,
    warrant_data,
)

MEDICAL_SECRET = "Traitement-medical-secret"


def grant(monitor, facilities, *, actor, days_before=1, days_after=10, **extra):
    today = timezone.localdate()
    fields = {"body": "cndh", "reference": "CNDH/2026/014", "reason": "Visite trimestrielle",
              "starts_on": today - datetime.timedelta(days=days_before),
              "ends_on": today + datetime.timedelta(days=days_after), **extra}
    return monitors.grant_monitor_authorisation(monitor, actor=actor, facilities=facilities, **fields)


def token_client(username):
    response = APIClient().post("/api/v1/auth/token/", {"username": username, "password": PASSWORD}, format="json")
    assert response.status_code == 200, response.content
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    return api


@pytest.fixture
def monitor(db):
    return factories.staff(Role.MONITOR, username="cndh.obs", first_name="Awa", last_name="CISSÉ")


@pytest.fixture
def authorised_monitor(monitor, manager, bamako):
    grant(monitor, [bamako], actor=manager)
    return type(monitor).objects.get(pk=monitor.pk)


def magistrate(username, *, function="judge", cabinet="3e cabinet", court="TGI-C3"):
    user = factories.staff(Role.MAGISTRATE, username=username)
    MagistrateProfile.objects.create(user=user, function=function, court=factories.court(court), cabinet=cabinet)
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def medical_intake(bamako, clerk, cell):
    """A Bamako arrival through the five steps, with a medical secret at step 4."""
    staff = {Step.SECURITY: factories.staff(Role.SECURITY, bamako, username="securite.bko"),
             Step.ADMINISTRATION: clerk, Step.REGISTRY: clerk,
             Step.MEDICAL: factories.staff(Role.MEDICAL, bamako, username="medecin.bko"),
             Step.INTERVIEW: factories.staff(Role.SOCIAL, bamako, username="social.bko")}
    intake = intake_services.register_arrival(warrant_data(), facility=bamako, actor=clerk)
    data = {Step.SECURITY: security_data(cell), Step.ADMINISTRATION: administration_data(),
            Step.REGISTRY: registry_data(), Step.MEDICAL: medical_data(treatment=MEDICAL_SECRET),
            Step.INTERVIEW: interview_data()}
    for step in Step:
        intake = intake_services.complete_step(intake, step, data=data[step], actor=staff[step])
    return intake
