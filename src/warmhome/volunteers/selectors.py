"""Reads of the volunteers app: totals and star levels, matching, and the district figures.

Every figure is computed from querysets that went through ``visible_to``; the district figures
group the records by the child units of one organisation (for a district: its streets).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    DecimalField,
    IntegerField,
    Max,
    Min,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce, ExtractMonth, Substr
from django.utils import timezone

from warmhome.orgs.models import OrgUnit
from warmhome.rules.selectors import policy_value
from warmhome.volunteers.models import (
    MonthlyHours,
    ServiceCategory,
    ServiceRecord,
    Team,
    TeamMember,
    Volunteer,
    VolunteerStatus,
)
from warmhome.volunteers.workflows import COUNTED_STATES

_ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=12, decimal_places=2))


@dataclass(frozen=True, slots=True)
class Totals:
    all_time: Decimal
    this_year: Decimal
    star_level: int
    #: hours still needed for the next star, ``None`` at the top level
    to_next_star: Decimal | None


def star_level(total: Decimal, on: datetime.date | None = None) -> tuple[int, Decimal | None]:
    """The star level reached with ``total`` cumulative hours, and the hours to the next one."""
    thresholds = [Decimal(str(value)) for value in policy_value("volunteer.star_hours", on)]
    level = sum(1 for threshold in thresholds if total >= threshold)
    to_next = thresholds[level] - total if level < len(thresholds) else None
    return level, to_next


def volunteer_totals(volunteer: Volunteer, *, year: int | None = None) -> Totals:
    """All-time and yearly approved hours of one volunteer, in one query."""
    the_year = year or timezone.localdate().year
    figures = ServiceRecord.objects.filter(volunteer=volunteer, state__in=COUNTED_STATES).aggregate(
        all_time=Coalesce(Sum("hours"), _ZERO),
        this_year=Coalesce(
            Sum(
                "hours",
                filter=Q(
                    service_date__gte=datetime.date(the_year, 1, 1),
                    service_date__lte=datetime.date(the_year, 12, 31),
                ),
            ),
            _ZERO,
        ),
    )
    level, to_next = star_level(figures["all_time"])
    return Totals(
        all_time=figures["all_time"],
        this_year=figures["this_year"],
        star_level=level,
        to_next_star=to_next,
    )


@dataclass(frozen=True, slots=True)
class CertificateData:
    """What a 志愿服务记录证明 would state today (before it is issued)."""

    volunteer: Volunteer
    totals: Totals
    first_date: datetime.date | None
    last_date: datetime.date | None
    record_count: int


def certificate_data(volunteer: Volunteer, org: OrgUnit) -> CertificateData:
    """The hours ``org``'s subtree recorded for ``volunteer``, with her totals."""
    figures = ServiceRecord.objects.filter(
        volunteer=volunteer, state__in=COUNTED_STATES, org__path__startswith=org.path
    ).aggregate(first=Min("service_date"), last=Max("service_date"), count=Count("pk"))
    return CertificateData(
        volunteer=volunteer,
        totals=volunteer_totals(volunteer),
        first_date=figures["first"],
        last_date=figures["last"],
        record_count=figures["count"],
    )


def volunteer_records(volunteer: Volunteer) -> QuerySet[ServiceRecord]:
    """A volunteer's records, newest first (her own page; the caller has checked who asks)."""
    return (
        ServiceRecord.objects.filter(volunteer=volunteer)
        .select_related("org", "category")
        .order_by("-service_date", "-pk")
    )


def _ancestor_paths(unit: OrgUnit) -> list[str]:
    step = OrgUnit.steplen
    return [unit.path[:length] for length in range(step, len(unit.path), step)]


def volunteers_matching(
    user: Any,
    *,
    skill: str = "",
    area: OrgUnit | None = None,
    category: ServiceCategory | None = None,
    availability: str = "",
) -> QuerySet[Volunteer]:
    """Active volunteers visible to ``user`` with ``skill``, serving ``area`` (or living in it),
    interested in ``category``."""
    volunteers = Volunteer.objects.visible_to(user, "volunteers.view").filter(
        status=VolunteerStatus.ACTIVE
    )
    if skill.strip():
        for word in skill.replace("，", " ").replace(",", " ").split():
            volunteers = volunteers.filter(skills__icontains=word)
    if area is not None:
        volunteers = volunteers.filter(
            Q(service_areas__path__startswith=area.path)
            | Q(service_areas__isnull=True, org__path__startswith=area.path)
            # A volunteer serving a whole street serves each of its communities.
            | Q(service_areas__path__in=_ancestor_paths(area))
        )
    if category is not None:
        volunteers = volunteers.filter(categories=category)
    if availability:
        volunteers = volunteers.filter(availability__in=[availability, "anytime"])
    return volunteers.distinct().select_related("person", "org").order_by("org__path", "pk")


# --- the district figures --------------------------------------------------------------------


def _year_records(user: Any, unit: OrgUnit, year: int) -> QuerySet[ServiceRecord]:
    return ServiceRecord.objects.visible_to(user, "volunteers.view").filter(
        state__in=COUNTED_STATES,
        org__path__startswith=unit.path,
        service_date__gte=datetime.date(year, 1, 1),
        service_date__lte=datetime.date(year, 12, 31),
    )


def _units_at(unit: OrgUnit, depth: int) -> dict[str, OrgUnit]:
    # Not ``get_children()``: it trusts the in-memory ``numchild``, stale on a loaded parent.
    units = OrgUnit.objects.filter(path__startswith=unit.path, depth=depth)
    return {found.path: found for found in units.order_by("path")}


def _children(unit: OrgUnit) -> dict[str, OrgUnit]:
    return _units_at(unit, unit.depth + 1)


@dataclass(frozen=True, slots=True)
class MonthlyByUnit:
    """Hours per month (1–12) for each unit at one level under ``unit``."""

    unit: OrgUnit
    year: int
    rows: list[tuple[OrgUnit, list[Decimal]]]

    @property
    def month_totals(self) -> list[Decimal]:
        return [sum((row[1][month] for row in self.rows), Decimal(0)) for month in range(12)]


def hours_by_month_and_street(
    user: Any, unit: OrgUnit, year: int, *, depth: int | None = None
) -> MonthlyByUnit:
    """A year of monthly hours by the units ``depth`` deep under ``unit`` (default: its
    children, i.e. the streets of a district), in one query.

    Each record counts for the unit whose path starts its certifying organisation's path. Read
    from the monthly figures the services keep (``MonthlyHours``), not from the records.
    """
    level = depth if depth is not None else unit.depth + 1
    length = level * OrgUnit.steplen
    grouped = (
        MonthlyHours.objects.visible_to(user, "volunteers.view")
        .filter(
            org__path__startswith=unit.path,
            org__depth__gte=level,
            month__gte=datetime.date(year, 1, 1),
            month__lte=datetime.date(year, 12, 1),
        )
        # An integer month, as one would write by hand: with EXTRACT's numeric PostgreSQL
        # sorts the groups instead of hashing them, twice as slow (docs/benchmarks.md).
        .annotate(
            at_level=Substr("org__path", 1, length),
            month_number=Cast(ExtractMonth("month"), IntegerField()),
        )
        .values("at_level", "month_number")
        .annotate(total=Sum("hours"))
        .order_by()
    )
    units = _units_at(unit, level)
    table: dict[str, list[Decimal]] = {path: [Decimal(0)] * 12 for path in units}
    for row in grouped:
        if row["at_level"] in table:
            table[row["at_level"]][row["month_number"] - 1] += row["total"]
    return MonthlyByUnit(
        unit=unit, year=year, rows=[(units[path], table[path]) for path in sorted(units)]
    )


def hours_by_category(user: Any, unit: OrgUnit, year: int) -> list[tuple[str, Decimal]]:
    """Hours per service category (records without one under “其他”)."""
    from django.utils.translation import gettext as _

    grouped = (
        _year_records(user, unit, year)
        .values("category__name")
        .annotate(total=Sum("hours"))
        .order_by("-total")
    )
    return [(row["category__name"] or _("其他"), row["total"]) for row in grouped]


@dataclass(frozen=True, slots=True)
class ActiveVolunteers:
    registered: int
    active: int

    @property
    def participation_rate(self) -> Decimal | None:
        """Share of registered (active-status) volunteers who served at least once in the year."""
        if not self.registered:
            return None
        return (Decimal(self.active) * 100 / Decimal(self.registered)).quantize(Decimal("0.1"))


def active_volunteers(user: Any, unit: OrgUnit, year: int) -> ActiveVolunteers:
    """Registered volunteers of ``unit``'s subtree and those who served in ``year``."""
    volunteers = Volunteer.objects.visible_to(user, "volunteers.view").filter(
        org__path__startswith=unit.path, status=VolunteerStatus.ACTIVE
    )
    served = volunteers.filter(
        pk__in=_year_records(user, unit, year).values("volunteer_id")
    ).count()
    return ActiveVolunteers(registered=volunteers.count(), active=served)


def participation_by_street(
    user: Any, unit: OrgUnit, year: int
) -> list[tuple[OrgUnit, ActiveVolunteers]]:
    """The participation rate of each child unit (two grouped queries, however many units)."""
    length = len(unit.path) + OrgUnit.steplen
    volunteers = Volunteer.objects.visible_to(user, "volunteers.view").filter(
        org__path__startswith=unit.path,
        org__depth__gt=unit.depth,
        status=VolunteerStatus.ACTIVE,
    )

    def by_child(rows: QuerySet[Volunteer]) -> dict[str, int]:
        grouped = (
            rows.annotate(child=Substr("org__path", 1, length))
            .values("child")
            .annotate(count=Count("pk"))
            .order_by()
        )
        return {row["child"]: row["count"] for row in grouped}

    registered = by_child(volunteers)
    served = by_child(
        volunteers.filter(pk__in=_year_records(user, unit, year).values("volunteer_id"))
    )
    return [
        (child, ActiveVolunteers(registered=registered.get(path, 0), active=served.get(path, 0)))
        for path, child in _children(unit).items()
    ]


@dataclass(frozen=True, slots=True)
class TeamRank:
    team: Team
    members: int
    hours: Decimal


def teams_ranked(user: Any, unit: OrgUnit, year: int, *, limit: int = 20) -> list[TeamRank]:
    """Teams of ``unit``'s subtree ranked by the approved hours their current members served."""
    teams = list(
        Team.objects.visible_to(user, "volunteers.view")
        .filter(org__path__startswith=unit.path, is_active=True)
        .select_related("org", "kind")
        .annotate(member_count=Count("members", filter=Q(members__left_on__isnull=True)))
    )
    if not teams:
        return []
    members = TeamMember.objects.filter(team__in=teams, left_on__isnull=True).values(
        "team_id", "volunteer_id"
    )
    by_volunteer: dict[int, list[int]] = {}
    for row in members:
        by_volunteer.setdefault(row["volunteer_id"], []).append(row["team_id"])
    hours = (
        _year_records(user, unit, year)
        .filter(volunteer_id__in=list(by_volunteer))
        .values("volunteer_id")
        .annotate(total=Sum("hours"))
        .order_by()
    )
    team_hours: dict[int, Decimal] = {}
    for row in hours:
        for team_id in by_volunteer.get(row["volunteer_id"], []):
            team_hours[team_id] = team_hours.get(team_id, Decimal(0)) + row["total"]
    ranked = [
        TeamRank(team=team, members=team.member_count, hours=team_hours.get(team.pk, Decimal(0)))
        for team in teams
    ]
    ranked.sort(key=lambda rank: (-rank.hours, -rank.members, rank.team.pk))
    return ranked[:limit]


def home_unit(user: Any) -> OrgUnit | None:
    """The highest organisation where ``user`` may view volunteers (the figures' default)."""
    paths = sorted(user.scope_paths("volunteers.view"), key=len) if user else []
    if not paths:
        return None
    return OrgUnit.objects.filter(path=paths[0]).first()
