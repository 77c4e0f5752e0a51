"""The hash chain: how an entry's hash is computed, and how entries are appended."""

import datetime
import decimal
import functools
import hashlib
import hmac
import json
from typing import Any

from django.conf import settings
from django.db import connections, models, router, transaction
from django.utils import timezone

from warmhome.core.bulk import insert_fields, insert_prepared
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
    return _canonical({name: getattr(entry, name) for name in HASHED_FIELDS})


def _canonical(values: dict[str, Any]) -> bytes:
    content = {name: values[name] for name in HASHED_FIELDS}
    content["created_at"] = (
        values["created_at"].astimezone(datetime.UTC).isoformat(timespec="microseconds")
    )
    return json.dumps(content, sort_keys=True, ensure_ascii=False, default=str).encode()


#: the hashed fields in the order ``_canonical`` writes them, each with its key's text
_CANONICAL_KEYS = tuple((name, json.dumps(name) + ": ") for name in sorted(HASHED_FIELDS))
#: the string encoder ``json.dumps(..., ensure_ascii=False)`` uses
_encode_text = json.encoder.encode_basestring


def _canonical_from(values: dict[str, Any], texts: dict[str, str | None]) -> bytes:
    """``_canonical(values)``, the same bytes, from the JSON columns' texts already written
    (``_Stored.values``): the append encodes each snapshot once instead of twice."""
    parts = []
    for name, key in _CANONICAL_KEYS:
        if name in texts:
            text = texts[name] or "null"
        elif name == "created_at":
            text = _encode_text(
                values[name].astimezone(datetime.UTC).isoformat(timespec="microseconds")
            )
        else:
            text = _scalar_text(values[name])
        parts.append(key + text)
    return ("{" + ", ".join(parts) + "}").encode()


def _scalar_text(value: Any) -> str:
    if type(value) is str:
        return _encode_text(value)
    if type(value) is int:
        return int.__repr__(value)
    if value is None:
        return "null"
    return json.dumps(value, ensure_ascii=False, default=str)


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


def append(**fields: Any) -> AuditEntry:
    """Append one entry at the head of the chain (locks the head row; gap-free under load)."""
    ((pk, values),) = _append_rows([fields])
    entry = AuditEntry(pk=pk, **values)
    entry._state.adding = False
    return entry


def append_many(rows: list[dict[str, Any]]) -> None:
    """Append entries in order under one lock of the head and one bulk insert (bulk writes:
    an import of thousands of rows would otherwise lock and update the head once per row)."""
    _append_rows(rows)


def _append_rows(rows: list[dict[str, Any]]) -> list[tuple[Any, dict[str, Any]]]:
    """Append the entries, each chained to the one before; their keys and stored values.

    Built without model instances and with plain statements around the insert: every
    audited write pays for this, and the ORM's save and ``get_or_create`` cost several times
    the SQL itself (1.8 ms a single entry on SQLite before, on a slow core).
    """
    if not rows:
        return []
    connection = connections[router.db_for_write(AuditEntry)]
    # No savepoint inside a caller's transaction: if the entry cannot be written, the change it
    # records must not be committed either.
    with transaction.atomic(using=connection.alias, savepoint=False):
        seq, prev_hash = _locked_head(connection)
        stored = _Stored(timezone.now())
        key = _key()
        entries: list[dict[str, Any]] = []
        db_rows: list[list[Any]] = []
        for fields in rows:
            seq += 1
            values, texts = stored.values(fields)
            values["seq"], values["prev_hash"] = seq, prev_hash
            message = prev_hash.encode() + _canonical_from(values, texts)
            values["entry_hash"] = prev_hash = hmac.digest(key, message, "sha256").hex()
            entries.append(values)
            db_rows.append(stored.db_row(values, texts))
        # The head moves in the insert's round trip (PostgreSQL: one statement).
        _select, head_update = _head_sql(connection.alias)
        keys = insert_prepared(AuditEntry, db_rows, along=(head_update, [seq, prev_hash]))
    return list(zip(keys, entries, strict=True))


@functools.cache
def _head_sql(alias: str) -> tuple[str, str]:
    """The head's locking read and its update, for the database ``alias``."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    key, seq, last = (quote(_head_column(name)) for name in ("id", "last_seq", "last_hash"))
    table = quote(AuditChainHead._meta.db_table)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    return (
        f"SELECT {seq}, {last} FROM {table} WHERE {key} = 1{lock}",  # noqa: S608
        f"UPDATE {table} SET {seq} = %s, {last} = %s WHERE {key} = 1",  # noqa: S608
    )


def _head_column(name: str) -> str:
    field = AuditChainHead._meta.get_field(name)
    assert isinstance(field, models.Field)  # noqa: S101  (concrete fields)
    return str(field.column)


def _locked_head(connection: Any) -> tuple[int, str]:
    """The head's last number and hash, its row locked until the transaction ends."""
    select, _update = _head_sql(connection.alias)
    with connection.cursor() as cursor:
        cursor.execute(select)
        row = cursor.fetchone()
    if row is None:  # the first entry ever: create the row (concurrent creators: one wins)
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        return head.last_seq, head.last_hash
    return int(row[0]), str(row[1])


#: the types a JSON value may hold at its top level for its hash to be taken as it is: the
#: canonical form (``default=str``) and a JSON round trip then give the same text (exact types:
#: anything else takes the round trip)
_FLAT_TYPES = frozenset(
    (str, int, float, bool, type(None), datetime.date, datetime.datetime, decimal.Decimal)
)


class _Stored:
    """An entry's values as the database will give them back (what its hash covers), and its
    database row."""

    def __init__(self, now: datetime.datetime) -> None:
        self.fields = insert_fields(AuditEntry)
        self.by_name = {field.attname: field for field in self.fields}
        self.defaults = {field.attname: field.get_default() for field in self.fields}
        self.now = now
        self.connection = connections[router.db_for_write(AuditEntry)]
        self._prepared: dict[tuple[str, Any, bool], Any] = {}

    def values(self, fields: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str | None]]:
        """The entry's values as the database will give them back, and its JSON columns'
        text (each as the entry's canonical form writes it)."""
        unknown = fields.keys() - self.defaults.keys()
        if unknown:
            raise TypeError(f"AuditEntry has no fields {sorted(unknown)}")
        values = {**self.defaults, **fields, "created_at": self.now}
        for name, max_length in _MAX_LENGTHS.items():
            value = values[name]
            if value is None:
                values[name] = ""
            elif type(value) is not str or (max_length is not None and len(value) > max_length):
                # the text a database stores for a str subclass (a choice) is its content
                text = str.__str__(value) if isinstance(value, str) else str(value)
                values[name] = text[:max_length]
        if values["client_ip"]:
            values["client_ip"] = self._prepare("client_ip", values["client_ip"], prep=True)
        texts: dict[str, str | None] = {}
        for name in _JSON_FIELDS:
            value = values[name]
            if value is None:
                texts[name] = None
                continue
            if value and not _flat(value):
                value = values[name] = json.loads(json.dumps(value, default=str))
            texts[name] = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
        return values, texts

    def db_row(self, values: dict[str, Any], texts: dict[str, str | None]) -> list[Any]:
        row: list[Any] = []
        for field in self.fields:
            name = field.attname
            if name in texts:
                row.append(texts[name])
            elif name in ("created_at", "client_ip"):
                row.append(self._prepare(name, values[name]))
            else:
                row.append(values[name])
        return row

    def _prepare(self, name: str, value: Any, *, prep: bool = False) -> Any:
        # The time and the address are the same for a whole batch: converted once.
        cache_key = (name, value, prep)
        if cache_key not in self._prepared:
            field = self.by_name[name]
            self._prepared[cache_key] = (
                field.get_prep_value(value)
                if prep
                else field.get_db_prep_save(value, self.connection)
            )
        return self._prepared[cache_key]


def _flat(value: Any) -> bool:
    """A dict of str keys and scalar values: taken as it is (see ``_FLAT_TYPES``)."""
    return (
        type(value) is dict
        and all(type(key) is str for key in value)
        and _FLAT_TYPES.issuperset(map(type, value.values()))
    )
