"""The PostgreSQL backend's health check: no round trip for a healthy connection, a fresh
connection after the server dropped the old one."""

import time

import pytest
from django.db import connection, connections

from tests.core.audit_tamper import postgres_only_reason

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason=postgres_only_reason),
    pytest.mark.django_db(transaction=True),
]


def _backend_pid() -> int:
    connection.ensure_connection()
    return int(connection.connection.info.backend_pid)


def _from_another_connection(sql: str, params: list) -> object:
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()[0]
    finally:
        other.close()


def test_a_healthy_kept_connection_is_found_usable_without_asking_the_server() -> None:
    pid = _backend_pid()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 'the last statement before the check'")

    assert connection.is_usable()

    last = _from_another_connection("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid])
    assert last == "SELECT 'the last statement before the check'"


def test_a_connection_the_server_dropped_is_replaced_before_the_next_request_uses_it() -> None:
    pid = _backend_pid()
    assert _from_another_connection("SELECT pg_terminate_backend(%s)", [pid]) is True

    deadline = time.monotonic() + 5
    while connection.is_usable() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not connection.is_usable()

    connection.health_check_done = False  # as at the start of a request
    connection.close_if_health_check_failed()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
    assert _backend_pid() != pid
