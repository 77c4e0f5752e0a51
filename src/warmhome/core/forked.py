"""A function run in a forked child process while this one goes on: the second core for the
large roster imports, whose work is otherwise one process's Python.

The child starts with a copy of this process's memory (caches, the actor, the rows), computes
one result, sends it back pickled through a pipe and ends. It never touches the connections it
inherited: a forked copy of a PostgreSQL or SQLite connection in use by the parent would corrupt
its session. It drops them and opens its own if it needs the database, so it sees what is
committed, not what the parent's open transaction holds — which is why ``fork_usable`` refuses
inside an outer transaction (a caller's, or a test's) and for an in-memory SQLite database.
"""

import contextlib
import gc
import os
import pickle
import select
import signal
from collections.abc import Callable
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections

#: the connections a child inherited: kept referenced so that collecting them never closes the
#: parent's sessions (closing a PostgreSQL connection sends a goodbye on the shared socket)
_inherited: list[Any] = []

#: how long a parent waits for a child's next bytes (a chunk of rows takes well under a second)
RESULT_SECONDS = 300.0


def fork_usable(alias: str = DEFAULT_DB_ALIAS) -> bool:
    """Can a forked child here see the data this process sees? (see the module's note)"""
    if not hasattr(os, "fork"):
        return False
    connection = connections[alias]
    if connection.in_atomic_block:
        return False
    name = str(connection.settings_dict["NAME"])
    in_memory = name == ":memory:" or "mode=memory" in name  # as Django's SQLite backend says
    return not (connection.vendor == "sqlite" and in_memory)


class ForkedCall:
    """A call running in a child process; ``result()`` waits for it."""

    def __init__(self, pid: int, reader: int) -> None:
        self.pid = pid
        self.reader = reader
        self.done = False

    def result(self, timeout: float = RESULT_SECONDS) -> Any:
        """The call's return value; its exception raised here if it raised one. A child that
        sends nothing for ``timeout`` seconds is stopped (a fork of a process with threads can
        hang on a lock another thread held) and this raises ChildProcessError."""
        self.done = True
        data = bytearray()
        try:
            while True:
                ready, _write, _error = select.select([self.reader], [], [], timeout)
                if not ready:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(self.pid, signal.SIGKILL)
                    raise ChildProcessError("the helper process sent no result in time")
                chunk = os.read(self.reader, 1 << 20)
                if not chunk:
                    break
                data += chunk
        finally:
            os.close(self.reader)
            _pid, status = os.waitpid(self.pid, 0)
        if not data:
            raise ChildProcessError(f"the helper process ended without a result ({status})")
        succeeded, value = pickle.loads(data)  # noqa: S301  (our own child's bytes)
        if not succeeded:
            raise value
        return value

    def abandon(self) -> None:
        """Stop the child (the parent gave up on the work) and reap it."""
        if self.done:
            return
        self.done = True
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        os.close(self.reader)
        os.waitpid(self.pid, 0)


def call_forked(function: Callable[..., Any], *args: Any) -> ForkedCall:
    """Start ``function(*args)`` in a forked child."""
    reader, writer = os.pipe()
    gc.freeze()  # a collection in the child would otherwise write to every object: copies
    pid = os.fork()
    if pid == 0:  # pragma: no cover  (the child: coverage does not follow it)
        gc.disable()
        _child(function, args, reader, writer)
    gc.unfreeze()
    os.close(writer)
    return ForkedCall(pid, reader)


def _child(function: Callable[..., Any], args: tuple[Any, ...], reader: int, writer: int) -> None:
    status = 1
    try:
        os.close(reader)
        for connection in connections.all(initialized_only=True):
            _inherited.append(connection)
            del connections[connection.alias]
        try:
            outcome: tuple[bool, Any] = (True, function(*args))
        except Exception as error:  # handed to the parent, which raises it
            outcome = (False, error)
        connections.close_all()  # its own, if it opened any
        try:
            data = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as error:  # an unpicklable result or exception: say what it was
            unpicklable = outcome[1] if not outcome[0] else error
            data = pickle.dumps((False, ChildProcessError(repr(unpicklable))))
        with os.fdopen(writer, "wb") as pipe:
            pipe.write(data)
        status = 0
    finally:
        # No interpreter shutdown: it would run the parent's atexit handlers and finalizers.
        os._exit(status)
