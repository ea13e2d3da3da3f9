"""Test data. Reference rows through factory_boy; detainee state through the services,
so that tests see the real audit entries and derived statuses."""

import datetime
import itertools

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from casework import services as case_services
from casework.models import Court, LegalClass, OrderKind
from inmates import services as inmate_services
from inmates.models import Sex
from prisons.models import Facility, Region, Unit

PASSWORD = "motdepasse-solide-2026"  # every test account's


def totp_code(device):
    """The current code of a TOTP device (django-otp), as its owner would type it."""
    from django_otp.oath import totp

    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"

_seq = itertools.count(1)


def region(code="BKO"):
    return Region.objects.get(code=code)


class FacilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Facility

    code = factory.Sequence(lambda n: f"T{n:03d}")
    name = factory.Sequence(lambda n: f"Maison d'arrêt de test {n}")
    kind = "prison"
    region = factory.LazyFunction(lambda: Region.objects.get(code="KLK"))
    official_capacity = 100


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    facility = factory.SubFactory(FacilityFactory)
    code = factory.Sequence(lambda n: f"C{n}")
    name = factory.Sequence(lambda n: f"Cellule {n}")
    kind = "cell"
    capacity = 10


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"agent{n}")
    first_name = "Awa"
    last_name = factory.Sequence(lambda n: f"Agent{n}")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(Group.objects.get(name=str(extracted)))

    @factory.post_generation
    def facilities(self, create, extracted, **kwargs):
        if extracted:
            self.facilities.set(extracted)


def staff(role: Role, *facilities, **kwargs) -> User:
    """A staff member with one role, serving the given facilities."""
    user = UserFactory(role=role, facilities=list(facilities), **kwargs)
    return User.objects.get(pk=user.pk)  # fresh instance: no cached permissions


def court(code="TGI-C3"):
    return Court.objects.get(code=code)


def detainee(
    facility,
    *,
    actor=None,
    last_name="TRAORÉ",
    first_name="Mamadou",
    sex=Sex.MALE,
    birth_year=1990,
    unit=None,
    admitted_at=None,
    held=True,
    legal_class=LegalClass.DELIT,
    terrorism=False,
    convicted=False,
    **inmate_fields,
):
    """A person admitted to `facility` with one case and charge, optionally placed in `unit`."""
    actor = actor or staff(Role.CLERK, facility)
    admitted_at = admitted_at or timezone.now() - datetime.timedelta(days=30)
    inmate = inmate_services.create_inmate(
        actor=actor, last_name=last_name, first_name=first_name, sex=sex, birth_year=birth_year,
        **inmate_fields,
    )
    custody = inmate_services.admit_to_custody(
        inmate, facility=facility, admitted_at=admitted_at, actor=actor,
        arresting_force="police", arrested_at=admitted_at - datetime.timedelta(days=2),
        arrest_place="Bamako",
    )
    case = case_services.open_case(
        custody, actor=actor, court=court("PJS-C6" if terrorism else "TGI-C3"),
        case_number=f"RI-{next(_seq):05d}/2026", investigating_judge="M. Diarra",
        charges=[{
            "offence": "Association de malfaiteurs en lien avec une entreprise terroriste"
            if terrorism else "Vol qualifié",
            "legal_class": LegalClass.CRIME if terrorism else legal_class,
            "terrorism_related": terrorism,
            "max_penalty_months": 240 if terrorism else 36,
        }],
    )
    case_services.record_detention_order(
        case, actor=actor, kind=OrderKind.COMMITTAL, issued_on=admitted_at.date(),
        issued_by="M. Diarra, juge d'instruction",
    )
    if convicted:
        case_services.record_judgment(
            case, actor=actor, decided_on=admitted_at.date() + datetime.timedelta(days=10),
            verdict="convicted", sentence_months=24,
        )
    if held:
        custody = inmate_services.complete_admission(custody, actor=actor)
    if unit is not None:
        inmate_services.place_in_unit(custody, unit=unit, actor=actor, at=admitted_at,
                                      override_reason="test")
    inmate.refresh_from_db()
    return inmate
