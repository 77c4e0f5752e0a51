"""Work in a forked child: answers come back in order, an exception comes back, a silent or
lost child is an error, and no child where it could not see what this process sees."""

import os
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from warmhome.core.forked import Helper, call_forked, fork_usable


def test_the_value_comes_back_from_the_child():
    with call_forked(lambda rows: [row * 2 for row in rows] + [os.getpid()], [1, 2, 3]) as call:
        *doubled, child_pid = call.answer()

    assert doubled == [2, 4, 6]
    assert child_pid not in {os.getpid(), 0}


def test_a_helper_answers_each_item_in_order_and_keeps_its_own_state():
    seen: list[int] = []

    def handler(item: int) -> list[int]:
        seen.append(item)  # the child's copy of the list
        return list(seen)

    with Helper(handler) as helper:
        answers = []
        for item in (1, 2, 3):
            helper.ask(item)
            answers.append(helper.answer())

    assert answers == [[1], [1, 2], [1, 2, 3]]
    assert seen == []  # this process's list is untouched
    with pytest.raises(ChildProcessError):  # ended and reaped
        os.waitpid(helper.pid, 0)


def test_an_exception_in_the_child_is_raised_here_with_its_message():
    def refuse() -> None:
        raise ValidationError("第 3 行：身份证号校验位错误。")

    with call_forked(refuse) as call, pytest.raises(ValidationError, match="身份证号校验位错误"):
        call.answer()


def test_a_child_that_ends_without_an_answer_is_an_error():
    call = call_forked(os._exit, 3)

    with pytest.raises(ChildProcessError, match="without an answer"):
        call.answer()


def test_a_child_silent_past_the_timeout_is_stopped_and_is_an_error():
    call = call_forked(time.sleep, 60)

    with pytest.raises(ChildProcessError, match="no answer in time"):
        call.answer(timeout=0.2)
    with pytest.raises(ChildProcessError):  # reaped
        os.waitpid(call.pid, 0)


def test_a_stopped_child_is_killed_and_reaped():
    call = call_forked(time.sleep, 60)
    started = time.monotonic()

    call.stop()

    assert time.monotonic() - started < 10
    with pytest.raises(ChildProcessError):
        os.waitpid(call.pid, 0)
    call.stop()  # twice is harmless


@pytest.mark.django_db
def test_no_child_inside_a_transaction_it_could_not_see():
    with transaction.atomic():
        assert not fork_usable()


@pytest.mark.django_db(transaction=True)
def test_a_child_outside_transactions_only_on_a_database_it_can_open():
    in_memory = connection.vendor == "sqlite" and connection.is_in_memory_db()

    assert fork_usable() is not in_memory
