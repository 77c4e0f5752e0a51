"""Walking the hash chain to prove that no entry was altered, removed or slipped in.

The entries and the chain head are read by one SQL statement (the head as scalar subqueries), so
both come from the same snapshot even while the application keeps appending, and the rows stream
through a chunked iterator: memory stays flat for millions of entries.
"""

from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Subquery

from warmhome.core.audit.chain import GENESIS_HASH, checkpoint_mac, compute_hash
from warmhome.core.models import AuditChainHead, AuditEntry

CHUNK_SIZE = 2000


class Problem:
    """What can be wrong with the chain (the word the command prints)."""

    ALTERED = "altered"
    MISSING = "missing"
    INSERTED = "inserted"
    HEAD = "head"
    CHECKPOINT = "checkpoint"


@dataclass(frozen=True, slots=True)
class Verdict:
    ok: bool
    verified: int
    problem: str = ""
    seq: int | None = None
    entry_id: int | None = None
    message: str = ""


@dataclass(frozen=True, slots=True)
class _Head:
    exists: bool
    last_seq: int = 0
    last_hash: str = GENESIS_HASH
    first_seq: int = 1
    first_prev_hash: str = GENESIS_HASH
    checkpoint_mac: str = ""


_HEAD_FIELDS = ("last_seq", "last_hash", "first_seq", "first_prev_hash", "checkpoint_mac")


def _head_from_row(row: Any) -> _Head:
    if getattr(row, "head_last_seq", None) is None:
        return _Head(exists=False)
    return _Head(True, *(getattr(row, f"head_{name}") for name in _HEAD_FIELDS))


def _read_head() -> _Head:
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is None:
        return _Head(exists=False)
    return _Head(True, *(getattr(head, name) for name in _HEAD_FIELDS))


def _checkpoint_problem(head: _Head) -> Verdict | None:
    if head.first_seq == 1 and head.first_prev_hash == GENESIS_HASH:
        return None
    if head.checkpoint_mac != checkpoint_mac(head.first_seq, head.first_prev_hash):
        return Verdict(
            ok=False,
            verified=0,
            problem=Problem.CHECKPOINT,
            seq=head.first_seq,
            message="the pruning checkpoint in the chain head is not authentic",
        )
    return None


class _Walk:
    """The state of one walk along the chain."""

    def __init__(self, head: _Head) -> None:
        self.head = head
        self.expected_seq = head.first_seq
        self.expected_prev = head.first_prev_hash
        self.verified = 0
        self.last: AuditEntry | None = None

    def broken(self, problem: str, entry: AuditEntry | None, message: str) -> Verdict:
        return Verdict(
            ok=False,
            verified=self.verified,
            problem=problem,
            seq=entry.seq if entry is not None else self.expected_seq,
            entry_id=entry.pk if entry is not None else None,
            message=message,
        )

    def step(self, entry: AuditEntry) -> Verdict | None:
        if entry.seq < self.expected_seq:
            return self.broken(
                Problem.INSERTED,
                entry,
                f"entry seq {entry.seq} lies before the start of the chain "
                f"(seq {self.head.first_seq})",
            )
        if entry.seq > self.expected_seq:
            gap = _span(self.expected_seq, entry.seq - 1)
            return self.broken(
                Problem.MISSING, entry, f"entry seq {gap} is missing (deleted) before this entry"
            )
        if entry.prev_hash != self.expected_prev:
            return self.broken(
                Problem.INSERTED,
                entry,
                f"prev_hash does not link to entry seq {entry.seq - 1}: an entry was inserted, "
                "removed or reordered here",
            )
        if compute_hash(entry.prev_hash, entry) != entry.entry_hash:
            return self._bad_hash(entry)
        self.verified += 1
        self.expected_seq += 1
        self.expected_prev = entry.entry_hash
        self.last = entry
        return None

    def _bad_hash(self, entry: AuditEntry) -> Verdict:
        # Whether the rest of the chain still points at this entry's stored hash tells an entry
        # whose content was edited from one that was put in the place of the original.
        successor = AuditEntry.objects.filter(seq__gt=entry.seq).order_by("seq").first()
        if successor is not None:
            linked = successor.prev_hash == entry.entry_hash
        else:
            linked = self.head.last_seq == entry.seq and self.head.last_hash == entry.entry_hash
        if linked:
            return self.broken(
                Problem.ALTERED, entry, "the content does not match its hash: altered"
            )
        if entry.seq > self.head.last_seq:
            return self.broken(
                Problem.INSERTED,
                entry,
                f"the entry lies beyond the chain head (seq {self.head.last_seq}) and its hash "
                "is not authentic: inserted",
            )
        return self.broken(
            Problem.INSERTED,
            entry,
            "the hash is not authentic and the next entry does not link to it: "
            "inserted or replaced",
        )

    def finish(self) -> Verdict:
        head = self.head
        last_seq = self.last.seq if self.last is not None else head.first_seq - 1
        last_hash = self.last.entry_hash if self.last is not None else head.first_prev_hash
        if not head.exists:
            if self.last is None:
                return Verdict(ok=True, verified=0)
            return self.broken(Problem.HEAD, self.last, "the chain head row is missing")
        if head.last_seq > last_seq:
            return self.broken(
                Problem.MISSING,
                None,
                f"entry seq {_span(last_seq + 1, head.last_seq)} is missing (deleted) at the "
                "end of the chain",
            )
        if head.last_seq < last_seq or head.last_hash != last_hash:
            return self.broken(
                Problem.HEAD,
                self.last,
                f"the chain head (seq {head.last_seq}) does not match the last entry "
                f"(seq {last_seq})",
            )
        return Verdict(ok=True, verified=self.verified)


def _span(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}–{last}"


def _entries_with_head() -> Any:
    head = AuditChainHead.objects.filter(pk=1)
    annotations = {f"head_{name}": Subquery(head.values(name)[:1]) for name in _HEAD_FIELDS}
    return AuditEntry.objects.order_by("seq").annotate(**annotations)


def verify_chain(chunk_size: int = CHUNK_SIZE) -> Verdict:
    """Walk the chain from its checkpoint to its head; stop at the first broken entry."""
    # PostgreSQL: a transaction lets the iterator use a plain server-side cursor. SQLite opens
    # no transaction: one statement already reads one snapshot, and an IMMEDIATE transaction
    # would hold the write lock for the whole walk.
    if connection.vendor == "postgresql":
        with transaction.atomic():
            return _walk(chunk_size)
    return _walk(chunk_size)


def _walk(chunk_size: int) -> Verdict:
    walk: _Walk | None = None
    for entry in _entries_with_head().iterator(chunk_size=chunk_size):
        if walk is None:
            head = _head_from_row(entry)
            walk = _Walk(head)
            if head.exists and (bad := _checkpoint_problem(head)) is not None:
                return bad
        verdict = walk.step(entry)
        if verdict is not None:
            return verdict
    if walk is None:
        head = _read_head()
        if (bad := _checkpoint_problem(head)) is not None:
            return bad
        walk = _Walk(head)
    return walk.finish()
