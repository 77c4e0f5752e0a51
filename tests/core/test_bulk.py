"""The bulk insert helpers: one row unless its unique value is taken."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from warmhome.core.bulk import insert_unless_conflict
from warmhome.rules.models import CalendarDay

pytestmark = pytest.mark.django_db

DAY = datetime.date(2031, 10, 1)


def holiday(date: datetime.date = DAY, name: str = "国庆节", kind: str = "holiday") -> CalendarDay:
    return CalendarDay(date=date, kind=kind, name=name, source=CalendarDay.Source.ADMIN)


def test_a_new_row_is_inserted_and_gets_its_key() -> None:
    day = holiday()

    assert insert_unless_conflict(day, unique_field="date") is True

    assert day.pk is not None
    assert not day._state.adding
    assert CalendarDay.objects.get(date=DAY).pk == day.pk


def test_a_row_whose_unique_value_is_taken_is_not_inserted_and_keeps_no_key() -> None:
    first = holiday()
    insert_unless_conflict(first, unique_field="date")
    second = holiday(name="另一个名字")

    assert insert_unless_conflict(second, unique_field="date") is False

    assert second.pk is None
    assert list(CalendarDay.objects.filter(date=DAY).values_list("name", flat=True)) == ["国庆节"]


def test_only_the_named_column_is_forgiven() -> None:
    # Another date, but no name: not the conflict the caller allowed for.
    nameless = holiday(date=DAY + datetime.timedelta(days=1), name=None)  # type: ignore[arg-type]

    with pytest.raises(IntegrityError), transaction.atomic():
        insert_unless_conflict(nameless, unique_field="date")
