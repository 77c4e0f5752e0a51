"""Work a web process does once, in the background, right after it starts, so that the first
request does not wait for it: a model to load, a dictionary to initialise.

An app registers a function in its ``ready()``; ``warmhome serve`` has gunicorn start them in each
worker once the application is loaded (``core.gunicorn_hooks``). A warm-up runs beside the
first requests, so it only fills caches those requests would otherwise fill themselves (under
their own locks); it may read the database, and its thread's connections are closed after.
"""

import logging
import threading
from collections.abc import Callable

from django.conf import settings
from django.db import connections

logger = logging.getLogger(__name__)

_registered: list[Callable[[], object]] = []


def register(function: Callable[[], object]) -> None:
    """Run ``function`` when a web process starts (an app's ``ready()`` calls this)."""
    if function not in _registered:
        _registered.append(function)


def start() -> threading.Thread | None:
    """Run the registered warm-ups in a background thread (unless the ``WARMUP_ON_START``
    setting is off); the thread, if any."""
    if not _registered or not settings.WARMUP_ON_START:
        return None
    thread = threading.Thread(target=run, name="warmhome-warmup", daemon=True)
    thread.start()
    return thread


def run() -> None:
    """Run every registered warm-up in turn; a failure is logged and leaves the work to the
    first request that needs it."""
    try:
        for function in list(_registered):
            try:
                function()
            except Exception:
                logger.exception("Warm-up %s failed", getattr(function, "__qualname__", function))
    finally:
        connections.close_all()
