"""Receivers that put every change of an ``AuditedModel`` into the trail.

Services are the only writers, so their saves and deletes pass here. Bulk queryset operations
bypass signals: services must not use them on audited models.
"""

from typing import Any

from django.db import models
from django.db.models.signals import post_delete, post_save

from warmhome.core.audit.services import change_log
from warmhome.core.models import AuditedModel, AuditEntry

REDACTED = "［已隐藏］"


def snapshot(instance: AuditedModel) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname)
        values[field.attname] = REDACTED if field.name in instance.audit_exclude else value
    return values


def _loaded(instance: AuditedModel) -> dict[str, Any] | None:
    loaded: dict[str, Any] | None = getattr(instance, "_audit_loaded", None)
    if loaded is None:
        return None
    return {
        name: (REDACTED if name in _excluded_attnames(instance) else value)
        for name, value in loaded.items()
    }


def _excluded_attnames(instance: AuditedModel) -> set[str]:
    return {instance._meta.get_field(name).attname for name in instance.audit_exclude}


def _changed_only(
    before: dict[str, Any], after: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    keys = [key for key in after if before.get(key) != after[key]]
    return {key: before.get(key) for key in keys}, {key: after[key] for key in keys}


def on_save(sender: type[models.Model], instance: Any, created: bool, raw: bool, **_: Any) -> None:
    if raw or not isinstance(instance, AuditedModel):
        return
    after = snapshot(instance)
    if created:
        change_log(kind=AuditEntry.Kind.CREATE, instance=instance, before=None, after=after)
    else:
        loaded = _loaded(instance)
        before, after = _changed_only(loaded, after) if loaded is not None else (None, after)
        if loaded is not None and not after:
            return
        change_log(kind=AuditEntry.Kind.UPDATE, instance=instance, before=before, after=after)
    instance._audit_loaded = {
        field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields
    }


def on_delete(sender: type[models.Model], instance: Any, **_: Any) -> None:
    if not isinstance(instance, AuditedModel):
        return
    change_log(kind=AuditEntry.Kind.DELETE, instance=instance, before=snapshot(instance), after=None)


post_save.connect(on_save, dispatch_uid="warmhome_audit_save")
post_delete.connect(on_delete, dispatch_uid="warmhome_audit_delete")
