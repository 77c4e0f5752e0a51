"""``warmhome serve``: the web server (gunicorn) and the background worker, supervised together.

Both run as child processes in process groups of their own, so that Ctrl-C reaches them once,
through this supervisor, which forwards it and waits. If either child dies, the other is stopped
and the command fails: a platform with a dead worker must not look healthy.
"""

import signal
import socket
import subprocess
import sys
import time
from types import FrameType
from typing import Any

from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

#: how long the children get to stop after a forwarded signal before they are killed
STOP_TIMEOUT_SECONDS = 20
#: how long to wait for the web server to listen before printing the address anyway
START_TIMEOUT_SECONDS = 30


class Command(BaseCommand):
    help = "启动网站服务（gunicorn）和后台任务进程，Ctrl-C 同时停止二者。"
    requires_system_checks = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000, help="监听端口（默认 8000）")
        parser.add_argument(
            "--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1，仅本机可访问）"
        )
        parser.add_argument("--workers", type=int, default=2, help="gunicorn 工作进程数（默认 2）")

    def handle(self, *args: Any, **options: Any) -> None:
        host: str = options["host"]
        port: int = options["port"]
        children: dict[str, subprocess.Popen[bytes]] = {}
        stopping: list[int] = []

        def forward(signum: int, frame: FrameType | None) -> None:
            stopping.append(signum)
            _signal_all(children.values(), signum)

        # Before spawning, so that a Ctrl-C during start-up is not lost.
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, forward)
        children[_("网站服务")] = _spawn(_web_command(host, port, options["workers"]))
        children[_("后台任务")] = _spawn(_worker_command())
        if stopping:
            _signal_all(children.values(), stopping[0])
        elif _wait_until_listening(host, port, children.values()):
            self._print_banner(host, port)

        dead = _wait_for_first_exit(children, stopping)
        if dead is not None:
            message = _("%(name)s意外退出（退出码 %(code)s），正在停止其他进程。")
            self.stderr.write(message % {"name": dead[0], "code": dead[1]})
            _signal_all(children.values(), signal.SIGTERM)
        _wait_all(children.values())
        if dead is not None:
            raise CommandError(_("服务已停止：%(name)s意外退出。") % {"name": dead[0]})
        self.stdout.write(_("已停止。"))

    def _print_banner(self, host: str, port: int) -> None:
        shown_host = "127.0.0.1" if host in {"0.0.0.0", "::"} else host  # noqa: S104
        address = f"http://{shown_host}:{port}/"
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(_("温馨家园已启动：%(url)s") % {"url": address}))
        # The demo command lives in orgs, which core may not import: ask for it by name.
        if "demo" in get_commands():
            call_command("demo", "logins", stdout=self.stdout)
        self.stdout.write(_("按 Ctrl-C 停止。"))
        self.stdout.flush()


def _web_command(host: str, port: int, workers: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "warmhome.wsgi:application",
        "--config",
        "python:warmhome.core.gunicorn_hooks",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--access-logfile",
        "-",
        "--graceful-timeout",
        "10",
        # No control socket: it lives in $HOME and two servers on one machine would fight over it.
        "--no-control-socket",
    ]


def _worker_command() -> list[str]:
    # The project's own worker command when present; django-tasks-db's otherwise.
    name = "worker" if "worker" in get_commands() else "db_worker"
    return [sys.executable, "-m", "warmhome", name]


def _spawn(command: list[str]) -> subprocess.Popen[bytes]:
    # A process group of its own: the terminal's Ctrl-C goes to the supervisor only, which
    # forwards it exactly once.
    return subprocess.Popen(command, process_group=0)  # noqa: S603 (our own interpreter)


def _signal_all(children: Any, signum: int) -> None:
    for child in children:
        if child.poll() is None:
            child.send_signal(signum)


def _wait_until_listening(host: str, port: int, children: Any) -> bool:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    probe_host = "127.0.0.1" if host in {"0.0.0.0", ""} else host  # noqa: S104
    while time.monotonic() < deadline:
        if any(child.poll() is not None for child in children):
            return False
        try:
            with socket.create_connection((probe_host, port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.2)
    return True


def _wait_for_first_exit(
    children: dict[str, subprocess.Popen[bytes]], stopping: list[int]
) -> tuple[str, int] | None:
    """Block until a stop was requested (None) or a child exited by itself (its name, code)."""
    while not stopping:
        for name, child in children.items():
            code = child.poll()
            if code is not None and not stopping:
                return name, code
        time.sleep(0.2)
    return None


def _wait_all(children: Any) -> None:
    deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
    for child in children:
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
