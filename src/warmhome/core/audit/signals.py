"""Receivers that put every change of an ``AuditedModel`` into the trail.

Services are the only writers, so their saves and deletes pass here. Bulk queryset operations
bypass signals: a service that bulk-creates audited records logs them with
``core.audit.services.bulk_created_log``; services must not bulk-update or bulk-delete them.

A save that changes nothing but ``updated_at`` writes no entry (see ``snapshots`` for what an
entry holds).
"""

from typing import Any

from django.db import models
from django.db.models.signals import post_delete, post_save

from warmhome.core.audit import guard  # noqa: F401  (registers the database guard's function)
from warmhome.core.audit.services import change_log
from warmhome.core.audit.snapshots import ignored_attnames, loaded_values, redacted, snapshot
from warmhome.core.models import AuditedModel, AuditEntry


def on_save(sender: type[models.Model], instance: Any, created: bool, raw: bool, **_: Any) -> None:
    if raw or not isinstance(instance, AuditedModel):
        return
    current = loaded_values(instance)
    loaded: dict[str, Any] | None = getattr(instance, "_audit_loaded", None)
    instance._audit_loaded = current
    if created:
        change_log(
            kind=AuditEntry.Kind.CREATE,
            instance=instance,
            before=None,
            after=redacted(instance, current),
        )
        return
    if loaded is None:
        change_log(
            kind=AuditEntry.Kind.UPDATE,
            instance=instance,
            before=None,
            after=redacted(instance, current),
        )
        return
    # Compared before redaction: a changed password is logged as changed, without its value.
    changed = [name for name, value in current.items() if loaded.get(name, value) != value]
    if not set(changed) - ignored_attnames(instance) - {"updated_at"}:
        return
    change_log(
        kind=AuditEntry.Kind.UPDATE,
        instance=instance,
        before=redacted(instance, {name: loaded.get(name) for name in changed}),
        after=redacted(instance, {name: current[name] for name in changed}),
    )


def on_delete(sender: type[models.Model], instance: Any, **_: Any) -> None:
    if not isinstance(instance, AuditedModel):
        return
    change_log(
        kind=AuditEntry.Kind.DELETE, instance=instance, before=snapshot(instance), after=None
    )


post_save.connect(on_save, dispatch_uid="warmhome_audit_save")
post_delete.connect(on_delete, dispatch_uid="warmhome_audit_delete")
