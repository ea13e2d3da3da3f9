"""Who may write a record: the prison that holds the person (their owner), read from the records.

- A person's owner is the facility of their latest stay; while a transfer is on the road
  (departed, not arrived) nobody owns the file but the receiving prison, which may record the
  arrival — the sending prison released it when the escort left, and takes nothing back.
- A new person, or a new stay for someone held nowhere (a re-arrest), is written where it is made:
  that prison becomes the owner.
- A record that belongs to no person is owned by its facility.
"""

from functools import cache

from django.conf import settings

from . import registry


@cache
def _facility_id(code: str):
    from prisons.models import Facility

    return Facility.objects.filter(code=code).values_list("id", flat=True).first()


def site_facility_id():
    return _facility_id(settings.SITE_FACILITY)


def person_owner(inmate_id) -> tuple:
    """(owner facility id, facility the person is on the road to): (None, None) for someone held
    nowhere yet; (("released", facility id), None) for someone whose last stay has ended."""
    from inmates.models import Custody, CustodyStatus, Transfer, TransferStatus

    stays = list(Custody.objects.filter(inmate_id=inmate_id).values_list("id", "facility_id", "status", "admitted_at"))
    if not stays:
        return None, None
    current = [s for s in stays if s[2] != CustodyStatus.RELEASED]
    custody_id, facility_id, status, _at = current[0] if current else max(stays, key=lambda s: (s[3], s[0]))
    if status != CustodyStatus.RELEASED:
        on_road = (Transfer.objects.filter(custody_id=custody_id, status=TransferStatus.DEPARTED)
                   .values_list("to_facility_id", flat=True).first())
        if on_road is not None:
            return None, on_road
        return facility_id, None
    return ("released", facility_id), None


def site_may_write(instance) -> bool:
    here = site_facility_id()
    model = type(instance)
    path = registry.person_path(model)
    person = registry.follow(instance, path) if path is not None else None
    if person is not None:
        if person.pk is None:
            return True
        owner, on_road_to = person_owner(person.pk)
        if on_road_to is not None:
            return on_road_to == here
        if owner is None:
            return True
        if isinstance(owner, tuple):  # released: a new stay may start anywhere; the old file stays
            from inmates.models import Custody

            if isinstance(instance, Custody) and instance.pk is None:
                return True
            return owner[1] == here
        return owner == here
    facility_path = registry.facility_path(model)
    facility = registry.follow(instance, facility_path) if facility_path is not None else None
    return facility is None or facility.pk == here


def interested_facilities(inmate_id) -> set:
    """The prisons that hold, or are to hold, a copy of a person's file: every facility of their
    stays, the sending prison of every transfer, and the receiving prison once the person is on the
    road to it."""
    from inmates.models import Custody, Transfer, TransferStatus

    ids = set(Custody.objects.filter(inmate_id=inmate_id).values_list("facility_id", flat=True))
    for status, sender, receiver in Transfer.objects.filter(custody__inmate_id=inmate_id).values_list(
            "status", "from_facility_id", "to_facility_id"):
        ids.add(sender)
        if status in (TransferStatus.DEPARTED, TransferStatus.ARRIVED):
            ids.add(receiver)
    return ids
