"""Background jobs: work a user starts, that runs in the worker and reports its progress.

A job is a ``Job`` row (what the UI polls) plus a Django task that carries the job's id::

    @job_task
    def roster_import_task(progress: JobProgress, upload_id: int) -> dict[str, Any]:
        rows = ...
        for number, row in enumerate(rows, start=1):
            ...
            progress.update(number, len(rows), _("正在导入第 %(n)d 行") % {"n": number})
        return {"created": created}

    job = job_start(actor=request.user, task=roster_import_task, label=_("导入名册"),
                    args=[upload.pk])

The task body runs as the job's owner (audit lines name her). Raising ``JobError`` (or a Django
``ValidationError`` / ``PermissionDenied``) fails the job with that Chinese message; any other
exception fails it with a generic message and is logged.
"""

import functools
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Concatenate

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.tasks import Task, task
from django.utils import timezone
from django.utils.translation import gettext as _

from warmhome.core.models import Job
from warmhome.core.request_context import acting_as

logger = logging.getLogger(__name__)

JobResult = dict[str, Any]


class JobError(Exception):
    """A failure the job's owner should read as is (a Chinese sentence)."""


def _update(job_id: Any, **fields: Any) -> None:
    # Job is not an audited model: progress is bookkeeping, written often, by the worker.
    Job.objects.filter(pk=job_id).update(updated_at=timezone.now(), **fields)


@transaction.atomic
def job_start(
    *,
    actor: Any,
    task: Task[Any, Any],
    label: str,
    args: Sequence[Any] = (),
    kwargs: Mapping[str, Any] | None = None,
) -> Job:
    """Record a job for ``actor`` and enqueue ``task`` with its id once the transaction commits."""
    job = Job.objects.create(owner=actor, task_name=task.module_path, label=label[:200])
    job_id = str(job.pk)

    def enqueue() -> None:
        try:
            result = task.enqueue(job_id, *args, **dict(kwargs or {}))
        except Exception:
            logger.exception("Could not enqueue job %s (%s)", job_id, task.module_path)
            job_fail(job_id, _("任务未能排入队列，请稍后重试或联系系统管理员。"))
            raise
        Job.objects.filter(pk=job_id).update(task_result_id=str(result.id))

    transaction.on_commit(enqueue)
    return job


def job_progress(job_id: Any, done: int, total: int, message: str = "") -> None:
    """Report that ``done`` of ``total`` steps are done."""
    _update(
        job_id,
        status=Job.Status.RUNNING,
        done=max(0, done),
        total=max(0, total),
        message=message,
    )


def job_finish(job_id: Any, result: JobResult | None = None) -> None:
    """Mark the job done, keeping ``result`` (JSON) for the status page."""
    job = Job.objects.filter(pk=job_id).only("total").first()
    total = job.total if job is not None and job.total else 1
    _update(
        job_id,
        status=Job.Status.SUCCEEDED,
        done=total,
        total=total,
        message=_("已完成"),
        result=result or {},
    )


def job_fail(job_id: Any, message: str) -> None:
    """Mark the job failed with a message its owner can read."""
    _update(job_id, status=Job.Status.FAILED, message=message)


def job_for_owner(user: Any, job_id: Any) -> Job:
    """The job ``job_id`` if ``user`` started it; 404 alike when missing or someone else's."""
    if not getattr(user, "is_authenticated", False):
        raise Http404
    try:
        return Job.objects.get(pk=job_id, owner=user)
    except (Job.DoesNotExist, ValidationError, ValueError) as missing:
        raise Http404 from missing


class JobProgress:
    """Handed to a job's task function: reports progress, at most a few writes a second."""

    min_interval = 0.5

    def __init__(self, job_id: str, owner: Any = None) -> None:
        self.job_id = job_id
        #: the user who started the job (the task re-checks her permission with it)
        self.owner = owner
        self._last_write = 0.0

    def update(self, done: int, total: int, message: str | Callable[[], str] = "") -> None:
        """Report ``done`` of ``total``; ``message`` may be a function, called only when the
        report is written (a loop over 100,000 rows need not translate 100,000 messages)."""
        now = time.monotonic()
        if done < total and now - self._last_write < self.min_interval:
            return
        self._last_write = now
        job_progress(self.job_id, done, total, message() if callable(message) else message)


def failure_message(error: BaseException) -> str:
    """What the owner reads when a job fails."""
    if isinstance(error, JobError | PermissionDenied) and str(error):
        return str(error)
    if isinstance(error, ValidationError):
        return "；".join(str(message) for message in error.messages)
    return _("任务执行出错，请稍后重试；如仍出错请联系系统管理员。")


def job_task[**P](
    function: Callable[Concatenate[JobProgress, P], JobResult | None] | None = None,
    **task_options: Any,
) -> Any:
    """Make ``function(progress, *args, **kwargs)`` a Django task that runs a ``Job``.

    The task takes the job's id first; ``job_start`` passes it.
    """

    def wrap(body: Callable[Concatenate[JobProgress, P], JobResult | None]) -> Task[Any, Any]:
        @functools.wraps(body)
        def run(job_id: str, *args: P.args, **kwargs: P.kwargs) -> JobResult:
            job = Job.objects.select_related("owner").get(pk=job_id)
            job_progress(job_id, 0, job.total, _("正在处理"))
            try:
                with acting_as(job.owner):
                    result = body(JobProgress(job_id, job.owner), *args, **kwargs) or {}
            except BaseException as error:
                if not isinstance(error, JobError | ValidationError | PermissionDenied):
                    logger.exception("Job %s (%s) failed", job_id, job.task_name)
                job_fail(job_id, failure_message(error))
                raise
            job_finish(job_id, result)
            return result

        return task(**task_options)(run)

    if function is not None:
        return wrap(function)
    return wrap
