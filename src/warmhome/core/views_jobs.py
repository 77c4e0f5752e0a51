"""Background jobs in the workbench: the status page (polled by htmx) and starting a job."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from warmhome.core.audit.services import security_event_log
from warmhome.core.jobs import job_for_owner
from warmhome.core.models import Job
from warmhome.core.tasks import AUDIT_VERIFY_ACTION, audit_verify_start
from warmhome.core.views_base import scope_exempt


@scope_exempt("owner-only: a job belongs to the user who started it")
@login_required
def job_detail(request: HttpRequest, job_id: str) -> HttpResponse:
    job = job_for_owner(request.user, job_id)
    template = "core/job_detail.html"
    if getattr(request, "htmx", False):
        template += "#progress"
    running = job.status in {Job.Status.QUEUED, Job.Status.RUNNING}
    return render(request, template, {"job": job, "running": running})


@scope_exempt("the whole audit trail, for holders of audit.view (checked by the service)")
@login_required
@require_POST
def job_audit_verify(request: HttpRequest) -> HttpResponse:
    try:
        job = audit_verify_start(actor=request.user)
    except PermissionDenied:
        security_event_log(
            event="permission_denied",
            actor=request.user,
            detail={"path": request.path, "action": AUDIT_VERIFY_ACTION},
        )
        raise
    return redirect("core:job_detail", job_id=job.pk)
