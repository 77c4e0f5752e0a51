"""What the trail records of a model instance: its loaded values, with protected ones hidden.

``audit_exclude`` fields are logged as changed but never with their value; a model may also name
``audit_ignore`` fields (bookkeeping such as ``last_login``) whose change alone is not worth an
entry.
"""

import copy
import functools
from typing import Any

from warmhome.core.models import AuditedModel

REDACTED = "［已隐藏］"


def loaded_values(instance: AuditedModel) -> dict[str, Any]:
    # Only what is loaded: reading a deferred field would cost a query per field. Copied where
    # mutable: a JSON list changed in place must still differ from what was logged.
    loaded = instance.__dict__
    return {
        name: copy.deepcopy(value) if isinstance(value, dict | list) else value
        for name in _concrete_attnames(type(instance))
        if (value := loaded.get(name, _MISSING)) is not _MISSING
    }


def redacted(instance: AuditedModel, values: dict[str, Any]) -> dict[str, Any]:
    hidden = excluded_attnames(instance)
    return {name: (REDACTED if name in hidden else value) for name, value in values.items()}


def snapshot(instance: AuditedModel) -> dict[str, Any]:
    return redacted(instance, loaded_values(instance))


def excluded_attnames(instance: AuditedModel) -> frozenset[str]:
    return _attnames(type(instance), instance.audit_exclude)


def ignored_attnames(instance: AuditedModel) -> frozenset[str]:
    return _attnames(type(instance), getattr(instance, "audit_ignore", ()))


_MISSING = object()


@functools.cache
def _concrete_attnames(model: type[AuditedModel]) -> tuple[str, ...]:
    return tuple(field.attname for field in model._meta.concrete_fields)


@functools.cache
def _attnames(model: type[AuditedModel], names: tuple[str, ...]) -> frozenset[str]:
    return frozenset(str(getattr(model._meta.get_field(name), "attname", name)) for name in names)
