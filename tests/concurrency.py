"""Running work from several threads at once (PostgreSQL concurrency tests)."""

import threading
from collections.abc import Callable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection


def each_at_once(works: Sequence[Callable[[], Any]]) -> tuple[list[Any], list[str]]:
    """Start each of ``works`` in its own thread, all released together; what the successful
    ones returned, and the messages of the ValidationErrors the others raised."""
    barrier = threading.Barrier(len(works))
    results: list[Any] = []
    refusals: list[str] = []

    def run(work: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results.append(work())
        except ValidationError as problem:
            refusals.extend(problem.messages)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(work,)) for work in works]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, refusals


def all_at_once(count: int, work: Callable[[], Any]) -> tuple[int, list[str]]:
    """``work`` in ``count`` threads at once: how many succeeded, and the others' refusals."""
    results, refusals = each_at_once([work] * count)
    return len(results), refusals
