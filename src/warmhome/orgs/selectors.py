"""Reads of the organisation network beyond one scoped queryset.

Interface for the coverage roll-up (and any other module that asks "is this organisation
complete?"):

``unit_completeness(units, year) -> dict[unit_id, Completeness]``
    For a batch of units, whether each has a venue (``OrgUnit.has_venue``), people (an active
    chair in ``UnitMember``) and funds of ``year`` (a ``UnitFunding`` row). One query per fact,
    never one per unit: the venue is read from the units themselves (or one query when given
    ids), chairs and funds one query each.

``annotate_completeness(units, year) -> QuerySet``
    The same three facts as boolean annotations ``has_venue``, ``has_people`` and
    ``has_funds`` (``Exists`` subqueries), so that a roll-up can aggregate them over a subtree
    in a single SQL query, e.g.
    ``annotate_completeness(OrgUnit.objects.filter(path__startswith=p, kind="community"), y)
    .aggregate(venues=Count("pk", filter=Q(has_venue=True)))``.

Callers scope their units first (``OrgUnit.objects.visible_to(user)``); these functions add no
scoping of their own and keep whatever the queryset carries.

``unit_missing(unit, year)`` lists, in Chinese, what a unit still lacks (its page shows it).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from warmhome.orgs.models import (
    STAGE_ORDER,
    EstablishmentMode,
    MemberRole,
    OrgUnit,
    StageCriterion,
    StageRecord,
    UnitFunding,
    UnitMember,
)


@dataclass(frozen=True, slots=True)
class Completeness:
    """有阵地、有人员、有经费 of one unit for one year."""

    unit_id: int
    year: int
    has_venue: bool
    has_people: bool
    has_funds: bool

    @property
    def is_complete(self) -> bool:
        return self.has_venue and self.has_people and self.has_funds


def _chair_exists() -> Exists:
    return Exists(
        UnitMember.objects.filter(org=OuterRef("pk"), role=MemberRole.CHAIR, is_active=True)
    )


def _funds_exist(year: int) -> Exists:
    return Exists(UnitFunding.objects.filter(org=OuterRef("pk"), year=year))


def annotate_completeness(
    units: "QuerySet[OrgUnit]", year: int | None = None
) -> "QuerySet[OrgUnit]":
    """``units`` annotated with ``has_people`` and ``has_funds`` (``has_venue`` is a field)."""
    year = year or timezone.localdate().year
    return units.annotate(has_people=_chair_exists(), has_funds=_funds_exist(year))


def unit_completeness(
    units: Iterable[OrgUnit] | Iterable[int], year: int | None = None
) -> dict[int, Completeness]:
    """The completeness of each of ``units`` (instances or ids), keyed by unit id."""
    year = year or timezone.localdate().year
    items = list(units)
    if items and isinstance(items[0], OrgUnit):
        venue = {unit.pk: unit.has_venue for unit in items if isinstance(unit, OrgUnit)}
    else:
        ids = [item for item in items if isinstance(item, int)]
        venue = dict(OrgUnit.objects.filter(pk__in=ids).values_list("pk", "has_venue"))
    ids = list(venue)
    with_chair = set(
        UnitMember.objects.filter(
            org_id__in=ids, role=MemberRole.CHAIR, is_active=True
        ).values_list("org_id", flat=True)
    )
    with_funds = set(
        UnitFunding.objects.filter(org_id__in=ids, year=year).values_list("org_id", flat=True)
    )
    return {
        pk: Completeness(
            unit_id=pk,
            year=year,
            has_venue=has_venue,
            has_people=pk in with_chair,
            has_funds=pk in with_funds,
        )
        for pk, has_venue in venue.items()
    }


@dataclass(frozen=True, slots=True)
class UnitFacts:
    """Everything a unit's page and API detail show besides the unit's own fields."""

    members: list[UnitMember]
    former_members: list[UnitMember]
    fundings: list[UnitFunding]
    stage_records: list[StageRecord]
    joint_units: list[OrgUnit]
    missing: list[str]
    next_stage: str
    next_criteria: list[StageCriterion]


def unit_facts(unit: OrgUnit, *, viewer: Any, year: int | None = None) -> UnitFacts:
    """The facts of ``unit`` (members with person, post and its user loaded; joint units only
    those ``viewer`` may see)."""
    year = year or timezone.localdate().year
    all_members = list(
        UnitMember.objects.filter(org=unit)
        .select_related("person", "person__org", "post", "post__user", "post__org")
        .order_by("-is_active", "role", "pk")
    )
    fundings = list(UnitFunding.objects.filter(org=unit).order_by("-year"))
    records = list(
        StageRecord.objects.filter(org=unit).prefetch_related("criteria_met").order_by("reached_on")
    )
    joint_units = list(OrgUnit.objects.visible_to(viewer).filter(joint_with=unit).order_by("path"))
    members = [member for member in all_members if member.is_active]
    next_stage = _next_stage(unit)
    return UnitFacts(
        members=members,
        former_members=[member for member in all_members if not member.is_active],
        fundings=fundings,
        stage_records=records,
        joint_units=joint_units,
        missing=_missing(unit, members, fundings, records, year),
        next_stage=next_stage,
        next_criteria=list(StageCriterion.objects.filter(stage=next_stage, is_active=True))
        if next_stage
        else [],
    )


def _next_stage(unit: OrgUnit) -> str:
    rank = STAGE_ORDER.get(unit.stage, 0)
    for stage, stage_rank in STAGE_ORDER.items():
        if stage_rank == rank + 1:
            return stage
    return ""


def unit_missing(unit: OrgUnit, year: int | None = None) -> list[str]:
    """What ``unit`` still lacks, in Chinese, most basic first."""
    year = year or timezone.localdate().year
    members = list(UnitMember.objects.filter(org=unit, is_active=True))
    fundings = list(UnitFunding.objects.filter(org=unit, year=year))
    records = list(StageRecord.objects.filter(org=unit))
    return _missing(unit, members, fundings, records, year)


def _missing(
    unit: OrgUnit,
    members: list[UnitMember],
    fundings: list[UnitFunding],
    records: list[StageRecord],
    year: int,
) -> list[str]:
    missing: list[str] = []
    if not unit.establishment_mode:
        missing.append(_("未填写组建方式（单建/联建）"))
    elif unit.establishment_mode == EstablishmentMode.JOINT and not (
        unit.joint_partner_names.strip() or unit.joint_units.exists()
    ):
        missing.append(_("联建组织未填写联建单位"))
    if not unit.has_venue:
        missing.append(_("没有阵地"))
    elif not unit.venue_area:
        missing.append(_("未填写阵地面积"))
    if not any(member.role == MemberRole.CHAIR for member in members):
        missing.append(_("没有在任主席"))
    if not any(member.role != MemberRole.CHAIR for member in members):
        missing.append(_("没有副主席或执委"))
    if not any(funding.year == year for funding in fundings):
        missing.append(_("没有 %(year)d 年度经费") % {"year": year})
    if not unit.stage:
        missing.append(_("尚未达到“已建立”阶段"))
    elif any(not record.evidence.strip() for record in records) or not records:
        missing.append(_("阶段佐证材料缺失"))
    return missing
