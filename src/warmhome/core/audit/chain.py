"""The hash chain: how an entry's hash is computed, and how entries are appended."""

import datetime
import hashlib
import hmac
import json
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

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
    key = settings.AUDIT_HMAC_KEY.encode()
    return hmac.new(key, prev_hash.encode() + canonical(entry), hashlib.sha256).hexdigest()


def append(**fields: Any) -> AuditEntry:
    """Append one entry at the head of the chain (locks the head row; gap-free under load)."""
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        entry = AuditEntry(
            seq=head.last_seq + 1,
            created_at=timezone.now(),
            prev_hash=head.last_hash,
            **fields,
        )
        # JSON round trip so that what is hashed is exactly what the database gives back.
        for name in ("before", "after", "detail"):
            value = getattr(entry, name)
            if value is not None:
                setattr(entry, name, json.loads(json.dumps(value, default=str)))
        entry.entry_hash = compute_hash(entry.prev_hash, entry)
        entry.save(force_insert=True)
        head.last_seq = entry.seq
        head.last_hash = entry.entry_hash
        head.save(update_fields=["last_seq", "last_hash"])
    return entry
