"""Reads that aggregate opinions: counts per period, topic and organisation, month-over-month
trends, unusual rises per street. Keywords and near-duplicates are in ``text_analysis``.

Every function takes an opinion queryset the caller scoped (``visible_to`` for pages, the
report's organisation subtree for reports), so the figures never reach past what it may see.
"""

import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet
from django.db.models.functions import Substr, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from warmhome.core.policy import policy_value
from warmhome.opinions.models import Opinion, Subtopic
from warmhome.opinions.topics import TOPIC_CODES, Topic
from warmhome.orgs.models import OrgUnit

#: characters of the materialized path per level (django-treebeard's ``steplen``)
STEP = 4
STREET_PATH_LENGTH = 2 * STEP


@dataclass(frozen=True, slots=True)
class Period:
    """Days ``start`` to ``end`` (exclusive): a month or a quarter."""

    kind: str
    year: int
    number: int
    start: datetime.date
    end: datetime.date

    @classmethod
    def month(cls, year: int, month: int) -> "Period":
        last = calendar.monthrange(year, month)[1]
        return cls(
            "month",
            year,
            month,
            datetime.date(year, month, 1),
            datetime.date(year, month, last) + datetime.timedelta(days=1),
        )

    @classmethod
    def quarter(cls, year: int, quarter: int) -> "Period":
        first = datetime.date(year, 3 * quarter - 2, 1)
        following = (
            datetime.date(year + 1, 1, 1)
            if quarter == 4
            else datetime.date(year, 3 * quarter + 1, 1)
        )
        return cls("quarter", year, quarter, first, following)

    @classmethod
    def of(cls, kind: str, year: int, number: int) -> "Period":
        if kind == "quarter":
            if not 1 <= number <= 4:
                raise ValueError(number)
            return cls.quarter(year, number)
        if not 1 <= number <= 12:
            raise ValueError(number)
        return cls.month(year, number)

    def previous(self) -> "Period":
        if self.kind == "quarter":
            return (
                Period.quarter(self.year - 1, 4)
                if self.number == 1
                else Period.quarter(self.year, self.number - 1)
            )
        return (
            Period.month(self.year - 1, 12)
            if self.number == 1
            else Period.month(self.year, self.number - 1)
        )

    @property
    def label(self) -> str:
        if self.kind == "quarter":
            return _("%(year)d年第%(number)d季度") % {"year": self.year, "number": self.number}
        return _("%(year)d年%(number)d月") % {"year": self.year, "number": self.number}

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        zone = timezone.get_current_timezone()
        return (
            datetime.datetime.combine(self.start, datetime.time.min, tzinfo=zone),
            datetime.datetime.combine(self.end, datetime.time.min, tzinfo=zone),
        )


def in_period(opinions: QuerySet[Opinion], period: Period) -> QuerySet[Opinion]:
    start, end = period.bounds()
    return opinions.filter(occurred_at__gte=start, occurred_at__lt=end)


def within(opinions: QuerySet[Opinion], unit: OrgUnit | None) -> QuerySet[Opinion]:
    return opinions if unit is None else opinions.filter(org__path__startswith=unit.path)


def topic_counts(opinions: QuerySet[Opinion]) -> dict[str, int]:
    """Opinions per topic code (every code present, zero where none)."""
    counts = dict.fromkeys(TOPIC_CODES, 0)
    for topic, count in opinions.order_by().values_list("topic").annotate(count=Count("pk")):
        counts[topic] = count
    return counts


@dataclass
class YearTrend:
    year: int
    months: list[int]
    #: topic code → count per month (index 0 = January)
    series: dict[str, list[int]]
    totals: list[int]

    def change(self, month: int) -> dict[str, tuple[int, int, float | None]]:
        """topic → (previous month, this month, change in percent or None from zero)."""
        result = {}
        for topic, values in self.series.items():
            now = values[month - 1]
            before = values[month - 2] if month > 1 else 0
            percent = round((now - before) * 100 / before, 1) if before else None
            result[topic] = (before, now, percent)
        return result


def year_trend(opinions: QuerySet[Opinion], year: int) -> YearTrend:
    """Counts per month and topic over one year, in one query."""
    period_start = Period.month(year, 1).bounds()[0]
    period_end = Period.month(year, 12).bounds()[1]
    series = {code: [0] * 12 for code in TOPIC_CODES}
    rows = (
        opinions.filter(occurred_at__gte=period_start, occurred_at__lt=period_end)
        .order_by()
        .annotate(month=TruncMonth("occurred_at"))
        .values_list("month", "topic")
        .annotate(count=Count("pk"))
    )
    for month, topic, count in rows:
        series[topic][month.month - 1] += count
    totals = [sum(values[index] for values in series.values()) for index in range(12)]
    return YearTrend(year, list(range(1, 13)), series, totals)


@dataclass
class UnitCounts:
    unit: OrgUnit
    counts: dict[str, int]
    total: int


def counts_by_child(opinions: QuerySet[Opinion], unit: OrgUnit) -> list[UnitCounts]:
    """Counts per topic for each unit directly below ``unit`` (and ``unit`` itself, for the
    opinions recorded at its own level), in one grouped query."""
    length = len(unit.path) + STEP
    rows = (
        opinions.filter(org__path__startswith=unit.path)
        .order_by()
        .annotate(branch=Substr("org__path", 1, length))
        .values_list("branch", "topic")
        .annotate(count=Count("pk"))
    )
    grouped: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(TOPIC_CODES, 0))
    for branch, topic, count in rows:
        grouped[branch][topic] += count
    units = {child.path: child for child in OrgUnit.objects.filter(path__in=list(grouped))}
    result = [
        UnitCounts(units[path], counts, sum(counts.values()))
        for path, counts in grouped.items()
        if path in units
    ]
    return sorted(result, key=lambda row: row.unit.path)


@dataclass(frozen=True, slots=True)
class Rise:
    street: OrgUnit
    topic: str
    previous: int
    current: int

    @property
    def topic_label(self) -> Any:
        return Topic(self.topic).label


def unusual_rises(opinions: QuerySet[Opinion], period: Period) -> list[Rise]:
    """(street, topic) pairs whose count reached ``opinions.rise_factor`` times the previous
    period's, with at least ``opinions.rise_min_count`` this period."""
    factor = float(policy_value("opinions.rise_factor"))
    minimum = int(policy_value("opinions.rise_min_count"))
    return _rises_from(opinions, period.previous(), period, factor, minimum)


def _rises_from(
    opinions: QuerySet[Opinion], before: Period, period: Period, factor: float, minimum: int
) -> list[Rise]:
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for side, span in enumerate((before, period)):
        rows = (
            in_period(opinions, span)
            .order_by()
            .annotate(street=Substr("org__path", 1, STREET_PATH_LENGTH))
            .values_list("street", "topic")
            .annotate(count=Count("pk"))
        )
        for street, topic, count in rows:
            counts[(street, topic)][side] += count
    flagged = {
        key: values
        for key, values in counts.items()
        if len(key[0]) == STREET_PATH_LENGTH
        and values[1] >= minimum
        and values[1] >= factor * values[0]
    }
    streets = {
        unit.path: unit
        for unit in OrgUnit.objects.filter(path__in=[street for street, _topic in flagged])
    }
    rises = [
        Rise(streets[street], topic, values[0], values[1])
        for (street, topic), values in flagged.items()
        if street in streets
    ]
    return sorted(rises, key=lambda rise: (-rise.current, rise.street.path, rise.topic))


@dataclass
class Overview:
    unit: OrgUnit | None
    year: int
    month: int
    trend: YearTrend
    children: list[UnitCounts]
    rises: list[Rise]
    to_check: int
    topic_labels: dict[str, Any] = field(default_factory=dict)


def year_by_child(
    opinions: QuerySet[Opinion], unit: OrgUnit, year: int
) -> tuple[YearTrend, list[UnitCounts]]:
    """The year's counts per month and topic, and per unit below ``unit`` and topic, from one
    grouped query (month × branch × topic): one pass over the year instead of two."""
    period_start = Period.month(year, 1).bounds()[0]
    period_end = Period.month(year, 12).bounds()[1]
    length = len(unit.path) + STEP
    rows = (
        opinions.filter(
            org__path__startswith=unit.path,
            occurred_at__gte=period_start,
            occurred_at__lt=period_end,
        )
        .order_by()
        .annotate(month=TruncMonth("occurred_at"), branch=Substr("org__path", 1, length))
        .values_list("month", "branch", "topic")
        .annotate(count=Count("pk"))
    )
    series = {code: [0] * 12 for code in TOPIC_CODES}
    grouped: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(TOPIC_CODES, 0))
    for month, branch, topic, count in rows:
        series[topic][month.month - 1] += count
        grouped[branch][topic] += count
    totals = [sum(values[index] for values in series.values()) for index in range(12)]
    units = {child.path: child for child in OrgUnit.objects.filter(path__in=list(grouped))}
    children = sorted(
        (
            UnitCounts(units[path], counts, sum(counts.values()))
            for path, counts in grouped.items()
            if path in units
        ),
        key=lambda row: row.unit.path,
    )
    return YearTrend(year, list(range(1, 13)), series, totals), children


def overview(opinions: QuerySet[Opinion], unit: OrgUnit, year: int, month: int) -> Overview:
    """What the analysis page shows: one grouped pass over the year, two small ones over the
    month and the one before (rises), one count, and the units' names."""
    scoped = within(opinions, unit)
    trend, children = year_by_child(scoped, unit, year)
    return Overview(
        unit=unit,
        year=year,
        month=month,
        trend=trend,
        children=children,
        rises=unusual_rises(scoped, Period.month(year, month)),
        to_check=scoped.filter(needs_review=True).count(),
        topic_labels={code: Topic(code).label for code in TOPIC_CODES},
    )


def subtopics_by_topic() -> list[tuple[str, list[Subtopic]]]:
    """Every topic with its sub-topics (switched-off ones too), each with ``opinion_count``."""
    counts = dict(
        Opinion.objects.filter(subtopic__isnull=False)
        .order_by()
        .values_list("subtopic")
        .annotate(count=Count("pk"))
    )
    grouped: dict[str, list[Subtopic]] = {code: [] for code in TOPIC_CODES}
    for row in Subtopic.objects.order_by("topic", "name"):
        row.opinion_count = counts.get(row.pk, 0)  # type: ignore[attr-defined]
        grouped.setdefault(row.topic, []).append(row)
    return [(str(Topic(code).label), grouped[code]) for code in grouped]
