import datetime

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.rules.conftest import TODAY
from warmhome.rules.models import CalendarDay
from warmhome.rules.services import calendardays_add
from warmhome.rules.workdays import (
    add_days,
    add_working_days,
    deadline,
    is_working_day,
    working_days_between,
    years_missing,
)

D = datetime.date

pytestmark = pytest.mark.usefixtures("calendar_2026")


def test_national_day_golden_week_2026_is_seven_holidays_with_two_makeup_saturdays_and_sundays():
    golden_week = [D(2026, 10, day) for day in range(1, 8)]

    assert [is_working_day(day) for day in golden_week] == [False] * 7
    assert CalendarDay.objects.get(date=D(2026, 10, 1)).name == "国庆节"
    # chinese-calendar 1.11: make-up workdays on Sunday 20 September and Saturday 10 October.
    assert D(2026, 9, 20).weekday() == 6
    assert is_working_day(D(2026, 9, 20))
    assert D(2026, 10, 10).weekday() == 5
    assert is_working_day(D(2026, 10, 10))
    assert is_working_day(D(2026, 10, 8))


def test_spring_festival_2026_is_nine_days_off_with_makeup_saturdays():
    festival = [D(2026, 2, 15) + datetime.timedelta(days=n) for n in range(9)]

    assert not any(is_working_day(day) for day in festival)
    assert {CalendarDay.objects.get(date=day).name for day in festival} == {"春节"}
    assert is_working_day(D(2026, 2, 14))
    assert is_working_day(D(2026, 2, 28))
    assert is_working_day(D(2026, 2, 24))


def test_ordinary_weekends_rest_and_weekdays_work():
    assert not is_working_day(D(2026, 11, 28))
    assert is_working_day(D(2026, 11, 30))


def test_counting_across_the_golden_week_skips_the_holidays_and_counts_the_makeup_saturday():
    assert add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert add_working_days(D(2026, 9, 30), 3) == D(2026, 10, 10)
    assert add_working_days(D(2026, 9, 30), 4) == D(2026, 10, 12)
    assert add_working_days(D(2026, 9, 18), 1) == D(2026, 9, 20)


def test_zero_working_days_from_a_holiday_gives_the_next_working_day():
    assert add_working_days(D(2026, 10, 3), 0) == D(2026, 10, 8)
    assert add_working_days(D(2026, 10, 8), 0) == D(2026, 10, 8)


def test_negative_counts_are_refused():
    with pytest.raises(ValueError, match="forward"):
        add_working_days(D(2026, 10, 8), -1)


def test_counting_into_2027_uses_weekends_only_and_warns():
    due = add_working_days(D(2026, 12, 30), 5)

    # 31 Dec (Thu), 1 Jan (Fri: no 2027 data, so a working day), 4, 5, 6 Jan.
    assert due == D(2027, 1, 6)
    result = deadline(D(2026, 12, 30), 5, "working")
    assert result.due == due
    assert result.estimated_years == (2027,)
    assert "2027 年的节假日安排尚未录入" in result.warning


def test_the_warning_lists_the_years_in_the_reader_s_language():
    result = deadline(D(2026, 12, 30), 400, "working")

    assert result.estimated_years == (2027, 2028)
    assert "2027、2028 年" in result.warning
    with translation.override("en"):
        assert "2027, 2028" in result.warning
        assert "、" not in result.warning


def test_entering_2027_new_year_moves_a_deadline_at_once(leader):
    before = add_working_days(D(2026, 12, 30), 5)

    calendardays_add(actor=leader, first=D(2027, 1, 1), kind="holiday", name="元旦")

    assert before == D(2027, 1, 6)
    assert add_working_days(D(2026, 12, 30), 5) == D(2027, 1, 7)
    assert not deadline(D(2026, 12, 30), 5, "working").estimated


def test_a_deadline_inside_an_entered_year_carries_no_warning():
    result = deadline(D(2026, 9, 30), 10, "working")

    # 8, 9, 10 (make-up Saturday), 12–16, 19, 20 October.
    assert result.due == D(2026, 10, 20)
    assert result.warning == ""


def test_calendar_days_are_counted_plainly_unless_rolled_forward():
    assert add_days(D(2026, 9, 16), 15) == D(2026, 10, 1)
    assert add_days(D(2026, 9, 16), 15, roll_forward=True) == D(2026, 10, 8)
    assert add_days(D(2026, 9, 30), 1, "working") == D(2026, 10, 8)
    with pytest.raises(ValueError, match="calendar"):
        add_days(D(2026, 9, 30), 1, "lunar")  # type: ignore[arg-type]


def test_working_days_between_counts_after_the_start_up_to_the_end():
    assert working_days_between(D(2026, 9, 30), D(2026, 10, 8)) == 1
    assert working_days_between(D(2026, 10, 8), D(2026, 9, 30)) == -1
    assert working_days_between(D(2026, 10, 1), D(2026, 10, 1)) == 0


@settings(max_examples=60, deadline=None)
@given(
    start=st.dates(min_value=D(2025, 12, 1), max_value=D(2027, 3, 1)),
    n=st.integers(min_value=1, max_value=70),
)
def test_working_days_between_undoes_add_working_days(start, n):
    due = add_working_days(start, n)

    assert is_working_day(due)
    assert working_days_between(start, due) == n


def test_next_year_is_missing_from_november_until_entered(leader):
    assert years_missing(on=TODAY) == [2027]
    assert years_missing(on=D(2026, 10, 31)) == []

    calendardays_add(actor=leader, first=D(2027, 1, 1), kind="holiday", name="元旦")

    assert years_missing(on=TODAY) == []


def test_an_empty_current_year_is_missing_too():
    assert years_missing(on=D(2031, 3, 1)) == [2031]
