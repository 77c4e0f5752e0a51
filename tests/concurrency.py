"""Running the same work from several threads at once (PostgreSQL concurrency tests)."""

import threading
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection


def all_at_once(count: int, work: Callable[[], Any]) -> tuple[int, list[str]]:
    """Start ``work`` in ``count`` threads released together; how many succeeded, and the
    messages of the ValidationErrors the others raised."""
    barrier = threading.Barrier(count)
    wins: list[int] = []
    refusals: list[str] = []

    def worker() -> None:
        try:
            barrier.wait()
            work()
            wins.append(1)
        except ValidationError as problem:
            refusals.extend(problem.messages)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _number in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(wins), refusals
