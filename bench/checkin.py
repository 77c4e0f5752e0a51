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
"""

import argparse
import datetime
import http.client
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

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


def page_client(port: int, activity: Any) -> Any:
    """A function sending one check-in through the public form, as a phone does."""
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
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"csrftoken={csrf_cookie.group(1)}",
        "Referer": f"http://{HOST}:{port}{path}",
    }

    def send(index: int) -> tuple[int, bool]:
        body = urlencode(
            {
                "csrfmiddlewaretoken": csrf.group(1),
                "f": form_token.group(1),
                "name": f"签到{index}",
                "phone": f"139{index:08d}",
            }
        ).encode()
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (make run: 2)")
    parser.add_argument("--endpoint", choices=("page", "api"), default="page")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    import people_data

    people_data.setup()
    server = None
    try:
        from warmhome.activities.models import Attendance

        activity, token = data_load(args.warmup + args.requests)
        port = _free_port()
        server = server_start(port, args.workers)
        if args.endpoint == "page":
            send = page_client(port, activity)
        else:
            send = api_client(port, activity, token)
        load_run(send, range(args.warmup), args.concurrency)
        measured = range(args.warmup, args.warmup + args.requests)
        seconds, latencies, failures = load_run(send, measured, args.concurrency)
        recorded = Attendance.objects.filter(activity=activity).count()
        latencies.sort()

        def percentile(share: float) -> float:
            return latencies[min(len(latencies) - 1, int(share * len(latencies)))] * 1000

        print(
            f"{people_data.engine_name()}, {args.endpoint}, gunicorn --workers {args.workers}, "
            f"{args.concurrency} clients: {args.requests} check-ins in {seconds:.2f}s = "
            f"{args.requests / seconds:,.0f} requests/s; latency median "
            f"{statistics.median(latencies) * 1000:.0f} ms, p95 {percentile(0.95):.0f} ms, "
            f"p99 {percentile(0.99):.0f} ms; failures {failures}; "
            f"attendances {recorded} (expected {args.warmup + args.requests})"
        )
        if failures or recorded != args.warmup + args.requests:
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
