"""Who is acting, and from where: set per request by the middleware, or by a command.

The audit trail reads it, so that services need not pass the actor to every save.
"""

import contextlib
import ipaddress
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings


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
    """The client's address: REMOTE_ADDR, or, when that is a trusted proxy (nginx), the nearest
    address in X-Forwarded-For that is not one of our proxies. Anything a client could forge
    (entries left of the first untrusted one, malformed values) is never believed."""
    remote = _valid_ip(request.META.get("REMOTE_ADDR", ""))
    trusted = set(settings.WARMHOME_TRUSTED_PROXIES)
    if remote is None or remote not in trusted:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed([part.strip() for part in forwarded.split(",") if part.strip()]):
        address = _valid_ip(hop)
        if address is None:
            return remote
        if address not in trusted:
            return address
    return remote


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None
