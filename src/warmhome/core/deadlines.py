"""Day counting for deadlines, without ``core`` importing ``rules``.

``core`` sits below ``rules`` in the import layers, yet the workflow engine must count Chinese
working days from the holiday calendar and read day counts from the policy table. ``rules``
registers its day counter here when it is ready (``rules.apps``); until then (tests of ``core``
alone) calendar days are plain dates and working days are Monday to Friday. Policies are read
through ``core.policy``.
"""

import datetime
from collections.abc import Callable

# (start, n, mode) -> date; rules.workdays.add_days types ``mode`` as a Literal.
DayCounter = Callable[..., datetime.date]

COUNTING_MODES = ("calendar", "working")

_day_counter: DayCounter | None = None


def set_day_counter(func: DayCounter | None) -> None:
    """Install the function that adds ``n`` days (``"calendar"`` or ``"working"``)."""
    global _day_counter
    _day_counter = func


def _weekdays_only(start: datetime.date, n: int) -> datetime.date:
    day = start
    while n:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def add_days(start: datetime.date, n: int, mode: str = "calendar") -> datetime.date:
    """``start`` plus ``n`` calendar days or ``n`` working days (counting from the next day)."""
    if mode not in COUNTING_MODES:
        raise ValueError(f"Unknown day counting {mode!r}: use 'calendar' or 'working'.")
    if n < 0:
        raise ValueError("Deadlines count forward only (n >= 0).")
    if _day_counter is not None:
        return _day_counter(start, n, mode)
    if mode == "calendar":
        return start + datetime.timedelta(days=n)
    return _weekdays_only(start, n)
