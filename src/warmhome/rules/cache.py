"""A per-process cache of a small, rarely written table that stays right across processes.

Reads are served from memory. Every ``ttl`` seconds the cache compares the table's version —
(row count, latest ``updated_at``) — with the one its data was loaded at, and drops everything
when it moved: a write in another process shows here within ``ttl`` seconds, deletions included
(the count falls). A write in this process drops the cache at once (the models' save and delete
signals call ``written``), and until the writing transaction ends this thread reads the database
directly, so it sees its own uncommitted change and never caches it: a rolled-back write (a failed
service, the end of a test) can thus never linger in memory.
"""

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.db import models, transaction
from django.db.models import Count, Max

T = TypeVar("T")


class VersionedCache:
    def __init__(self, model: type[models.Model], *, ttl: float = 5.0) -> None:
        self._model = model
        self._ttl = ttl
        self._lock = threading.Lock()
        self._data: dict[Hashable, Any] = {}
        self._version: tuple[Any, ...] | None = None
        self._checked_at = float("-inf")
        self._writing = threading.local()

    def get(self, key: Hashable, load: Callable[[], T]) -> T:
        """The cached value of ``key``, computing it with ``load`` (a database read) if needed."""
        if self._write_pending():
            return load()
        version = self._revalidate()
        with self._lock:
            if key in self._data:
                return self._data[key]  # type: ignore[no-any-return]
        value = load()
        with self._lock:
            if self._version == version:
                self._data[key] = value
        return value

    def revalidate(self) -> None:
        """Compare the table's version now, and restart the clock of the next comparison."""
        with self._lock:
            self._checked_at = float("-inf")
        self._revalidate()

    def clear(self) -> None:
        with self._lock:
            self._data = {}
            self._version = None
            self._checked_at = float("-inf")

    def written(self, **_: Any) -> None:
        """The table changed in this thread: forget everything, bypass until the commit."""
        self.clear()
        connection = transaction.get_connection()
        if connection.in_atomic_block:
            self._writing.atomic = connection.atomic_blocks[0]
            transaction.on_commit(self._committed)

    def _committed(self) -> None:
        self._writing.atomic = None
        self.clear()

    def _write_pending(self) -> bool:
        atomic = getattr(self._writing, "atomic", None)
        if atomic is None:
            return False
        connection = transaction.get_connection()
        if connection.in_atomic_block and connection.atomic_blocks[0] is atomic:
            return True
        # The writing transaction ended without a commit callback: it was rolled back.
        self._writing.atomic = None
        self.clear()
        return False

    def _revalidate(self) -> tuple[Any, ...] | None:
        now = time.monotonic()
        with self._lock:
            if now - self._checked_at < self._ttl:
                return self._version
        stats = self._model._default_manager.aggregate(rows=Count("pk"), last=Max("updated_at"))
        version = (stats["rows"], stats["last"])
        with self._lock:
            if version != self._version:
                self._data = {}
                self._version = version
            self._checked_at = now
            return self._version
