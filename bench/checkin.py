"""Check-in throughput of the production web server, as ``make run`` starts it (gunicorn).

    .venv/bin/python bench/checkin.py                                   # SQLite, temporary
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_checkin \\
        .venv/bin/python bench/checkin.py --requests 6000 --concurrency 16

What is timed is what the phones at the venue send: the public check-in form of the QR link
(``POST /activities/<code>/check-in/``, name + mobile + the page's form token, with Django's CSRF
check), each request for another signed-up resident, so every one records an attendance (and
its audit entry). ``--endpoint api`` times ``POST /api/activities/check-in`` with a bearer token
instead.

The scratch database is made like ``bench/people_data.py`` does (PostgreSQL names must start
with ``bench``; dropped at the end unless ``--keep``): one community, one activity under way,
``--requests`` + ``--warmup`` guest sign-ups written with ``bulk_create`` (benchmark data only).
The per-address limit of the public forms (``activities.public_requests_per_minute``) is raised
in the scratch policy table: every request comes from 127.0.0.1. Then gunicorn is started with
the same command line as ``warmhome serve`` (``--workers 2`` by default, access log on), and a
thread pool of ``--concurrency`` keep-alive-less HTTP clients (``http.client``) runs on the same
2-core machine, so the load generator takes its share of the CPU. Prints requests/s and latency
percentiles and checks that every request checked one person in exactly once.

``--client wrk`` (the default when Debian's ``wrk`` is installed) drives the same requests from
wrk for ``--duration`` seconds instead (a Lua script numbers the residents; one thread, the
same connections), which costs the shared cores a fraction of what the Python threads cost, so
the figure says more about the server. Either way the run ends with the CPU time per request of
the gunicorn workers, of PostgreSQL's backends and of the load generator (read from ``/proc``),
which compares across machines and minutes better than requests per second. ``--runs N`` runs
wrk N times against the same server and prints the median too: the host's speed for this
workload swings by a quarter within minutes.
"""

import argparse
import datetime
import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from cpu import cpu_seconds

HOST = "127.0.0.1"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def data_load(count: int) -> tuple[Any, str]:
    """One activity under way with ``count`` guest sign-ups; returns it and an API token."""
    from django.utils import timezone

    from warmhome.accounts.models import Post, Role, User
    from warmhome.accounts.services import roles_ensure_defaults
    from warmhome.accounts.tokens import api_token_issue
    from warmhome.activities.models import Activity, ActivityKind, SignUp
    from warmhome.activities.services import activity_create
    from warmhome.orgs.models import OrgKind
    from warmhome.orgs.services import orgunit_create
    from warmhome.rules.models import Policy

    roles_ensure_defaults()
    district = orgunit_create(actor=None, parent=None, kind=OrgKind.DISTRICT, name="基准区")
    street = orgunit_create(actor=None, parent=district, kind=OrgKind.STREET, name="基准街道")
    unit = orgunit_create(actor=None, parent=street, kind=OrgKind.COMMUNITY, name="基准社区")
    now = timezone.now()
    activity = activity_create(
        actor=None,
        org=unit,
        kind=ActivityKind.objects.get(code="volunteer_service"),
        title="签到基准活动",
        venue="基准社区广场",
        starts_at=now - datetime.timedelta(minutes=10),
        ends_at=now + datetime.timedelta(hours=3),
    )
    Activity.objects.filter(pk=activity.pk).update(state="under_way")  # benchmark data only
    SignUp.objects.bulk_create(
        [
            SignUp(
                org=unit,
                activity=activity,
                guest_name=f"签到{index}",
                guest_phone=f"139{index:08d}",
                status="confirmed",
                channel="self",
            )
            for index in range(count)
        ],
        batch_size=2000,
    )
    Policy.objects.create(
        key="activities.public_requests_per_minute",
        value=10**9,
        valid_from=timezone.localdate() - datetime.timedelta(days=1),
        basis="benchmark: every request comes from one address",
    )
    user = User.objects.create(username="bench_checkin", display_name="基准")
    Post.objects.create(user=user, org=unit, role=Role.objects.get(code="community_cadre"))
    _record, token = api_token_issue(actor=user, user=user, name="bench", expires_at=None)
    activity.refresh_from_db()
    return activity, token


def server_start(port: int, workers: int) -> subprocess.Popen[bytes]:
    """gunicorn with the command line of ``warmhome serve`` (core/management/commands/serve)."""
    from warmhome.core.management.commands.serve import _web_command

    server = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        _web_command(HOST, port, workers), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((HOST, port), timeout=0.5):
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    sys.exit("gunicorn did not start listening within 30 s")


def _request(port: int, method: str, path: str, body: bytes, headers: dict[str, str]) -> Any:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read(), response.getheader("Set-Cookie", "")
    finally:
        connection.close()


def _page_form(port: int, activity: Any) -> tuple[str, dict[str, str], dict[str, str]]:
    """Open the check-in page as a phone does: its path, the form's hidden fields, and the
    headers a POST of it needs (CSRF cookie and referer)."""
    from warmhome.activities.tokens import qr_token

    path = f"/activities/{activity.public_code}/check-in/"
    query = urlencode({"t": qr_token(activity.public_code)})
    status, html, cookie = _request(port, "GET", f"{path}?{query}", b"", {})
    text = html.decode()
    form_token = re.search(r'name="f" value="([^"]+)"', text)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)
    csrf_cookie = re.search(r"csrftoken=([^;]+)", cookie)
    if status != 200 or not (form_token and csrf and csrf_cookie):
        sys.exit(f"could not open the check-in page ({status})")
    fields = {"csrfmiddlewaretoken": csrf.group(1), "f": form_token.group(1)}
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"csrftoken={csrf_cookie.group(1)}",
        "Referer": f"http://{HOST}:{port}{path}",
    }
    return path, fields, headers


def page_client(port: int, activity: Any) -> Any:
    """A function sending one check-in through the public form, as a phone does."""
    path, fields, headers = _page_form(port, activity)

    def send(index: int) -> tuple[int, bool]:
        body = urlencode({**fields, "name": f"签到{index}", "phone": f"139{index:08d}"}).encode()
        code, content, _cookie = _request(port, "POST", path, body, headers)
        return code, "checkin-result" in content.decode()

    return send


def api_client(port: int, activity: Any, token: str) -> Any:
    from warmhome.activities.tokens import qr_token

    qr = qr_token(activity.public_code)
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}

    def send(index: int) -> tuple[int, bool]:
        body = json.dumps({"token": qr, "name": f"签到{index}", "phone": f"139{index:08d}"})
        code, content, _cookie = _request(
            port, "POST", "/api/activities/check-in", body.encode(), headers
        )
        return code, code == 200 and b"checked_in" in content

    return send


def load_run(send: Any, indexes: range, concurrency: int) -> tuple[float, list[float], int]:
    latencies: list[float] = []
    failures = 0
    lock = threading.Lock()

    def one(index: int) -> None:
        nonlocal failures
        started = time.perf_counter()
        code, ok = send(index)
        elapsed = time.perf_counter() - started
        with lock:
            latencies.append(elapsed)
            if code != 200 or not ok:
                failures += 1

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(one, indexes))
    return time.perf_counter() - started, latencies, failures


#: wrk's Lua script: POST the check-in form (``page``) or the API (``api``) for resident 1, 2 …
#: (offset by the warm-up), and count the answers that are not a recorded check-in
_WRK_SCRIPT = """
counter = {first}
bad = 0
wrk.method = "POST"
{headers}
request = function()
  counter = counter + 1
  local phone = "139" .. string.format("%08d", counter)
  return wrk.format(nil, "{path}", nil, {body})
end
response = function(status, headers, body)
  if status ~= 200 or not string.find(body, "{ok_marker}", 1, true) then bad = bad + 1 end
end
local threads = {{}}
setup = function(thread) table.insert(threads, thread) end
done = function(summary, latency, requests)
  local failed = 0
  for _, thread in ipairs(threads) do failed = failed + thread:get("bad") end
  io.write(string.format("RESULT %d %d %d %d %d\\n", summary.requests, failed,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


def wrk_script(port: int, activity: Any, token: str, endpoint: str, first: int) -> str:
    """The Lua script for ``wrk_run``: the same requests as ``page_client``/``api_client``."""
    from warmhome.activities.tokens import qr_token

    name = "%E7%AD%BE%E5%88%B0"  # 签到, URL-encoded: the guests are 签到0, 签到1 …
    if endpoint == "api":
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
        qr = qr_token(activity.public_code)
        body = (
            f'\'{{"token": "{qr}", "name": "\\\\u7b7e\\\\u5230\' .. counter .. '
            '\'", "phone": "\' .. phone .. \'"}\''
        )
        return _WRK_SCRIPT.format(
            first=first,
            headers=_lua_headers(headers),
            path="/api/activities/check-in",
            body=body,
            ok_marker="checked_in",
        )
    path, fields, headers = _page_form(port, activity)
    prefix = urlencode(fields)
    body = f'"{prefix}&name={name}" .. counter .. "&phone=" .. phone'
    return _WRK_SCRIPT.format(
        first=first,
        headers=_lua_headers(headers),
        path=path,
        body=body,
        ok_marker="checkin-result",
    )


def _lua_headers(headers: dict[str, str]) -> str:
    return "\n".join(f'wrk.headers["{key}"] = "{value}"' for key, value in headers.items())


def wrk_run(
    script: str, port: int, seconds: int, concurrency: int
) -> tuple[float, int, int, list[float]]:
    """Seconds, requests answered, failures and latency percentiles (50, 95, 99; ms) of a wrk
    run of ``script``."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        started = time.perf_counter()
        output = subprocess.run(  # noqa: S603 - Debian's wrk, our own arguments
            [
                shutil.which("wrk") or "wrk",
                "-t1",
                f"-c{concurrency}",
                f"-d{seconds}s",
                "-s",
                handle.name,
                f"http://{HOST}:{port}/",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        elapsed = time.perf_counter() - started
    finally:
        os.unlink(handle.name)
    found = re.search(r"RESULT (\d+) (\d+) (\d+) (\d+) (\d+)", output)
    if found is None:
        sys.exit(f"wrk printed no result:\n{output}")
    answered, failed, *microseconds = (int(value) for value in found.groups())
    return elapsed, answered, failed, [value / 1000 for value in microseconds]


class CpuMeter:
    """CPU time per request of the gunicorn workers, the PostgreSQL server and the load
    generator (this process's threads, or wrk: a child that has ended by ``stop``)."""

    def __init__(self, server: subprocess.Popen[bytes]) -> None:
        parent = str(server.pid)
        self.parts = {
            "gunicorn workers": lambda command, values: values[1] == parent,
            "PostgreSQL": lambda command, values: command == "postgres",
        }
        self.before: dict[str, float] = {}

    @staticmethod
    def _generator() -> tuple[float, float]:
        times = os.times()
        return time.process_time(), times.children_user + times.children_system

    def start(self) -> None:
        self.before = {name: cpu_seconds(part) for name, part in self.parts.items()}
        self.generator = self._generator()

    def stop(self, requests: int, *, client: str) -> str:
        spent = {name: cpu_seconds(part) - self.before[name] for name, part in self.parts.items()}
        own, children = self._generator()
        spent[client] = (
            own - self.generator[0] if client == "python" else children - self.generator[1]
        )
        per_request = "; ".join(
            f"{name} {seconds / requests * 1000:.2f}" for name, seconds in spent.items()
        )
        return (
            f"CPU ms per request: {per_request}; total {sum(spent.values()) / requests * 1000:.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=3000, help="Python client: how many")
    parser.add_argument("--duration", type=int, default=20, help="wrk: seconds")
    parser.add_argument(
        "--runs", type=int, default=1, help="wrk: runs against the same server (the host varies)"
    )
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (make run: 2)")
    parser.add_argument("--endpoint", choices=("page", "api"), default="page")
    parser.add_argument(
        "--client",
        choices=("auto", "wrk", "python"),
        default="auto",
        help="load generator (auto: wrk when installed)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    client = args.client
    if client == "auto":
        client = "wrk" if shutil.which("wrk") else "python"

    import people_data

    people_data.setup()
    server = None
    try:
        from warmhome.activities.models import Attendance

        # wrk runs for a time, not a count: enough residents for 1,000 requests a second
        guests = args.requests if client == "python" else 1000 * args.duration * args.runs
        activity, token = data_load(args.warmup + guests)
        port = _free_port()
        server = server_start(port, args.workers)
        if args.endpoint == "page":
            send = page_client(port, activity)
        else:
            send = api_client(port, activity, token)
        load_run(send, range(args.warmup), args.concurrency)
        runs = 1 if client == "python" else args.runs
        answered_in_all, failures_in_all, rates = 0, 0, []
        first = args.warmup - 1
        for _run in range(runs):
            meter = CpuMeter(server)
            meter.start()
            if client == "python":
                measured = range(args.warmup, args.warmup + args.requests)
                seconds, latencies, failures = load_run(send, measured, args.concurrency)
                answered = args.requests
                latencies.sort()
                median, p95, p99 = (
                    latencies[min(len(latencies) - 1, int(share * len(latencies)))] * 1000
                    for share in (0.5, 0.95, 0.99)
                )
            else:
                script = wrk_script(port, activity, token, args.endpoint, first=first)
                seconds, answered, failures, (median, p95, p99) = wrk_run(
                    script, port, args.duration, args.concurrency
                )
                # wrk stops with requests in flight, which took the residents after these
                first += answered + args.concurrency
            cpu = meter.stop(answered, client=client)
            answered_in_all += answered
            failures_in_all += failures
            rates.append(answered / seconds)
            print(
                f"{people_data.engine_name()}, {args.endpoint}, gunicorn --workers "
                f"{args.workers}, {client}, {args.concurrency} clients: {answered} check-ins in "
                f"{seconds:.2f}s = {answered / seconds:,.0f} requests/s; latency median "
                f"{median:.0f} ms, p95 {p95:.0f} ms, p99 {p99:.0f} ms; failures {failures}"
            )
            print(cpu)
        recorded = Attendance.objects.filter(activity=activity).count() - args.warmup
        # wrk stops with requests in flight: the server may finish those after it stopped
        slack = 0 if client == "python" else args.concurrency * runs
        if runs > 1:
            print(f"median of {runs} runs: {statistics.median(rates):,.0f} requests/s")
        print(
            f"attendances {recorded} (expected {answered_in_all}"
            f"{f' + ≤ {slack}' if slack else ''}); failures {failures_in_all}"
        )
        loads = " ".join(f"{load:.2f}" for load in os.getloadavg())
        print(f"load average {loads}")
        if failures_in_all or not answered_in_all <= recorded <= answered_in_all + slack:
            sys.exit(1)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=20)
        if not args.keep:
            people_data.database_drop()


if __name__ == "__main__":
    here = Path(__file__).resolve().parent
    sys.path.insert(0, str(here.parent))
    sys.path.insert(0, str(here))
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
