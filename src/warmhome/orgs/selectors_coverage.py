"""Coverage rolled up the tree (community → street → district → city), in one selector.

``coverage_rollup(user, year)`` answers, for every active unit of ``ROLLUP_KINDS`` the user may
see, with figures over the whole subtree:

* organisation coverage: eligible 两新 organisations with an active women's organisation /
  eligible ones (eligible: at least N female employees, N the dated policy
  ``new_org.womens_org_female_employees_min`` in force);
* work coverage: eligible ones reached by federation work in ``year`` (``orgs.coverage``
  evidence registry) / eligible ones; the same for active grids, and grids with a leader;
* completeness: the share of active grassroots women's organisations (``COMPLETENESS_KINDS``)
  meeting each registered indicator (venue, people, funds).

Two aggregate queries do the work, each grouped in SQL by the path prefix of the deepest roll-up
level (``substr(path, 1, depth × steplen)``: one group per community); the sums are additive, so
the groups are then added up to every ancestor prefix in Python (≈ 1,500 groups for a city).
No query runs per unit.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, IntegerField, Q, QuerySet, Value
from django.db.models.functions import Substr
from django.utils import timezone

from warmhome.orgs.coverage import (
    COMPLETENESS_KINDS,
    completeness_indicators,
    evidence_sources,
)
from warmhome.orgs.models import OrgKind, OrgUnit
from warmhome.orgs.models_new_orgs import GridLeader, NewOrg
from warmhome.rules.selectors import policy_value

ROLLUP_KINDS = (OrgKind.CITY, OrgKind.DISTRICT, OrgKind.STREET, OrgKind.COMMUNITY)
ELIGIBILITY_POLICY = "new_org.womens_org_female_employees_min"
STEPLEN = OrgUnit.steplen

_NEW_ORG_COUNTS = ("new_orgs", "eligible", "covered", "covered_joint", "reached")
_UNIT_COUNTS = ("grids", "grids_reached", "grids_led", "base_units")


@dataclass
class CoverageFigures:
    new_orgs: int = 0
    eligible: int = 0
    #: eligible ones with an active women's organisation
    covered: int = 0
    #: of those, covered by a joint (联建) one
    covered_joint: int = 0
    #: eligible ones reached by federation work in the year
    reached: int = 0
    grids: int = 0
    grids_reached: int = 0
    grids_led: int = 0
    #: active grassroots women's organisations (the base of completeness)
    base_units: int = 0
    complete: dict[str, int] = field(default_factory=dict)

    def add(self, other: "CoverageFigures") -> None:
        for name in (*_NEW_ORG_COUNTS, *_UNIT_COUNTS):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for key, count in other.complete.items():
            self.complete[key] = self.complete.get(key, 0) + count

    @property
    def uncovered(self) -> int:
        return self.eligible - self.covered

    @property
    def org_coverage(self) -> float | None:
        return _share(self.covered, self.eligible)

    @property
    def work_coverage(self) -> float | None:
        return _share(self.reached, self.eligible)

    @property
    def grid_work_coverage(self) -> float | None:
        return _share(self.grids_reached, self.grids)

    @property
    def grid_leader_coverage(self) -> float | None:
        return _share(self.grids_led, self.grids)

    def completeness(self, key: str) -> float | None:
        return _share(self.complete.get(key, 0), self.base_units)


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass
class CoverageRow:
    unit_id: int
    name: str
    kind: str
    path: str
    depth: int
    #: the parent's id when the user may see it, else None
    parent_id: int | None
    figures: CoverageFigures

    @property
    def kind_label(self) -> str:
        return str(OrgKind(self.kind).label)


@dataclass
class CoverageReport:
    year: int
    threshold: int
    rows: list[CoverageRow]
    #: (key, label) of the completeness indicators, in order
    indicators: list[tuple[str, str]]
    #: labels of the registered work-evidence sources
    evidence: list[str]

    def row_of(self, unit_id: int) -> CoverageRow | None:
        return next((row for row in self.rows if row.unit_id == unit_id), None)

    def children_of(self, unit_id: int | None) -> list[CoverageRow]:
        return [row for row in self.rows if row.parent_id == unit_id]

    @property
    def top_rows(self) -> list[CoverageRow]:
        return self.children_of(None)


def year_window(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def eligibility_threshold(year: int | None = None) -> int:
    """The female-employee count from which a 两新 organisation must have a women's organisation
    (the rule in force today, or on the last day of a past ``year``)."""
    today = timezone.localdate()
    day = today if year is None or year >= today.year else datetime.date(year, 12, 31)
    return int(policy_value(ELIGIBILITY_POLICY, on=day))


def _ids_condition(lookup: str, sources: list[Any]) -> Q | None:
    condition: Q | None = None
    for ids in sources:
        term = Q(**{f"{lookup}__in": ids})
        condition = term if condition is None else condition | term
    return condition


def _count(condition: Q | None) -> Any:
    if condition is None:
        return Value(0, output_field=IntegerField())
    return Count("pk", filter=condition)


def reached_new_orgs_condition(year: int) -> Q | None:
    """Which ``NewOrg`` rows federation work reached in ``year`` (None: no evidence source)."""
    start, end = year_window(year)
    sources = evidence_sources()
    by_id = _ids_condition("pk", [s.new_orgs(start, end) for s in sources if s.new_orgs])
    by_unit = _ids_condition("womens_org_id", [s.units(start, end) for s in sources if s.units])
    if by_id is not None and by_unit is not None:
        return by_id | by_unit
    return by_id if by_id is not None else by_unit


def reached_units_condition(year: int) -> Q | None:
    """Which ``OrgUnit`` rows had federation work recorded in ``year`` (None: no source)."""
    start, end = year_window(year)
    return _ids_condition("pk", [s.units(start, end) for s in evidence_sources() if s.units])


def _new_org_groups(
    user: Any, root: OrgUnit | None, group_length: int, threshold: int, year: int
) -> dict[str, CoverageFigures]:
    new_orgs = NewOrg.objects.visible_to(user, "orgs.view").filter(is_active=True)
    if root is not None:
        new_orgs = new_orgs.filter(org__path__startswith=root.path)
    eligible = Q(female_employees__gte=threshold)
    covered = eligible & Q(womens_org__is_active=True)
    reached = reached_new_orgs_condition(year)
    rows = (
        new_orgs.order_by()
        .annotate(prefix=Substr("org__path", 1, group_length))
        .values("prefix")
        .annotate(
            new_orgs=Count("pk"),
            eligible=Count("pk", filter=eligible),
            covered=Count("pk", filter=covered),
            covered_joint=Count("pk", filter=covered & Q(womens_org__establishment_mode="joint")),
            reached=_count(eligible & reached if reached is not None else None),
        )
    )
    return {
        row["prefix"]: CoverageFigures(**{name: row[name] for name in _NEW_ORG_COUNTS})
        for row in rows
    }


def _unit_groups(
    user: Any, root: OrgUnit | None, group_length: int, year: int
) -> dict[str, CoverageFigures]:
    units = OrgUnit.objects.visible_to(user, "orgs.view").filter(
        is_active=True, kind__in=[OrgKind.GRID, *COMPLETENESS_KINDS]
    )
    if root is not None:
        units = units.filter(path__startswith=root.path)
    grid = Q(kind=OrgKind.GRID)
    base = Q(kind__in=COMPLETENESS_KINDS)
    reached = reached_units_condition(year)
    led = Q(pk__in=GridLeader.objects.current().values("org_id"))
    indicators = completeness_indicators()
    aggregates: dict[str, Any] = {
        "grids": Count("pk", filter=grid),
        "grids_reached": _count(grid & reached if reached is not None else None),
        "grids_led": Count("pk", filter=grid & led),
        "base_units": Count("pk", filter=base),
    }
    for indicator in indicators:
        aggregates[f"indicator_{indicator.key}"] = Count(
            "pk", filter=base & Q(pk__in=indicator.units(year))
        )
    rows = (
        units.order_by()
        .annotate(prefix=Substr("path", 1, group_length))
        .values("prefix")
        .annotate(**aggregates)
    )
    groups = {}
    for row in rows:
        figures = CoverageFigures(**{name: row[name] for name in _UNIT_COUNTS})
        figures.complete = {
            indicator.key: row[f"indicator_{indicator.key}"] for indicator in indicators
        }
        groups[row["prefix"]] = figures
    return groups


def _rolled_up(groups: list[dict[str, CoverageFigures]]) -> dict[str, CoverageFigures]:
    totals: dict[str, CoverageFigures] = defaultdict(CoverageFigures)
    for group in groups:
        for prefix, figures in group.items():
            for length in range(STEPLEN, len(prefix) + 1, STEPLEN):
                totals[prefix[:length]].add(figures)
    return totals


def _rollup_units(user: Any, root: OrgUnit | None) -> "QuerySet[OrgUnit]":
    units = OrgUnit.objects.visible_to(user, "orgs.view").filter(
        is_active=True, kind__in=ROLLUP_KINDS
    )
    if root is not None:
        units = units.filter(path__startswith=root.path)
    return units


def coverage_rollup(
    user: Any, year: int | None = None, root: OrgUnit | None = None
) -> CoverageReport:
    """Coverage of every roll-up unit ``user`` may see (under ``root`` if given), for ``year``."""
    year = year or timezone.localdate().year
    threshold = eligibility_threshold(year)
    indicators = completeness_indicators()
    units = list(
        _rollup_units(user, root)
        .values_list("pk", "name", "kind", "path", "depth")
        .order_by("path")
    )
    report = CoverageReport(
        year=year,
        threshold=threshold,
        rows=[],
        indicators=[(indicator.key, str(indicator.label)) for indicator in indicators],
        evidence=[str(source.label) for source in evidence_sources()],
    )
    if not units:
        return report
    group_length = max(depth for _pk, _name, _kind, _path, depth in units) * STEPLEN
    totals = _rolled_up(
        [
            _new_org_groups(user, root, group_length, threshold, year),
            _unit_groups(user, root, group_length, year),
        ]
    )
    ids_by_path = {path: pk for pk, _name, _kind, path, _depth in units}
    for pk, name, kind, path, depth in units:
        figures = totals.get(path) or CoverageFigures()
        for indicator in indicators:
            figures.complete.setdefault(indicator.key, 0)
        report.rows.append(
            CoverageRow(
                unit_id=pk,
                name=name,
                kind=kind,
                path=path,
                depth=depth,
                parent_id=ids_by_path.get(path[:-STEPLEN]),
                figures=figures,
            )
        )
    return report


def row_payload(row: CoverageRow, report: CoverageReport) -> dict[str, Any]:
    """A row as plain JSON values (the JSON view and the API)."""
    figures = row.figures
    return {
        "id": row.unit_id,
        "parent_id": row.parent_id,
        "name": row.name,
        "kind": row.kind,
        "kind_label": row.kind_label,
        "depth": row.depth,
        "new_orgs": figures.new_orgs,
        "eligible": figures.eligible,
        "covered": figures.covered,
        "covered_joint": figures.covered_joint,
        "reached": figures.reached,
        "org_coverage": figures.org_coverage,
        "work_coverage": figures.work_coverage,
        "grids": figures.grids,
        "grids_reached": figures.grids_reached,
        "grids_led": figures.grids_led,
        "grid_work_coverage": figures.grid_work_coverage,
        "grid_leader_coverage": figures.grid_leader_coverage,
        "base_units": figures.base_units,
        "completeness": {key: figures.completeness(key) for key, _label in report.indicators},
    }


# --- gaps -----------------------------------------------------------------------------------


def new_orgs_without_womens_org(user: Any, year: int | None = None) -> "QuerySet[NewOrg]":
    """Active eligible 两新 organisations ``user`` may see that have no active women's
    organisation."""
    threshold = eligibility_threshold(year)
    return (
        NewOrg.objects.visible_to(user, "orgs.view")
        .filter(is_active=True, female_employees__gte=threshold)
        .exclude(womens_org__is_active=True)
        .select_related("org")
        .order_by("org__path", "name", "pk")
    )


def grids_without_leader(user: Any) -> "QuerySet[OrgUnit]":
    return (
        OrgUnit.objects.visible_to(user, "orgs.view")
        .filter(kind=OrgKind.GRID, is_active=True)
        .exclude(pk__in=GridLeader.objects.current().values("org_id"))
        .order_by("path")
    )


def units_without_work(user: Any, year: int | None = None) -> "QuerySet[OrgUnit]":
    """Active communities and grids ``user`` may see with no federation work recorded in
    ``year`` (all of them while no module registers evidence)."""
    year = year or timezone.localdate().year
    units = OrgUnit.objects.visible_to(user, "orgs.view").filter(
        kind__in=[OrgKind.COMMUNITY, OrgKind.GRID], is_active=True
    )
    reached = reached_units_condition(year)
    if reached is not None:
        units = units.exclude(reached)
    return units.order_by("path")
