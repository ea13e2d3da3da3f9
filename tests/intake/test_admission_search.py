"""The admission search at intake enters the searches register (issue 14, item 3; Rules 50–52)."""

import pytest
from django.core.exceptions import ValidationError

from detention.models import Search
from intake import services
from intake.models import SecurityCheck, Step, StepRecord

from .conftest import security_data

pytestmark = pytest.mark.django_db


def test_the_security_step_writes_the_admission_search(arrival, security_officer, cell):
    services.complete_step(arrival, Step.SECURITY, actor=security_officer, data=security_data(
        cell, prohibited_items_found=True, items_found="Couteau pliant", searcher_sex="M",
        search_witnesses="Sgt Keïta"))
    search = Search.objects.get()
    assert search.at_admission and search.kind == "pat_down" and search.custody == arrival.custody
    assert search.searched_by == security_officer and search.searcher_sex == "M"
    assert search.witnesses == "Sgt Keïta"
    assert list(search.items.values_list("description", "outcome")) == [("Couteau pliant", "pending")]


def test_an_admission_search_by_staff_of_the_other_sex_is_refused(arrival, security_officer, cell):
    with pytest.raises(ValidationError, match="même sexe"):
        services.complete_step(arrival, Step.SECURITY, actor=security_officer,
                               data=security_data(cell, searcher_sex="F"))
    assert not Search.objects.exists() and not SecurityCheck.objects.exists() and not StepRecord.objects.exists()


def test_the_searcher_sex_may_be_left_blank_at_intake(arrival, security_officer, cell):
    services.complete_step(arrival, Step.SECURITY, actor=security_officer, data=security_data(cell))
    assert Search.objects.get().searcher_sex == ""
