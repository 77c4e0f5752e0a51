"""Who is acting, and from where: set per request by the middleware, or by a command.

The audit trail reads it, so that services need not pass the actor to every save.
"""

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class ActingContext:
    actor: Any = None
    client_ip: str | None = None


NOBODY = ActingContext()
_current: ContextVar[ActingContext] = ContextVar("warmhome_acting", default=NOBODY)


def current() -> ActingContext:
    return _current.get()


@contextlib.contextmanager
def acting_as(actor: Any, client_ip: str | None = None) -> Iterator[ActingContext]:
    """Attribute everything written inside the block to ``actor``."""
    context = ActingContext(actor=actor, client_ip=client_ip)
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)


def set_actor(actor: Any, client_ip: str | None = None) -> None:
    """Name the actor for the rest of the current context (token authentication, inside a
    request whose context the middleware opened and will close)."""
    _current.set(ActingContext(actor=actor, client_ip=client_ip or current().client_ip))


def client_ip_of(request: Any) -> str | None:
    # REMOTE_ADDR only: behind nginx, configure it to pass the real address (docs/deployment.md).
    return request.META.get("REMOTE_ADDR") or None
