"""Daily jobs run once a day across processes, and a failed one is taken up again."""

import datetime

import pytest
from django.core.management import call_command

from warmhome.core import daily
from warmhome.core.models import DailyRun

DAY = datetime.date(2026, 11, 30)


@pytest.fixture
def jobs(monkeypatch):
    monkeypatch.setattr(daily, "_jobs", {})
    return daily


def test_a_job_runs_once_a_day(db, jobs):
    calls = []
    jobs.register("count", lambda: calls.append(1) or [1, 2, 3])

    assert jobs.run_due(DAY) == ["count"]
    assert jobs.run_due(DAY) == []
    assert jobs.run_due(DAY + datetime.timedelta(days=1)) == ["count"]

    assert len(calls) == 2
    run = DailyRun.objects.get(name="count", day=DAY)
    assert (run.outcome, run.detail) == ("done", "3")
    assert run.finished_at is not None


def test_a_failing_job_is_recorded_and_retried_without_stopping_the_others(db, jobs):
    attempts = []

    def flaky():
        attempts.append(1)
        if len(attempts) == 1:
            raise RuntimeError("database away")
        return 0

    jobs.register("a_flaky", flaky)
    jobs.register("b_steady", lambda: None)

    assert jobs.run_due(DAY) == ["a_flaky", "b_steady"]
    failed = DailyRun.objects.get(name="a_flaky")
    assert failed.outcome == "failed"
    assert "database away" in failed.detail

    assert jobs.run_due(DAY) == ["a_flaky"]
    assert DailyRun.objects.get(name="a_flaky").outcome == "done"


def test_a_job_that_another_process_holds_is_skipped(db, jobs):
    jobs.register("busy", lambda: None)
    DailyRun.objects.create(name="busy", day=DAY, started_at=datetime.datetime.now(datetime.UTC))

    assert jobs.run_due(DAY) == []


def test_the_escalation_of_overdue_requests_is_a_daily_job(db):
    assert "rights.escalate_overdue_requests" in daily.registered()


def test_the_command_runs_what_is_due(db, jobs, capsys):
    jobs.register("hello", lambda: None)

    call_command("daily")
    call_command("daily")

    output = capsys.readouterr().out
    assert "hello" in output
    assert DailyRun.objects.filter(name="hello").count() == 1
