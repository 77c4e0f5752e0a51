"""Writing to the audit trail: one function per kind of event."""

from typing import Any

from django.db import models

from warmhome.core.audit.chain import append
from warmhome.core.models import AuditEntry
from warmhome.core.request_context import current


def _actor_fields(actor: Any) -> dict[str, Any]:
    context = current()
    who = actor if actor is not None else context.actor
    if who is not None and getattr(who, "is_authenticated", False):
        return {
            "actor_id": who.pk,
            "actor_username": who.get_username(),
            "client_ip": context.client_ip,
        }
    return {"actor_id": None, "actor_username": "", "client_ip": context.client_ip}


def _org_path(instance: models.Model) -> str:
    org = getattr(instance, "org", None)
    return getattr(org, "path", "") or ""


def change_log(
    *,
    kind: str,
    instance: models.Model,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    actor: Any = None,
) -> AuditEntry:
    """Record a create, update or delete of ``instance``."""
    return append(
        kind=kind,
        model_label=instance._meta.label,
        object_pk=str(instance.pk),
        object_repr=str(instance)[:200],
        org_path=_org_path(instance),
        before=before,
        after=after,
        **_actor_fields(actor),
    )


def sensitive_read_log(
    *, actor: Any, instance: models.Model, fields: list[str], reason: str = ""
) -> AuditEntry:
    """Record that ``actor`` saw ``fields`` of ``instance`` in full (later modules call this)."""
    return append(
        kind=AuditEntry.Kind.READ,
        event="sensitive_read",
        outcome="success",
        model_label=instance._meta.label,
        object_pk=str(instance.pk),
        object_repr=str(instance)[:200],
        org_path=_org_path(instance),
        detail={"fields": fields, "reason": reason},
        **_actor_fields(actor),
    )


def security_event_log(
    *,
    event: str,
    actor: Any = None,
    username: str = "",
    outcome: str = "failure",
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Record a security event: login, lockout, permission denied, export, token misuse."""
    fields = _actor_fields(actor)
    if username and not fields["actor_username"]:
        fields["actor_username"] = username[:150]
    return append(
        kind=AuditEntry.Kind.SECURITY,
        event=event,
        outcome=outcome,
        detail=detail or {},
        **fields,
    )


def export_log(*, actor: Any, what: str, row_count: int, detail: dict[str, Any] | None) -> None:
    """Record an export: who took which data out, how many rows."""
    security_event_log(
        event="export",
        actor=actor,
        outcome="success",
        detail={"what": what, "rows": row_count, **(detail or {})},
    )
