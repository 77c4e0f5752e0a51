"""Background jobs: run through the task framework, report progress, and show it to the owner."""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django_tasks_db.models import DBTaskResult

from tests.conftest import Personas
from warmhome.core.audit.guard import audit_delete_permitted
from warmhome.core.jobs import JobError, JobProgress, job_start, job_task
from warmhome.core.models import AuditEntry, Job
from warmhome.core.tasks import audit_verify_task

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}


@job_task
def count_to_task(progress: JobProgress, total: int) -> dict[str, Any]:
    for number in range(1, total + 1):
        progress.update(number, total, f"第 {number} 步")
    return {"counted": total, "summary": f"数到了 {total}。"}


@job_task
def refused_task(progress: JobProgress) -> None:
    raise JobError("第 3 行的身份证号校验位不对，未导入任何数据。")


@job_task
def invalid_task(progress: JobProgress) -> None:
    raise ValidationError({"phone": ["手机号应为 11 位数字。"]})


@job_task
def crashing_task(progress: JobProgress) -> None:
    raise RuntimeError("secret internals")


@pytest.fixture
def immediate_tasks(settings) -> None:
    settings.TASKS = IMMEDIATE


def start(actor: Any, task: Any, *args: Any, capture: Any) -> Job:
    with capture(execute=True):
        job = job_start(actor=actor, task=task, label="测试任务", args=list(args))
    job.refresh_from_db()
    return job


def test_job_runs_to_success_with_full_progress(
    personas: Personas, immediate_tasks: None, django_capture_on_commit_callbacks
):
    job = start(
        personas.street_a_cadre, count_to_task, 5, capture=django_capture_on_commit_callbacks
    )

    assert job.status == Job.Status.SUCCEEDED
    assert job.percent == 100
    assert (job.done, job.total) == (5, 5)
    assert job.result == {"counted": 5, "summary": "数到了 5。"}
    assert job.task_result_id
    assert job.task_name == "tests.core.test_jobs.count_to_task"


def test_job_is_not_enqueued_before_its_transaction_commits(
    personas: Personas, immediate_tasks: None, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = job_start(actor=personas.street_a_cadre, task=count_to_task, label="x", args=[2])

    assert len(callbacks) == 1
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED


def test_job_refused_by_its_task_fails_with_that_chinese_message(
    personas: Personas, immediate_tasks: None, django_capture_on_commit_callbacks
):
    job = start(personas.street_a_cadre, refused_task, capture=django_capture_on_commit_callbacks)

    assert job.status == Job.Status.FAILED
    assert job.message == "第 3 行的身份证号校验位不对，未导入任何数据。"


def test_job_failing_validation_reports_the_validation_message(
    personas: Personas, immediate_tasks: None, django_capture_on_commit_callbacks
):
    job = start(personas.street_a_cadre, invalid_task, capture=django_capture_on_commit_callbacks)

    assert job.status == Job.Status.FAILED
    assert job.message == "手机号应为 11 位数字。"


def test_crashing_job_fails_with_a_generic_message_and_keeps_internals_in_the_log(
    personas: Personas, immediate_tasks: None, django_capture_on_commit_callbacks, caplog
):
    job = start(personas.street_a_cadre, crashing_task, capture=django_capture_on_commit_callbacks)

    assert job.status == Job.Status.FAILED
    assert "secret internals" not in job.message
    assert job.message.startswith("任务执行出错")
    assert "secret internals" in caplog.text


# The worker closes connections that are not in autocommit mode, as it must in production; on
# PostgreSQL a test transaction would be one of them.
@pytest.mark.django_db(transaction=True)
def test_database_worker_runs_an_enqueued_job(personas: Personas, settings):
    settings.TASKS = DATABASE
    job = job_start(actor=personas.street_a_cadre, task=count_to_task, label="数数", args=[3])
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED
    assert DBTaskResult.objects.filter(id=job.task_result_id, status="READY").exists()

    call_command("worker", batch=True, no_startup_delay=True, verbosity=0)

    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.percent == 100
    assert job.result["counted"] == 3
    assert DBTaskResult.objects.get(id=job.task_result_id).status == "SUCCESSFUL"


# --- the real task: verifying the audit trail ------------------------------------------------


def test_audit_administrator_verifies_the_trail_in_the_background(
    personas: Personas, immediate_tasks: None, django_capture_on_commit_callbacks
):
    client = Client()
    client.force_login(personas.audit_admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/work/jobs/audit-verify/")

    job = Job.objects.get(owner=personas.audit_admin)
    assert response.status_code == 302
    assert response["Location"] == f"/work/jobs/{job.pk}/"
    assert job.status == Job.Status.SUCCEEDED
    assert job.result["ok"] is True
    assert "哈希链完整" in job.result["summary"]
    page = client.get(response["Location"])
    assert "哈希链完整" in page.content.decode()
    assert AuditEntry.objects.filter(event="audit_verify", outcome="success").exists()


def test_audit_verification_fails_the_job_naming_where_an_entry_was_deleted(
    personas: Personas, immediate_tasks: None, django_capture_on_commit_callbacks
):
    victim = AuditEntry.objects.order_by("seq")[2]
    with transaction.atomic(), audit_delete_permitted():
        AuditEntry.objects.filter(pk=victim.pk).delete()

    job = start(personas.audit_admin, audit_verify_task, capture=django_capture_on_commit_callbacks)

    assert job.status == Job.Status.FAILED
    assert f"第 {victim.seq + 1} 条审计记录处发现：记录缺失（被删除）" in job.message
    assert AuditEntry.objects.filter(event="audit_verify", outcome="failure").exists()


def test_street_cadre_may_not_start_an_audit_verification(personas: Personas, client: Client):
    client.force_login(personas.street_a_cadre)

    response = client.post("/work/jobs/audit-verify/")

    assert response.status_code == 403
    assert not Job.objects.exists()
    assert AuditEntry.objects.filter(event="permission_denied", actor_username="street_a").exists()


# --- the status page and the API -------------------------------------------------------------


def queued_job(owner: Any) -> Job:
    return Job.objects.create(owner=owner, task_name="x", label="导入名册", total=10, done=4)


def test_owner_sees_a_polling_progress_bar_while_the_job_runs(personas: Personas, client: Client):
    job = queued_job(personas.street_a_cadre)
    client.force_login(personas.street_a_cadre)

    page = client.get(f"/work/jobs/{job.pk}/")
    fragment = client.get(f"/work/jobs/{job.pk}/", headers={"HX-Request": "true"})

    assert page.status_code == 200
    assert "导入名册" in page.content.decode()
    html = fragment.content.decode()
    assert 'hx-trigger="every 2s"' in html
    assert 'value="40"' in html
    assert "<html" not in html, "htmx gets the partial only"


def test_finished_job_stops_polling(personas: Personas, client: Client):
    job = queued_job(personas.street_a_cadre)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.SUCCEEDED, done=10)
    client.force_login(personas.street_a_cadre)

    html = client.get(f"/work/jobs/{job.pk}/", headers={"HX-Request": "true"}).content.decode()

    assert "hx-trigger" not in html
    assert 'value="100"' in html


def test_someone_elses_job_answers_404(personas: Personas, client: Client):
    job = queued_job(personas.street_a_cadre)
    client.force_login(personas.street_b_cadre)

    assert client.get(f"/work/jobs/{job.pk}/").status_code == 404
    api = client.get(f"/api/core/jobs/{job.pk}")
    assert api.status_code == 404
    assert api.json() == {"detail": "未找到该记录，或您无权查看。"}


def test_owner_reads_job_progress_from_the_api(personas: Personas, client: Client):
    job = queued_job(personas.street_a_cadre)
    client.force_login(personas.street_a_cadre)

    response = client.get(f"/api/core/jobs/{job.pk}")

    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["percent"], body["finished"]) == ("queued", 40, False)
    assert body["status_label"] == "排队中"


def test_malformed_job_id_answers_404_in_the_api(personas: Personas, client: Client):
    client.force_login(personas.street_a_cadre)

    response = client.get("/api/core/jobs/not-a-uuid")

    assert response.status_code == 404
    assert response.json() == {"detail": "未找到该记录，或您无权查看。"}


# --- the worker process ----------------------------------------------------------------------


@pytest.fixture
def worker_env(tmp_path: Path, migrated_copy: Callable[[Path], Path]) -> dict[str, str]:
    """A migrated SQLite file of its own for worker processes (the test database is in memory)."""
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{migrated_copy(tmp_path / 'worker.sqlite3')}",
        "WARMHOME_VAR_DIR": str(tmp_path),
    }


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_worker_process_exits_cleanly_on_a_signal(worker_env: dict[str, str], signum: int):
    worker = subprocess.Popen(
        [sys.executable, "-m", "warmhome", "worker", "--no-startup-delay", "--interval", "0.2"],
        env=worker_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert worker.stdout is not None
        started = worker.stdout.readline()
        assert "Starting worker" in started, started
        time.sleep(0.3)
        worker.send_signal(signum)
        code = worker.wait(timeout=20)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert code == 0
