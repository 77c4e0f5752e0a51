"""Demo data loaders: each app registers its own, ``warmhome demo load`` runs them in order.

A loader is idempotent and returns whether it created anything; it runs with no acting user, so
the audit trail records the demo as the system's.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DemoLoader:
    key: str
    order: int
    load: Callable[[], bool]


_loaders: dict[str, DemoLoader] = {}


def register(key: str, load: Callable[[], bool], *, order: int = 100) -> None:
    """Add an app's demo loader; lower ``order`` runs first (organisations before persons)."""
    _loaders[key] = DemoLoader(key=key, order=order, load=load)


def loaders() -> list[DemoLoader]:
    return sorted(_loaders.values(), key=lambda loader: (loader.order, loader.key))
