"""Work done in a forked child process while this one goes on: the second core for the large
roster imports, whose work is otherwise one process's Python.

The child starts with a copy of this process's memory (caches, the actor, the rows) and answers
the items it is sent, in order, each answer pickled back through a pipe. It never touches the
connections it inherited: a forked copy of a PostgreSQL or SQLite connection in use by the
parent would corrupt its session. It drops them and opens its own if it needs the database, so
it sees what is committed, not what the parent's open transaction holds — which is why
``fork_usable`` refuses inside an outer transaction (a caller's, or a test's) and for an
in-memory SQLite database.
"""

import contextlib
import gc
import os
import pickle
import select
import signal
import struct
from collections.abc import Callable
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections

#: the connections a child inherited: kept referenced so that collecting them never closes the
#: parent's sessions (closing a PostgreSQL connection sends a goodbye on the shared socket)
_inherited: list[Any] = []

#: how long a parent waits for a child's answer (a chunk of rows takes well under a second)
ANSWER_SECONDS = 300.0

_LENGTH = struct.Struct("!Q")


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


class Helper:
    """A forked child answering ``handler(item)`` for each item ``ask`` sends it, in order.

    ``answer`` waits for the next answer (the handler's exception is raised here). A child that
    does not answer within ``timeout`` seconds is stopped and ChildProcessError raised: a fork
    of a process with threads can hang on a lock another thread held.
    """

    def __init__(self, handler: Callable[[Any], Any]) -> None:
        to_child, self._to_child = os.pipe()
        self._from_child, from_child = os.pipe()
        gc.freeze()  # a collection in the child would otherwise write to every object: copies
        self.pid = os.fork()
        if self.pid == 0:  # pragma: no cover  (the child: coverage does not follow it)
            gc.disable()
            os.close(self._to_child)
            os.close(self._from_child)
            _serve(handler, to_child, from_child)
        gc.unfreeze()
        os.close(to_child)
        os.close(from_child)
        self.closed = False

    def ask(self, item: Any) -> None:
        _send(self._to_child, pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL))

    def answer(self, timeout: float = ANSWER_SECONDS) -> Any:
        data = _receive(self._from_child, timeout)
        if data is None:
            self.stop()
            raise ChildProcessError("the helper process gave no answer in time")
        if not data:
            self.stop()
            raise ChildProcessError("the helper process ended without an answer")
        succeeded, value = pickle.loads(data)  # noqa: S301  (our own child's bytes)
        if not succeeded:
            raise value
        return value

    def close(self) -> None:
        """Let the child end (it has nothing more to answer) and reap it."""
        if not self.closed:
            self.closed = True
            os.close(self._to_child)
            os.close(self._from_child)
            os.waitpid(self.pid, 0)

    def stop(self) -> None:
        """Stop the child at once (the parent gave up on the work) and reap it."""
        if not self.closed:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            self.close()

    def __enter__(self) -> "Helper":
        return self

    def __exit__(self, failed: object, *_details: object) -> None:
        self.stop() if failed else self.close()


def call_forked(function: Callable[..., Any], *args: Any) -> Helper:
    """Start ``function(*args)`` in a forked child; ``answer()`` gives its value."""
    helper = Helper(lambda _item: function(*args))
    helper.ask(None)
    return helper


def _serve(handler: Callable[[Any], Any], requests: int, answers: int) -> None:
    status, detached = 1, False
    try:
        for connection in connections.all(initialized_only=True):
            _inherited.append(connection)
            del connections[connection.alias]
        detached = True
        while (request := _receive(requests, None)) is not None and request:
            try:
                outcome: tuple[bool, Any] = (True, handler(pickle.loads(request)))  # noqa: S301
            except Exception as error:  # handed to the parent, which raises it
                outcome = (False, error)
            try:
                data = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
            except Exception as error:  # an unpicklable answer or exception: say what it was
                unpicklable = outcome[1] if not outcome[0] else error
                data = pickle.dumps((False, ChildProcessError(repr(unpicklable))))
            _send(answers, data)
        status = 0
    finally:
        if detached:
            connections.close_all()  # its own, if it opened any
        # No interpreter shutdown: it would run the parent's atexit handlers and finalizers.
        os._exit(status)


def _send(pipe: int, data: bytes) -> None:
    view = memoryview(_LENGTH.pack(len(data)) + data)
    while view:
        view = view[os.write(pipe, view) :]


def _receive(pipe: int, timeout: float | None) -> bytes | None:
    """The next message; b"" if the other end closed, None if nothing came within
    ``timeout`` seconds."""
    header = _read(pipe, _LENGTH.size, timeout)
    if not header:
        return header
    (length,) = _LENGTH.unpack(header)
    body = _read(pipe, length, timeout)
    return body if body is None or len(body) == length else b""


def _read(pipe: int, count: int, timeout: float | None) -> bytes | None:
    data = bytearray()
    while len(data) < count:
        ready, _write, _error = select.select([pipe], [], [], timeout)
        if not ready:
            return None
        chunk = os.read(pipe, min(count - len(data), 1 << 20))
        if not chunk:
            return b""
        data += chunk
    return bytes(data)
