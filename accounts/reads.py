"""Reads of people's data leave a trace: the generic part, used by every app's read services.

- `open_record`: one record the actor may see (their role's view permission, facility scoping by
  the queryset given), with one VIEW entry naming the record and the person it concerns; 404 when
  the record is not visible, 403 without the permission.
- `record_list`: one LIST entry for one list or search (never one per row), with the query as it
  was asked (filters, `q`, page) and how many rows and people it returned.
- `AuditedListMixin` / `AuditedReadsMixin` (DRF): a viewset's `list` records the list and its
  `retrieve` calls its app's read service, so that the API answers like the pages. The admin's mixin is in
  `admin_mixins`.

Like the rest of this app, nothing here knows detainees: the read services of each app say which
queryset, which permission and which attribute leads to the person.
"""

from operator import attrgetter

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from .models import AuditAction
from .services import record_audit


def _text(value):
    # PostgreSQL cannot store a NUL character in text or JSON: a query carrying one (a probe, a
    # broken client) is recorded without it rather than failing the read it describes.
    return value.replace("\x00", "") if isinstance(value, str) else value


def _value(values):
    return _text(values[0]) if len(values) == 1 else [_text(v) for v in values]


def query_of(params) -> dict:
    """The query as asked ({name: value}, a list when repeated), from a QueryDict or a dict."""
    if hasattr(params, "lists"):
        return {_text(name): _value(values) for name, values in params.lists() if any(v != "" for v in values)}
    return {_text(name): _text(value) for name, value in dict(params).items() if value not in (None, "", [])}


def count_people(queryset, person_field: str) -> int:
    """How many different people the rows of `queryset` concern (`person_field`: their inmate id)."""
    return queryset.order_by().values(person_field).distinct().count()


def record_read(actor, *, target, inmate_id=None, facility_id=None, action=AuditAction.VIEW, reason=""):
    """One entry: `actor` read `target` (concerning the person `inmate_id`)."""
    return record_audit(action, actor=actor, target=target, inmate_id=inmate_id, facility_id=facility_id,
                        reason=reason)


def record_list(actor, *, kind: str, query, count: int, people: int | None = None, target=None,
                facility_id=None):
    """One entry for one list or search: `kind` (what was listed), the query, the rows and the
    people it returned (`target`: the unit or prison listed, when there is one)."""
    changes = {"liste": str(kind), "requête": query_of(query) or _("aucun filtre"), "résultats": count}
    if people is not None:
        changes["personnes"] = people
    return record_audit(AuditAction.LIST, actor=actor, target=target, facility_id=facility_id,
                        changes=changes)


def record_rows(actor, *, kind: str, query, queryset, person_field="custody__inmate_id", target=None,
                facility_id=None):
    """`record_list` for a list of people's records: `queryset`, every row it matched (all pages)."""
    return record_list(actor, kind=kind, query=query, count=queryset.count(),
                       people=count_people(queryset, person_field) if person_field else None,
                       target=target, facility_id=facility_id)


def _attr(path):
    return attrgetter(path) if isinstance(path, str) else path


def open_record(queryset, pk, *, actor, permission: str, person: str, facility: str | None, not_found: str,
                action=AuditAction.VIEW, reason=""):
    """The record `pk` of `queryset` (already scoped to what the actor may see), read and audited.

    `person` / `facility`: the attribute paths to the person's id and the prison's id."""
    if not (actor.is_authenticated and actor.has_perm(permission)):
        raise PermissionDenied(_("Vous n'avez pas accès à ces données."))
    try:
        record = queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404(not_found) from None
    record_read(actor, target=record, inmate_id=_attr(person)(record),
                facility_id=_attr(facility)(record) if facility else None,
                action=action, reason=reason)
    return record


class AuditedListMixin:
    """For a DRF viewset listing people's data: `list` records one LIST entry (query, counts)."""

    audit_kind = ""
    person_field = "custody__inmate_id"

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        queryset = self.filter_queryset(self.get_queryset())
        record_rows(request.user, kind=self.audit_kind or queryset.model._meta.verbose_name_plural,
                    query=request.query_params, queryset=queryset, person_field=self.person_field)
        return response


class AuditedReadsMixin(AuditedListMixin):
    """Also `retrieve`, through the app's `read_service(pk, actor=…)` (access check + VIEW entry).

    The serialized answer is still built from the viewset's own queryset (its annotations)."""

    read_service = None

    def retrieve(self, request, *args, **kwargs):
        self.read_service(kwargs[self.lookup_url_kwarg or self.lookup_field], actor=request.user)
        return super().retrieve(request, *args, **kwargs)
