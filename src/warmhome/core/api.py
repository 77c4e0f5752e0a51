"""The core router: status of the caller's background jobs."""

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from warmhome.core.jobs import job_for_owner
from warmhome.core.models import Job

# From views_base rather than warmhome.api.scoping: core imports nothing above it.
from warmhome.core.views_base import scope_exempt

router = Router()


class JobOut(Schema):
    id: str
    label: str
    status: str
    status_label: str
    done: int
    total: int
    percent: int
    message: str
    result: dict[str, Any]
    finished: bool
    created_at: datetime.datetime
    updated_at: datetime.datetime


def job_out(job: Job) -> JobOut:
    return JobOut(
        id=str(job.pk),
        label=job.label,
        status=job.status,
        status_label=str(job.get_status_display()),
        done=job.done,
        total=job.total,
        percent=job.percent,
        message=job.message,
        result=job.result,
        finished=job.status in {Job.Status.SUCCEEDED, Job.Status.FAILED},
        created_at=job.created_at,
        updated_at=job.updated_at,
    )


@router.get("/jobs/{job_id}", response=JobOut, summary="后台任务进度")
@scope_exempt("owner-only: a job belongs to the user who started it")
def get_job(request: HttpRequest, job_id: str) -> JobOut:
    return job_out(job_for_owner(request.user, job_id))
