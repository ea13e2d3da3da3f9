"""The admin site on the same data set: the changelist and change pages of every registered
model, as the system administrator (role and staff status, no superuser) and as a
superuser; the admin's index as every role. No answer ≥ 500, and the superuser opens every
one of them (the positive control) — except the rows need-to-know keeps from every account
without the role (a confidential complaint: accounts.need_to_know), which it cannot open."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from .routes import Url
from .workflow import ACCOUNTS

# A list paged in no defined order repeats or skips rows between pages: an error in the walk.
pytestmark = [pytest.mark.django_db,
              pytest.mark.filterwarnings("error::django.core.paginator.UnorderedObjectListWarning")]

MODELS = sorted(admin.site._registry, key=lambda m: m._meta.label)
ADMINS = ("admin", "superuser")


def _spread(model, n=3):
    """The first, a middle and the last row: reference rows and the workflow's newest ones."""
    pks = list(model._default_manager.order_by("pk").values_list("pk", flat=True))
    if len(pks) <= n:
        return pks
    return sorted({pks[0], pks[len(pks) // 2], pks[-1]})


def _change_url(model, pk):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[pk])


def _urls(model):
    meta = model._meta
    urls = [Url(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))]
    urls += [Url(_change_url(model, pk)) for pk in _spread(model)]
    return urls


def _hidden_from(user, model):
    """Change pages of the rows the model's admin keeps from `user` (its `get_queryset`)."""
    request = RequestFactory().get("/admin/")
    request.user = user
    visible = set(admin.site._registry[model].get_queryset(request).values_list("pk", flat=True))
    return {_change_url(model, pk) for pk in _spread(model) if pk not in visible}


@pytest.mark.parametrize(("model", "role"), [pytest.param(m, r, id=f"{m._meta.label}|{r}")
                                             for m in MODELS for r in ADMINS])
def test_admin_pages_open_for_the_administrators(walk, model, role):
    _, walker = walk
    urls = _urls(model)
    answers = [walker.open(role, url) for url in urls]
    walker.record("admin walk", model._meta.label, role, answers)
    assert [(u.path, a.status, a.error) for u, a in zip(urls, answers) if a.status >= 500] == []
    assert [(u.path, a.inline_styles) for u, a in zip(urls, answers) if a.inline_styles] == []  # strict CSP
    if role == "superuser":
        hidden = _hidden_from(walker.data.staff[role].user, model)
        assert [(u.path, a.status) for u, a in zip(urls, answers) if a.status != 200 and u.path not in hidden] == []
        assert [u.path for u, a in zip(urls, answers) if a.status == 200 and u.path in hidden] == []


@pytest.mark.parametrize("role", list(ACCOUNTS) + ["norole"])
def test_the_admin_index_answers_every_role(walk, role):
    """The index for everyone (a login page for those without staff status); the app pages
    for the administrators."""
    _, walker = walk
    urls = [Url(reverse("admin:index"))]
    if role in ADMINS:
        urls += [Url(reverse("admin:app_list", args=[label])) for label in sorted({m._meta.app_label for m in MODELS})]
    answers = [walker.open(role, url) for url in urls]
    walker.record("admin walk", "admin:index + app lists", role, answers)
    assert [(u.path, a.status, a.error) for u, a in zip(urls, answers) if a.status >= 500] == []
    if role == "superuser":
        assert {a.status for a in answers} == {200}
