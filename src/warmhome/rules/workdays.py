"""Chinese working days: Monday to Friday, less statutory holidays, plus make-up workdays (调休).

The exceptions of each year come from the ``CalendarDay`` table (seeded from chinese-calendar,
later years typed in by an administrator from the State Council's notice). A year without any
entry counts weekends only: deadlines that reach into it still work, and ``Deadline.warning``
says they are estimates until the year is entered.
"""

import datetime
import logging
from dataclasses import dataclass
from typing import Literal

from django.utils import timezone
from django.utils.translation import gettext as _

from warmhome.rules.cache import VersionedCache
from warmhome.rules.models import CalendarDay

logger = logging.getLogger(__name__)

calendar_cache = VersionedCache(CalendarDay)

ONE_DAY = datetime.timedelta(days=1)
DayCounting = Literal["calendar", "working"]

# The calendar for next year is normally published in November or December.
NEXT_YEAR_EXPECTED_MONTH = 11

_warned_years: set[int] = set()


def _load_year(year: int) -> dict[datetime.date, str]:
    return dict(CalendarDay.objects.filter(date__year=year).values_list("date", "kind"))


def year_exceptions(year: int) -> dict[datetime.date, str]:
    """The holidays and make-up workdays of ``year``, date → kind (cached)."""
    return calendar_cache.get(year, lambda: _load_year(year))


def year_has_data(year: int) -> bool:
    return bool(year_exceptions(year))


def is_working_day(day: datetime.date) -> bool:
    kind = year_exceptions(day.year).get(day)
    if kind == CalendarDay.Kind.HOLIDAY:
        return False
    if kind == CalendarDay.Kind.MAKEUP_WORKDAY:
        return True
    return day.weekday() < 5


def _warn_if_estimated(day: datetime.date) -> None:
    if day.year not in _warned_years and not year_has_data(day.year):
        _warned_years.add(day.year)
        logger.warning("No holiday calendar for %s: counting weekends only.", day.year)


def next_working_day(day: datetime.date) -> datetime.date:
    """``day`` itself if it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += ONE_DAY
    return day


def add_working_days(start: datetime.date, n: int) -> datetime.date:
    """The ``n``-th working day after ``start`` (counting starts the next day).

    ``n == 0`` gives ``start`` if it is a working day, else the next one: the result is always
    a working day.
    """
    if n < 0:
        raise ValueError("add_working_days counts forward only (n >= 0).")
    if n == 0:
        return next_working_day(start)
    day = start
    remaining = n
    while remaining:
        day += ONE_DAY
        if is_working_day(day):
            remaining -= 1
    _warn_if_estimated(day)
    return day


def working_days_between(a: datetime.date, b: datetime.date) -> int:
    """How many working days lie after ``a`` up to and including ``b`` (negative if b < a).

    It is the inverse of ``add_working_days``: ``working_days_between(a, add_working_days(a,
    n)) == n`` for every n ≥ 1.
    """
    if b < a:
        return -working_days_between(b, a)
    count = 0
    day = a
    while day < b:
        day += ONE_DAY
        if is_working_day(day):
            count += 1
    return count


def add_days(
    start: datetime.date,
    n: int,
    calendar: DayCounting = "calendar",
    *,
    roll_forward: bool = False,
) -> datetime.date:
    """``start`` plus ``n`` calendar days or ``n`` working days, as the rule says.

    With ``roll_forward``, a calendar-day deadline that ends on a holiday or weekend moves to the
    next working day (as the procedural laws count periods).
    """
    if calendar == "working":
        return add_working_days(start, n)
    if calendar != "calendar":
        raise ValueError(f"Unknown day counting {calendar!r}: use 'calendar' or 'working'.")
    day = start + datetime.timedelta(days=n)
    return next_working_day(day) if roll_forward else day


def years_without_data(first: datetime.date, last: datetime.date) -> list[int]:
    """The years between the two dates (inclusive) whose holidays are not entered."""
    low, high = sorted((first.year, last.year))
    return [year for year in range(low, high + 1) if not year_has_data(year)]


def years_missing(on: datetime.date | None = None) -> list[int]:
    """Years a deadline counted now may touch that have no calendar: this year, and next year
    from 1 November on."""
    today = on or timezone.localdate()
    years = [today.year]
    if today.month >= NEXT_YEAR_EXPECTED_MONTH:
        years.append(today.year + 1)
    return [year for year in years if not year_has_data(year)]


@dataclass(frozen=True, slots=True)
class Deadline:
    due: datetime.date
    estimated_years: tuple[int, ...] = ()

    @property
    def estimated(self) -> bool:
        return bool(self.estimated_years)

    @property
    def warning(self) -> str:
        if not self.estimated_years:
            return ""
        years = _("、").join(str(year) for year in self.estimated_years)
        return _("%(years)s 年的节假日安排尚未录入，截止日期仅按周末估算。") % {"years": years}


def deadline(start: datetime.date, n: int, calendar: DayCounting = "calendar") -> Deadline:
    """A due date with the years it could only estimate (working days in an unentered year)."""
    due = add_days(start, n, calendar)
    estimated = years_without_data(start, due) if calendar == "working" else []
    return Deadline(due=due, estimated_years=tuple(estimated))
