"""A function run in a forked child: its value or its exception comes back, a lost child is an
error, and the database is refused where a child could not see what this process sees."""

import os
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from warmhome.core.forked import call_forked, fork_usable


def test_the_value_comes_back_from_the_child():
    call = call_forked(lambda rows: [row * 2 for row in rows] + [os.getpid()], [1, 2, 3])

    *doubled, child_pid = call.result()

    assert doubled == [2, 4, 6]
    assert child_pid not in {os.getpid(), 0}


def test_an_exception_in_the_child_is_raised_here_with_its_message():
    def refuse() -> None:
        raise ValidationError("第 3 行：身份证号校验位错误。")

    call = call_forked(refuse)

    with pytest.raises(ValidationError, match="身份证号校验位错误"):
        call.result()


def test_a_child_that_ends_without_a_result_is_an_error():
    call = call_forked(os._exit, 3)

    with pytest.raises(ChildProcessError, match="without a result"):
        call.result()


def test_a_child_silent_past_the_timeout_is_stopped_and_is_an_error():
    call = call_forked(time.sleep, 60)

    with pytest.raises(ChildProcessError, match="no result in time"):
        call.result(timeout=0.2)
    with pytest.raises(ChildProcessError):  # reaped
        os.waitpid(call.pid, 0)


def test_an_abandoned_child_is_stopped_and_reaped():
    call = call_forked(time.sleep, 60)
    started = time.monotonic()

    call.abandon()

    assert time.monotonic() - started < 10
    with pytest.raises(ChildProcessError):  # reaped: no such child any more
        os.waitpid(call.pid, 0)
    call.abandon()  # twice is harmless


@pytest.mark.django_db
def test_no_child_inside_a_transaction_it_could_not_see():
    with transaction.atomic():
        assert not fork_usable()


@pytest.mark.django_db(transaction=True)
def test_a_child_outside_transactions_only_on_a_database_it_can_open():
    in_memory = connection.vendor == "sqlite" and connection.is_in_memory_db()

    assert fork_usable() is not in_memory
