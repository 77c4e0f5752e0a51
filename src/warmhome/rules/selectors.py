"""Reading policy values: one function, ``policy_value``, for every module."""

import copy
import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from warmhome.rules.cache import VersionedCache
from warmhome.rules.models import CalendarDay, Policy
from warmhome.rules.policies import PolicySpec, all_specs, get_spec

policy_cache = VersionedCache(Policy)

# key -> [(valid_from, value)], newest first
_Timeline = dict[str, list[tuple[datetime.date, Any]]]


def _load_timelines() -> _Timeline:
    timelines: _Timeline = {}
    for key, valid_from, value in Policy.objects.order_by("key", "-valid_from").values_list(
        "key", "valid_from", "value"
    ):
        timelines.setdefault(key, []).append((valid_from, value))
    return timelines


def policy_value(key: str, on: datetime.date | None = None) -> Any:
    """The value of rule ``key`` in force on ``on`` (today by default).

    That is the row with the latest ``valid_from`` not after ``on``; before the first row, the
    registry's default. An unregistered key raises ``UnknownPolicyError``.
    """
    spec = get_spec(key)
    day = on or timezone.localdate()
    timeline = policy_cache.get("timelines", _load_timelines).get(key, [])
    for valid_from, value in timeline:
        if valid_from <= day:
            return copy.deepcopy(value)
    return copy.deepcopy(spec.default)


@dataclass(frozen=True, slots=True)
class PolicyOverview:
    spec: PolicySpec
    current: Policy | None
    upcoming: list[Policy]

    @property
    def value(self) -> Any:
        return self.current.value if self.current is not None else self.spec.default

    @property
    def display(self) -> str:
        return self.spec.display(self.value)


def policy_overview(on: datetime.date | None = None) -> list[PolicyOverview]:
    """Every registered rule with its row in force on ``on`` and the rows dated later."""
    day = on or timezone.localdate()
    rows: dict[str, list[Policy]] = {}
    for row in Policy.objects.order_by("key", "-valid_from"):
        rows.setdefault(row.key, []).append(row)
    overview = []
    for spec in all_specs():
        history = rows.get(spec.key, [])
        current = next((row for row in history if row.valid_from <= day), None)
        upcoming = sorted((row for row in history if row.valid_from > day), key=_by_date)
        overview.append(PolicyOverview(spec=spec, current=current, upcoming=upcoming))
    return overview


def _by_date(row: Policy) -> datetime.date:
    return row.valid_from


def policy_history(key: str) -> list[Policy]:
    """All dated values of ``key``, newest first, with who entered them."""
    get_spec(key)
    return list(Policy.objects.filter(key=key).select_related("created_by").order_by("-valid_from"))


def calendar_year(year: int) -> list[CalendarDay]:
    """The holidays and make-up workdays entered for ``year``, in date order."""
    return list(CalendarDay.objects.filter(date__year=year).order_by("date"))
