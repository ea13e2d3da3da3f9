"""A record as it travels: its fields as JSON, its relations by global id (travelling records), by
natural key (reference data) or by username (staff), never by a local integer key."""

import json

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from . import registry

# The payload format. The national server accepts this version and the previous one, so that the
# prisons can be upgraded one at a time. Version 1 named the record's fields "fields"; version 2
# calls them "data" and adds the owner facility's code ("owner").
SCHEMA_VERSION = 2
ACCEPTED_VERSIONS = (1, 2)


class MissingDependency(Exception):
    """A related record named by the payload is not here yet (it will come in a later chunk)."""


# Per-database caches of what a record's relations name (each keyed by the database's name first):
_uids = {}  # (model label, pk) -> uid: a record's global id never changes
_pks = {}  # (model label, uid) -> pk: the other way (an entry goes when its record is deleted)
_keys = {}  # (model label, pk) -> natural key of reference data (emptied when reference data changes)
_ref_pks = {}  # (model label, natural key) -> pk of reference data (emptied likewise)
_names = {}  # user pk -> username (emptied when an account is saved)
_user_pks = {}  # username -> user pk (emptied likewise)


def forget_references():
    _keys.clear()
    _ref_pks.clear()
    _names.clear()
    _user_pks.clear()


def forget_all():
    """Every cache (a database switched, or an apply rolled back: a key it read may be gone)."""
    forget_references()
    _uids.clear()
    _pks.clear()


def forget_record(instance):
    """A travelling record deleted here: its uid no longer names a row."""
    _pks.pop((_db(), instance._meta.label_lower, str(getattr(instance, "uid", ""))), None)
    _uids.pop((_db(), instance._meta.label_lower, instance.pk), None)


def _bounded(cache):
    if len(cache) > 100_000:
        cache.clear()


def _db():
    from django.db import connection

    return connection.settings_dict["NAME"]  # ids are per database: never mix two databases' caches


def _related_uid(target, pk):
    key = (_db(), target._meta.label_lower, pk)
    if key not in _uids:
        _bounded(_uids)
        _uids[key] = str(target._default_manager.filter(pk=pk).values_list("uid", flat=True).get())
    return _uids[key]


def related_pk(target, uid):
    """The local key of the travelling record `uid` names; MissingDependency when it is not here yet."""
    key = (_db(), target._meta.label_lower, str(uid))
    if key not in _pks:
        pk = target._default_manager.filter(uid=uid).values_list("pk", flat=True).first()
        if pk is None:
            raise MissingDependency(f"{registry.label(target)} {uid}")
        _bounded(_pks)
        _pks[key] = pk
    return _pks[key]


def reference_pk(model, key):
    """The local key of the reference row named by its natural key (MissingDependency if absent)."""
    cache_key = (_db(), model._meta.label_lower, json.dumps(key, cls=DjangoJSONEncoder))
    if cache_key not in _ref_pks:
        _ref_pks[cache_key] = resolve_reference(model, key).pk
    return _ref_pks[cache_key]


def _user_pk(username):
    key = (_db(), username)
    if key not in _user_pks:
        _user_pks[key] = _user(username).pk
    return _user_pks[key]


def _reference_key(target, pk):
    key = (_db(), target._meta.label_lower, pk)
    if key not in _keys:
        _keys[key] = natural_key(target._default_manager.get(pk=pk))
    return _keys[key]


def _username(user_model, pk):
    key = (_db(), pk)
    if key not in _names:
        _names[key] = user_model._default_manager.filter(pk=pk).values_list(user_model.USERNAME_FIELD, flat=True).get()
    return _names[key]


def natural_key(instance) -> list:
    fields = registry.REFERENCE[registry.label(type(instance))]
    key = []
    for name in fields:
        field = type(instance)._meta.get_field(name)
        value = getattr(instance, name)
        key.append(natural_key(value) if field.is_relation else value)
    return key


def resolve_reference(model, key):
    fields = registry.REFERENCE[registry.label(model)]
    lookup = {}
    for name, value in zip(fields, key, strict=True):
        field = model._meta.get_field(name)
        if field.is_relation:
            lookup[field.attname] = reference_pk(field.related_model, value) if value is not None else None
        else:
            lookup[name] = value
    try:
        return model._default_manager.get(**lookup)
    except model.DoesNotExist as exc:
        raise MissingDependency(f"{registry.label(model)} {key}") from exc


def _plain(value):
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def dump(instance) -> dict:
    """The record's fields, JSON-ready."""
    user_model = get_user_model()
    data = {}
    for field in type(instance)._meta.concrete_fields:
        if field.primary_key or field.name == "uid":
            continue
        if field.is_relation:
            pk = getattr(instance, field.attname)
            if pk is None:
                data[field.name] = None
                continue
            target = field.related_model
            if target is user_model:
                data[field.name] = _username(user_model, pk)
            elif registry.is_reference(target):
                data[field.name] = _reference_key(target, pk)
            else:
                data[field.name] = _related_uid(target, pk)
        elif isinstance(field, models.FileField):
            data[field.name] = getattr(instance, field.attname).name or ""
        else:
            data[field.name] = _plain(field.value_from_object(instance))
    return data


def _user(username):
    user_model = get_user_model()
    user = user_model._default_manager.filter(**{user_model.USERNAME_FIELD: username}).first()
    if user is None:
        # The author of a record made at a prison: an inactive account that cannot sign in here,
        # so that the record keeps its author's name at the national server.
        user = user_model(**{user_model.USERNAME_FIELD: username}, is_active=False)
        user.set_unusable_password()
        user.save()
    return user


def load(model, uid, data: dict, *, instance=None):
    """Write a travelling record from its payload (insert or update by `uid`), without its signals'
    side effects (a raw save, as `loaddata` does): returns the instance."""
    user_model = get_user_model()
    if instance is None:
        instance = model._default_manager.filter(uid=uid).first() or model(uid=uid)
    for field in model._meta.concrete_fields:
        if field.primary_key or field.name == "uid" or field.name not in data:
            continue
        value = data[field.name]
        if field.is_relation:
            # Only the local key is set (from the caches above): the related row is not loaded.
            target = field.related_model
            if value is None:
                related = None
            elif target is user_model:
                related = _user_pk(value)
            elif registry.is_reference(target):
                related = reference_pk(target, value)
            else:
                related = related_pk(target, value)
            setattr(instance, field.attname, related)
        elif isinstance(field, models.FileField):
            setattr(instance, field.attname, value or "")
        else:
            setattr(instance, field.attname, field.to_python(value) if value is not None else None)
    instance.save_base(raw=True)
    return instance


def load_reference(model, key, data: dict):
    """Write a reference row from the national server (matched by its natural key)."""
    try:
        instance = resolve_reference(model, key)
    except MissingDependency:
        instance = model()
    user_model = get_user_model()
    for field in model._meta.concrete_fields:
        if field.primary_key or field.name not in data:
            continue
        value = data[field.name]
        if field.is_relation:
            target = field.related_model
            if value is None:
                related = None
            elif target is user_model:
                related = _user(value)
            else:
                related = resolve_reference(target, value)
            setattr(instance, field.name, related)
        else:
            setattr(instance, field.attname, field.to_python(value) if value is not None else None)
    instance.save_base(raw=True)
    return instance


def model_of(name: str):
    app_label, model_name = name.split(".")
    return apps.get_model(app_label, model_name)


def upgrade(action: dict, version: int) -> dict:
    """An action in the current format, from an accepted earlier version."""
    if version == 1:
        action = {**action, "data": action.get("fields", {})}
        action.pop("fields", None)
    return action
