"""``warmhome serve`` runs the web server and the worker together and stops both on Ctrl-C."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def children_of(pid: int) -> list[int]:
    found = []
    for status in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = status.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(status.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def get_status(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (local http)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


@pytest.fixture
def serve_env(tmp_path: Path, migrated_copy: Callable[[Path], Path]) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "WARMHOME_", "PYTEST_")) and key != "DATABASE_URL"
    }
    env["DATABASE_URL"] = f"sqlite:///{migrated_copy(tmp_path / 'serve.sqlite3')}"
    env["WARMHOME_VAR_DIR"] = str(tmp_path)
    return env


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def start_serve(env: dict[str, str]) -> tuple[subprocess.Popen[str], int]:
    port = free_port()
    serve = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "warmhome", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/accounts/login/"
    deadline = time.monotonic() + 30
    while get_status(url) != 200:
        if serve.poll() is not None or time.monotonic() > deadline:
            serve.kill()
            output, _ = serve.communicate()
            pytest.fail(f"the login page did not answer within 30 s:\n{output}")
        time.sleep(0.2)
    return serve, port


def stop(serve: subprocess.Popen[str]) -> None:
    if serve.poll() is None:
        serve.kill()
        serve.wait()


pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads child processes from /proc")


def test_serve_answers_the_login_page_and_ctrl_c_stops_web_server_and_worker(
    serve_env: dict[str, str],
) -> None:
    serve, port = start_serve(serve_env)
    try:
        children = children_of(serve.pid)
        assert len(children) == 2, children  # gunicorn and the worker

        serve.send_signal(signal.SIGINT)
        output, _ = serve.communicate(timeout=30)
    finally:
        stop(serve)

    assert serve.returncode == 0, output
    assert f"http://127.0.0.1:{port}/" in output
    assert not [pid for pid in children if alive(pid)]


def test_when_the_worker_dies_serve_stops_the_web_server_and_fails(
    serve_env: dict[str, str],
) -> None:
    serve, port = start_serve(serve_env)
    try:
        children = children_of(serve.pid)
        (worker,) = [pid for pid in children if "gunicorn" not in cmdline(pid)]

        os.kill(worker, signal.SIGKILL)
        output, _ = serve.communicate(timeout=30)
    finally:
        stop(serve)

    assert serve.returncode != 0
    assert "后台任务意外退出" in output
    assert not [pid for pid in children if alive(pid)]
    assert get_status(f"http://127.0.0.1:{port}/accounts/login/") is None
