"""Daily work: jobs that apps register to run once a day (escalating overdue items, …).

An app registers ``register("rights.escalate", function)`` in its ``AppConfig.ready``. The
worker (``warmhome worker``) calls ``run_due`` when it starts and every ``TICK_SECONDS`` after;
``warmhome daily`` does the same once, for deployments that prefer cron. Each job runs at most
once a local day, across every process: the first to insert the day's ``DailyRun`` row runs it.
A job that fails leaves a ``failed`` row, which the next tick takes up again.
"""

import datetime
import logging
import traceback
from collections.abc import Callable, Sized
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from warmhome.core.models import DailyRun
from warmhome.core.request_context import acting_as

logger = logging.getLogger(__name__)

#: how often the worker looks for due daily jobs
TICK_SECONDS = 600


@dataclass(frozen=True)
class DailyJob:
    name: str
    function: Callable[[], object]


_jobs: dict[str, DailyJob] = {}


def register(name: str, function: Callable[[], object]) -> None:
    """Run ``function`` (no arguments, as the system) once a day."""
    _jobs[name] = DailyJob(name=name, function=function)


def registered() -> list[str]:
    return sorted(_jobs)


def run_due(today: datetime.date | None = None) -> list[str]:
    """Run every job not yet run (or failed) today; returns the names of those that ran."""
    day = today or timezone.localdate()
    ran = []
    for name in registered():
        if _claim(name, day):
            _run(_jobs[name], day)
            ran.append(name)
    return ran


def _claim(name: str, day: datetime.date) -> bool:
    now = timezone.now()
    retried = DailyRun.objects.filter(name=name, day=day, outcome=DailyRun.Outcome.FAILED).update(
        outcome=DailyRun.Outcome.RUNNING, started_at=now, finished_at=None
    )
    if retried:
        return True
    try:
        with transaction.atomic():
            DailyRun.objects.create(name=name, day=day, started_at=now)
    except IntegrityError:
        return False  # ran today already, or another process runs it now
    return True


def _summary(result: object) -> str:
    # A job returns what it did: a count, or the records it made (their number is kept).
    if result is None:
        return ""
    if isinstance(result, Sized) and not isinstance(result, str):
        return str(len(result))
    return str(result)[:2000]


def _run(job: DailyJob, day: datetime.date) -> None:
    try:
        with acting_as(None), transaction.atomic():
            result = job.function()
    except Exception:
        logger.exception("daily job %s failed", job.name)
        outcome, detail = DailyRun.Outcome.FAILED, traceback.format_exc()[-2000:]
    else:
        outcome, detail = DailyRun.Outcome.DONE, _summary(result)
    DailyRun.objects.filter(name=job.name, day=day).update(
        outcome=outcome, detail=detail, finished_at=timezone.now()
    )
