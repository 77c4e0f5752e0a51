"""The organisation tree over JSON: units in the caller's scope, and one unit with its facts.

Members are drawn through ``people.rendering.render_person`` (via ``orgs.person_display``), so
a shielded person is never named here either.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from warmhome.api.scoping import scoped
from warmhome.core.scoping import get_for_user
from warmhome.orgs.models import OrgUnit
from warmhome.orgs.person_display import member_display
from warmhome.orgs.selectors import annotate_completeness, unit_facts

router = Router()


class OrgUnitOut(Schema):
    id: int
    parent_id: int | None
    kind: str
    kind_label: str
    name: str
    code: str
    depth: int
    is_active: bool
    urban_rural_class: str
    valid_from: datetime.date | None
    valid_to: datetime.date | None
    establishment_mode: str
    stage: str
    has_venue: bool
    has_people: bool | None = None
    has_funds: bool | None = None


class MemberOut(Schema):
    id: int
    role: str
    role_label: str
    person_id: int | None
    name: str
    post_id: int | None
    post_label: str
    term_start: datetime.date | None


class FundingOut(Schema):
    year: int
    amount: Decimal
    source: str
    note: str


class StageRecordOut(Schema):
    stage: str
    stage_label: str
    reached_on: datetime.date
    evidence: str
    criteria_met: list[str]


class OrgUnitDetailOut(OrgUnitOut):
    stage_reached_on: datetime.date | None
    joint_partner_names: list[str]
    joint_unit_ids: list[int]
    venue_area: Decimal | None
    venue_address: str
    members: list[MemberOut]
    fundings: list[FundingOut]
    stage_records: list[StageRecordOut]
    missing: list[str]


def _fields(unit: OrgUnit, parent_ids: dict[str, int]) -> dict[str, Any]:
    parent_path = unit.path[: -OrgUnit.steplen]
    return {
        "id": unit.pk,
        "parent_id": parent_ids.get(parent_path),
        "kind": unit.kind,
        "kind_label": str(unit.get_kind_display()),
        "name": unit.name,
        "code": unit.code,
        "depth": unit.depth,
        "is_active": unit.is_active,
        "urban_rural_class": unit.urban_rural_class,
        "valid_from": unit.valid_from,
        "valid_to": unit.valid_to,
        "establishment_mode": unit.establishment_mode,
        "stage": unit.stage,
        "has_venue": unit.has_venue,
        "has_people": getattr(unit, "has_people", None),
        "has_funds": getattr(unit, "has_funds", None),
    }


@router.get("/units", response=list[OrgUnitOut], summary="组织树（当前用户可见部分）")
@scoped(OrgUnit)
def list_units(request: HttpRequest) -> list[OrgUnitOut]:
    units = list(
        annotate_completeness(OrgUnit.objects.visible_to(request.user), timezone.localdate().year)
    )
    # A parent outside the caller's scope is reported as none, not by its id.
    visible_ids = {unit.path: unit.pk for unit in units}
    return [OrgUnitOut(**_fields(unit, visible_ids)) for unit in units]


@router.get("/units/{pk}", response=OrgUnitDetailOut, summary="单个组织及其阵地、人员、经费、阶段")
@scoped(OrgUnit)
def get_unit(request: HttpRequest, pk: int) -> OrgUnitDetailOut:
    year = timezone.localdate().year
    unit = get_for_user(annotate_completeness(OrgUnit.objects.all(), year), request.user, pk)
    parent_path = unit.path[: -OrgUnit.steplen]
    parent = OrgUnit.objects.visible_to(request.user).filter(path=parent_path).first()
    facts = unit_facts(unit, viewer=request.user, year=year)
    members = []
    for member in facts.members:
        shown = member_display(member, viewer=request.user)
        members.append(
            MemberOut(
                id=member.pk,
                role=member.role,
                role_label=str(member.get_role_display()),
                person_id=member.person_id,
                name=str(shown.person) if shown.person is not None else "",
                post_id=member.post_id,
                post_label=shown.post_label,
                term_start=member.term_start,
            )
        )
    return OrgUnitDetailOut(
        **_fields(unit, {parent_path: parent.pk} if parent else {}),
        stage_reached_on=unit.stage_reached_on,
        joint_partner_names=unit.partner_names(),
        joint_unit_ids=[partner.pk for partner in facts.joint_units],
        venue_area=unit.venue_area,
        venue_address=unit.venue_address,
        members=members,
        fundings=[
            FundingOut(year=f.year, amount=f.amount, source=f.source, note=f.note)
            for f in facts.fundings
        ],
        stage_records=[
            StageRecordOut(
                stage=record.stage,
                stage_label=str(record.get_stage_display()),
                reached_on=record.reached_on,
                evidence=record.evidence,
                criteria_met=[criterion.text for criterion in record.criteria_met.all()],
            )
            for record in facts.stage_records
        ],
        missing=facts.missing,
    )


# The 两新 organisation registry, grids and coverage add their operations to this router.
from warmhome.orgs import api_new_orgs  # noqa: E402, F401
