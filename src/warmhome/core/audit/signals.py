"""Receivers that put every change of an ``AuditedModel`` into the trail.

Services are the only writers, so their saves and deletes pass here. Bulk queryset operations
bypass signals: services must not use them on audited models.

``audit_exclude`` fields are logged as changed but never with their value; a model may also name
``audit_ignore`` fields (bookkeeping such as ``last_login``) whose change alone is not worth an
entry. A save that changes nothing but ``updated_at`` writes no entry.
"""

import copy
from typing import Any

from django.db import models
from django.db.models.signals import post_delete, post_save

from warmhome.core.audit import guard  # noqa: F401  (registers the database guard's function)
from warmhome.core.audit.services import change_log
from warmhome.core.models import AuditedModel, AuditEntry

REDACTED = "［已隐藏］"


def _current(instance: AuditedModel) -> dict[str, Any]:
    # Only what is loaded: reading a deferred field would cost a query per field.
    loaded = instance.__dict__
    return {
        field.attname: copy.deepcopy(loaded[field.attname])
        for field in instance._meta.concrete_fields
        if field.attname in loaded
    }


def _redacted(instance: AuditedModel, values: dict[str, Any]) -> dict[str, Any]:
    hidden = _excluded_attnames(instance)
    return {name: (REDACTED if name in hidden else value) for name, value in values.items()}


def snapshot(instance: AuditedModel) -> dict[str, Any]:
    return _redacted(instance, _current(instance))


def _excluded_attnames(instance: AuditedModel) -> set[str]:
    return {_attname(instance, name) for name in instance.audit_exclude}


def _ignored_attnames(instance: AuditedModel) -> set[str]:
    names = getattr(instance, "audit_ignore", ())
    return {_attname(instance, name) for name in names}


def _attname(instance: AuditedModel, name: str) -> str:
    return str(getattr(instance._meta.get_field(name), "attname", name))


def on_save(sender: type[models.Model], instance: Any, created: bool, raw: bool, **_: Any) -> None:
    if raw or not isinstance(instance, AuditedModel):
        return
    current = _current(instance)
    loaded: dict[str, Any] | None = getattr(instance, "_audit_loaded", None)
    instance._audit_loaded = current
    if created:
        change_log(
            kind=AuditEntry.Kind.CREATE,
            instance=instance,
            before=None,
            after=_redacted(instance, current),
        )
        return
    if loaded is None:
        change_log(
            kind=AuditEntry.Kind.UPDATE,
            instance=instance,
            before=None,
            after=_redacted(instance, current),
        )
        return
    # Compared before redaction: a changed password is logged as changed, without its value.
    changed = [name for name, value in current.items() if loaded.get(name, value) != value]
    if not set(changed) - _ignored_attnames(instance) - {"updated_at"}:
        return
    change_log(
        kind=AuditEntry.Kind.UPDATE,
        instance=instance,
        before=_redacted(instance, {name: loaded.get(name) for name in changed}),
        after=_redacted(instance, {name: current[name] for name in changed}),
    )


def on_delete(sender: type[models.Model], instance: Any, **_: Any) -> None:
    if not isinstance(instance, AuditedModel):
        return
    change_log(
        kind=AuditEntry.Kind.DELETE, instance=instance, before=snapshot(instance), after=None
    )


post_save.connect(on_save, dispatch_uid="warmhome_audit_save")
post_delete.connect(on_delete, dispatch_uid="warmhome_audit_delete")
