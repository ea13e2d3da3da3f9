"""Which audited fields only some readers may see, and the changes as rows for one reader.

The trail records *that* a restricted field changed for every reader of the journal; its old
and new values only for readers whose roles hold the permission that reads the field itself
(medical details: `intake.view_medicalexamination`; the social profile:
`inmates.view_socialprofile`; the social report: `intake.view_interviewrecord`). Checked by
role membership (`need_to_know.role_grants`), never by `is_superuser`.

The values are kept out of `changes` entirely (in `AuditEntry.restricted_changes`, with the
permission that reads them), so that nothing that shows `changes` — a template, an export,
the admin, a future API — can leak them by accident; only `change_rows` puts them back, for
the readers entitled to them. Entries written before this rule (values still in `changes`)
are filtered on read by the same table.

Models are named by label, as `roles.py` names permissions: this app stays at the bottom.
"""

from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _

from .need_to_know import MEDICAL, SOCIAL_PROFILE, SOCIAL_REPORT, role_grants

# Every field of these models is read only with the model's own view permission.
RESTRICTED_MODELS = {
    "inmates.socialprofile": SOCIAL_PROFILE,
    "intake.medicalexamination": MEDICAL,
    "intake.interviewrecord": SOCIAL_REPORT,
}
# Restricted values recorded on another target (e.g. an intake step's summary).
RESTRICTED_FIELDS = {
    ("intake.steprecord", "needs"): SOCIAL_REPORT,
}
# Fields of the restricted models whose changes anyone reading the journal may see.
PUBLIC_FIELDS = {"updated_by", "updated_at", "inmate", "intake", "id"}


def restricted_permission(target_label: str, field: str) -> str | None:
    """The permission needed to see the values of `field` audited on a `target_label` target."""
    if field in PUBLIC_FIELDS:
        return None
    return RESTRICTED_MODELS.get(target_label) or RESTRICTED_FIELDS.get((target_label, field))


def split_changes(target_label: str, changes: dict, explicit: dict | None = None) -> tuple[dict, dict]:
    """(public changes, restricted changes) — the latter {field: {"permission", "values"}}."""
    public, hidden = {}, {}
    for field, values in changes.items():
        permission = (explicit or {}).get(field) or restricted_permission(target_label, field)
        if permission:
            hidden[field] = {"permission": permission, "values": values}
        else:
            public[field] = values
    return public, hidden


@dataclass(frozen=True)
class ChangeRow:
    field: str
    label: str
    old: str | None
    new: str | None
    hidden: bool = False  # restricted, and this reader may not see the values

    @property
    def shown(self) -> str:
        """One line of text: "label : old → new", or "label : modifié"."""
        if self.hidden:
            return f"{self.label} : {_('modifié')}"
        return f"{self.label} : {self.old if self.old is not None else '—'} → {self.new if self.new is not None else '—'}"


def _text(value) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if isinstance(value, dict):
        return ", ".join(f"{k} : {_text(v) or '—'}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(_text(v) or "—" for v in value)
    return str(value)


def _old_new(values):
    if isinstance(values, (list, tuple)) and len(values) == 2:
        return _text(values[0]), _text(values[1])
    return None, _text(values)


def _label(model, field: str) -> str:
    if model is not None:
        try:
            return str(model._meta.get_field(field).verbose_name)
        except FieldDoesNotExist:
            pass
    return field.replace("_", " ")


def _target_label(entry) -> str:
    target_type = entry.target_type
    return f"{target_type.app_label}.{target_type.model}" if target_type else ""


def change_rows(entry, reader) -> list[ChangeRow]:
    """The entry's changes as rows for `reader` (see the module's docstring)."""
    target_label = _target_label(entry)
    model = _model(target_label)
    def may_read(permission):
        return role_grants(reader, permission)

    items = [(field, values, restricted_permission(target_label, field))
             for field, values in (entry.changes or {}).items()]
    # A restricted value without its permission (malformed) is shown to nobody.
    items += [(field, (item or {}).get("values"), (item or {}).get("permission") or "-")
              for field, item in (entry.restricted_changes or {}).items()]
    rows = []
    for field, values, permission in items:
        label = _label(model, field)
        if permission and not may_read(permission):
            rows.append(ChangeRow(field, label, None, None, hidden=True))
        else:
            rows.append(ChangeRow(field, label, *_old_new(values)))
    return rows


def _model(label: str):
    if not label:
        return None
    try:
        return apps.get_model(label)
    except LookupError:
        return None
