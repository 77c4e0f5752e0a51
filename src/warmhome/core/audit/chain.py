"""The hash chain: how an entry's hash is computed, and how entries are appended."""

import datetime
import hashlib
import hmac
import json
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from warmhome.core.bulk import insert_many
from warmhome.core.models import AuditChainHead, AuditEntry

GENESIS_HASH = "0" * 64

#: the fields covered by the hash, in order; changing this list invalidates every chain
HASHED_FIELDS = (
    "seq",
    "created_at",
    "actor_id",
    "actor_username",
    "client_ip",
    "kind",
    "event",
    "outcome",
    "model_label",
    "object_pk",
    "object_repr",
    "org_path",
    "before",
    "after",
    "detail",
)
_JSON_FIELDS = ("before", "after", "detail")
_TEXT_FIELDS = tuple(
    field.name
    for field in AuditEntry._meta.concrete_fields
    if isinstance(field, models.CharField) and field.name in HASHED_FIELDS
)


def _key() -> bytes:
    return settings.AUDIT_HMAC_KEY.encode()


def canonical(entry: AuditEntry) -> bytes:
    """The bytes an entry's hash covers, stable across databases and JSON key orders."""
    content: dict[str, Any] = {}
    for name in HASHED_FIELDS:
        value = getattr(entry, name)
        if name == "created_at":
            value = value.astimezone(datetime.UTC).isoformat(timespec="microseconds")
        content[name] = value
    return json.dumps(content, sort_keys=True, ensure_ascii=False, default=str).encode()


def compute_hash(prev_hash: str, entry: AuditEntry) -> str:
    return hmac.new(_key(), prev_hash.encode() + canonical(entry), hashlib.sha256).hexdigest()


def checkpoint_mac(first_seq: int, first_prev_hash: str) -> str:
    """Authenticates where the kept chain starts after pruning."""
    message = f"checkpoint:{first_seq}:{first_prev_hash}".encode()
    return hmac.new(_key(), message, hashlib.sha256).hexdigest()


#: text field → its max_length (``None``: unlimited)
_MAX_LENGTHS = {
    name: getattr(AuditEntry._meta.get_field(name), "max_length", None) for name in _TEXT_FIELDS
}


def _as_stored(entry: AuditEntry) -> None:
    """Give the entry the values the database will give back, so that the hash survives."""
    for name, max_length in _MAX_LENGTHS.items():
        value = getattr(entry, name)
        if value is None:
            setattr(entry, name, "")
        elif max_length is not None and len(str(value)) > max_length:
            setattr(entry, name, str(value)[:max_length])
    if entry.client_ip:
        entry.client_ip = AuditEntry._meta.get_field("client_ip").get_prep_value(entry.client_ip)
    for name in _JSON_FIELDS:
        value = getattr(entry, name)
        if value:  # None and {} come back as they are
            setattr(entry, name, json.loads(json.dumps(value, default=str)))


def append(**fields: Any) -> AuditEntry:
    """Append one entry at the head of the chain (locks the head row; gap-free under load)."""
    return append_many([fields])[0]


def append_many(rows: list[dict[str, Any]]) -> list[AuditEntry]:
    """Append entries in order under one lock of the head and one bulk insert (bulk writes:
    an import of thousands of rows would otherwise lock and update the head once per row)."""
    if not rows:
        return []
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        now = timezone.now()
        entries: list[AuditEntry] = []
        seq, prev_hash = head.last_seq, head.last_hash
        for fields in rows:
            seq += 1
            entry = AuditEntry(seq=seq, created_at=now, prev_hash=prev_hash, **fields)
            _as_stored(entry)
            entry.entry_hash = prev_hash = compute_hash(prev_hash, entry)
            entries.append(entry)
        if len(entries) == 1:
            entries[0].save(force_insert=True)
        else:
            insert_many(AuditEntry, entries)
        head.last_seq, head.last_hash = seq, prev_hash
        head.save(update_fields=["last_seq", "last_hash"])
    return entries
