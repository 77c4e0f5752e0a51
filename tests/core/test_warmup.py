"""Warm-ups: run once in the background when a web process starts."""

import logging

import pytest

from warmhome.core import gunicorn_hooks, warmup
from warmhome.core.management.commands.serve import _web_command


def test_registered_warm_ups_run_in_a_background_thread_and_one_failing_stops_none(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    ran: list[str] = []

    def broken() -> None:
        raise RuntimeError("no model")

    def fine() -> None:
        ran.append("fine")

    monkeypatch.setattr(warmup, "_registered", [])
    warmup.register(broken)
    warmup.register(fine)
    warmup.register(fine)  # once is enough

    with caplog.at_level(logging.ERROR, logger="warmhome.core.warmup"):
        thread = warmup.start()
        assert thread is not None
        thread.join(timeout=10)

    assert ran == ["fine"]
    assert "broken" in caplog.text


def test_nothing_is_started_without_warm_ups(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(warmup, "_registered", [])

    assert warmup.start() is None


def test_each_gunicorn_worker_starts_the_warm_ups(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[bool] = []
    monkeypatch.setattr(warmup, "start", lambda: started.append(True))

    gunicorn_hooks.post_worker_init(worker=None)

    assert started == [True]
    assert "python:warmhome.core.gunicorn_hooks" in _web_command("127.0.0.1", 8000, 2)


def test_the_setting_turns_the_warm_ups_off(monkeypatch: pytest.MonkeyPatch, settings) -> None:
    ran: list[bool] = []
    monkeypatch.setattr(warmup, "_registered", [lambda: ran.append(True)])
    settings.WARMUP_ON_START = False

    assert warmup.start() is None
    assert ran == []
