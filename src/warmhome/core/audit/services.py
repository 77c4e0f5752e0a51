"""Writing to the audit trail: one function per kind of event, and pruning it."""

import datetime
import functools
import getpass
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from warmhome.core.audit.chain import append, append_many, checkpoint_mac
from warmhome.core.audit.guard import audit_delete_permitted
from warmhome.core.audit.snapshots import loaded_values, redacted
from warmhome.core.audit.verify import verify_chain
from warmhome.core.models import AuditChainHead, AuditedModel, AuditEntry
from warmhome.core.request_context import acting_as, current

#: labels of the security events written by the platform (other modules may add their own)
EVENT_LABELS = {
    "login": gettext_lazy("登录"),
    "logout": gettext_lazy("退出"),
    "lockout": gettext_lazy("账号锁定"),
    "access_denied": gettext_lazy("越权访问"),
    "export": gettext_lazy("导出数据"),
    "sensitive_read": gettext_lazy("查阅敏感信息"),
    "audit_prune": gettext_lazy("清理过期审计记录"),
    "audit_verify": gettext_lazy("校验审计日志"),
    "permission_denied": gettext_lazy("无权操作"),
    "api_token_rejected": gettext_lazy("接口令牌被拒"),
    "csrf_failed": gettext_lazy("跨站请求校验失败"),
    "password_change": gettext_lazy("修改密码"),
    "session_expired": gettext_lazy("会话超时"),
    "two_factor": gettext_lazy("双因素认证"),
    "two_factor_setup": gettext_lazy("设置双因素认证"),
    "two_factor_reset": gettext_lazy("重置验证器"),
    "recovery_codes_issue": gettext_lazy("生成恢复码"),
    "credentials_reset": gettext_lazy("在服务器上重置账号凭据"),
}


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
    """The organisation an entry belongs to: the record's owner, or the unit itself.

    A record owned through a parent (a household member through its household) follows the
    same lookup its scoped queryset uses (``org_path_lookup``), so that the auditors of a street
    see exactly the changes of records that street may see.
    """
    if _has_org_field(type(instance)):
        org = getattr(instance, "org", None)
        return getattr(org, "path", "") or ""
    # An organisation unit (materialized-path tree node) is audited under its own path, so
    # that the auditors of a street see the changes of the units beneath it.
    if hasattr(instance, "steplen") and isinstance(getattr(instance, "path", None), str):
        return str(getattr(instance, "path", ""))
    lookup = getattr(type(instance)._default_manager.all(), "org_path_lookup", "")
    value: Any = instance if lookup else None
    for part in lookup.split("__") if lookup else ():
        value = getattr(value, part, None)
        if value is None:
            return ""
    return value if isinstance(value, str) else ""


@functools.cache
def _has_org_field(model: type[models.Model]) -> bool:
    return any(field.name == "org" for field in model._meta.concrete_fields)


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


def bulk_created_log(instances: Sequence[AuditedModel], *, actor: Any = None) -> None:
    """Record the creation of records inserted with ``bulk_create`` (which sends no signals),
    one entry each, as the save receiver would have written them, in one append."""
    fields = _actor_fields(actor)
    rows: list[dict[str, Any]] = []
    for instance in instances:
        values = loaded_values(instance)
        # what the update receiver compares a later save of this same instance with
        instance._audit_loaded = values
        rows.append(_created_entry(instance, values, fields, str(instance)))
    append_many(rows)


def _created_entry(
    instance: AuditedModel, values: dict[str, Any], fields: dict[str, Any], text: str
) -> dict[str, Any]:
    return {
        "kind": AuditEntry.Kind.CREATE,
        "model_label": instance._meta.label,
        "object_pk": str(instance.pk),
        "object_repr": text,  # cut to the column's length at append
        "org_path": _org_path(instance),
        "before": None,
        "after": redacted(instance, values),
        **fields,
    }


def created_entries(
    instances: Sequence[AuditedModel], *, actor: Any = None
) -> list[dict[str, Any]]:
    """The entries ``bulk_created_log`` would append for ``instances`` not inserted yet, built
    without the database (a helper process prepares them); ``created_entries_log`` appends
    them once the insert has given the records their keys."""
    fields = _actor_fields(actor)
    entries = []
    for instance in instances:
        # A record's text usually names its key: drawn with a slot the key fills at append.
        instance.pk = _KEY_SLOT
        try:
            text = str(instance)
        finally:
            instance.pk = None
        entries.append(_created_entry(instance, loaded_values(instance), fields, text))
    return entries


#: where a record's key goes in ``created_entries``' texts (no text of a record holds NUL)
_KEY_SLOT = "\x00key\x00"


def created_entries_log(entries: Sequence[dict[str, Any]], keys: Sequence[Any]) -> None:
    """Append ``created_entries`` entries, each with its record's key (in order)."""
    rows = []
    for entry, key in zip(entries, keys, strict=True):
        pk_name = _pk_attname(entry["model_label"])
        rows.append(
            {
                **entry,
                "object_pk": str(key),
                "object_repr": entry["object_repr"].replace(_KEY_SLOT, str(key)),
                "after": {**entry["after"], pk_name: key},
            }
        )
    append_many(rows)


@functools.cache
def _pk_attname(label: str) -> str:
    pk = apps.get_model(label)._meta.pk
    assert pk is not None  # noqa: S101  (every concrete model has one)
    return str(pk.attname)


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


def export_log(
    *, actor: Any, what: str, row_count: int, detail: dict[str, Any] | None = None
) -> None:
    """Record an export: who took which data out, how many rows."""
    security_event_log(
        event="export",
        actor=actor,
        outcome="success",
        detail={"what": what, "rows": row_count, **(detail or {})},
    )


@dataclass(frozen=True, slots=True)
class PruneResult:
    deleted: int
    first_seq: int
    cutoff: datetime.datetime


@transaction.atomic
def auditentry_prune(*, actor: Any, older_than_days: int) -> PruneResult:
    """Delete the entries older than ``older_than_days`` from the start of a verified chain.

    Only a prefix of the chain goes: every entry up to the first one that is still young enough
    to keep. The head then records, under an HMAC, the seq and prev_hash where the kept chain
    starts, and the pruning itself is appended to the chain. The delete passes the database's
    append-only guard through ``audit_delete_permitted`` (a transaction-local permission, see
    ``warmhome.core.audit.guard``), never by dropping the triggers.
    """
    retention = int(settings.AUDIT_RETENTION_DAYS)
    if older_than_days < retention:
        raise ValidationError(
            _(
                "审计记录须至少保留 %(retention)d 天（等保要求不少于六个月），"
                "不能清理 %(days)d 天以内的记录。"
            )
            % {"retention": retention, "days": older_than_days},
            code="retention",
        )
    verdict = verify_chain()
    if not verdict.ok:
        raise ValidationError(
            _("审计哈希链已损坏（序号 %(seq)s），清理会销毁证据，已拒绝。请先执行 audit verify。")
            % {"seq": verdict.seq},
            code="broken",
        )
    cutoff = timezone.now() - datetime.timedelta(days=older_than_days)
    head, _created = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    young = AuditEntry.objects.filter(created_at__gte=cutoff).order_by("seq").first()
    through_seq = (young.seq - 1) if young is not None else head.last_seq
    if through_seq < head.first_seq:
        return PruneResult(deleted=0, first_seq=head.first_seq, cutoff=cutoff)
    new_prev_hash = (
        young.prev_hash if young is not None else AuditEntry.objects.get(seq=through_seq).entry_hash
    )
    with audit_delete_permitted(), connection.cursor() as cursor:
        # Raw SQL: the ORM would load every row to send delete signals.
        cursor.execute(
            f"DELETE FROM {AuditEntry._meta.db_table} WHERE seq <= %s",  # noqa: S608
            [through_seq],
        )
        deleted = cursor.rowcount
    head.first_seq = through_seq + 1
    head.first_prev_hash = new_prev_hash
    head.checkpoint_mac = checkpoint_mac(head.first_seq, head.first_prev_hash)
    head.pruned_at = timezone.now()
    head.save(update_fields=["first_seq", "first_prev_hash", "checkpoint_mac", "pruned_at"])
    security_event_log(
        event="audit_prune",
        actor=actor,
        outcome="success",
        detail={
            "deleted": deleted,
            "through_seq": through_seq,
            "older_than_days": older_than_days,
            "cutoff": cutoff.isoformat(),
            "os_user": _os_user(),
        },
    )
    return PruneResult(deleted=deleted, first_seq=head.first_seq, cutoff=cutoff)


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def attributed_service[**P, R](service: Callable[P, R]) -> Callable[P, R]:
    """Attribute a service's changes to its ``actor`` keyword, and log a refusal
    (PermissionDenied) as a security event once the service's transaction has rolled back.

    Put it above ``@transaction.atomic``, so that the log line survives the rollback.
    """

    @functools.wraps(service)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        actor = kwargs.get("actor")
        # Outside a request (commands, tests) the audit trail would not know the actor.
        with acting_as(actor or current().actor, current().client_ip):
            try:
                return service(*args, **kwargs)
            except PermissionDenied as denied:
                security_event_log(
                    event="permission_denied",
                    actor=actor,
                    detail={"service": service.__name__, "reason": str(denied)},
                )
                raise

    return wrapper
