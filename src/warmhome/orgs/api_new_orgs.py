"""The 两新 organisation registry, grids and coverage over JSON (on the orgs router)."""

import datetime
from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from ninja import Schema, Status

from warmhome.api.scoping import scope_exempt, scoped
from warmhome.core.identifiers import fake_credit_code
from warmhome.core.scoping import get_for_user
from warmhome.orgs.api import router
from warmhome.orgs.models import OrgKind, OrgUnit
from warmhome.orgs.models_new_orgs import GridLeader, NewOrg
from warmhome.orgs.person_display import render
from warmhome.orgs.selectors_coverage import (
    coverage_rollup,
    eligibility_threshold,
    row_payload,
)
from warmhome.orgs.services_new_orgs import new_org_register

MAX_LIMIT = 200


class NewOrgOut(Schema):
    id: int
    name: str
    credit_code: str
    kind: str
    kind_label: str
    subkind: str
    industry: str
    employees: int
    female_employees: int
    has_party_org: bool
    eligible: bool
    org_id: int
    org_name: str
    womens_org_id: int | None
    womens_org_name: str
    womens_org_mode: str
    is_active: bool


class NewOrgPage(Schema):
    items: list[NewOrgOut]
    count: int


class NewOrgIn(Schema):
    org_id: int
    name: str
    credit_code: str
    kind: str = ""
    subkind: str = ""
    industry: str = ""
    employees: int = 0
    female_employees: int = 0
    has_party_org: bool = False


def _out(new_org: NewOrg, threshold: int) -> NewOrgOut:
    womens_org = new_org.womens_org
    return NewOrgOut(
        id=new_org.pk,
        name=new_org.name,
        credit_code=new_org.credit_code,
        kind=new_org.kind,
        kind_label=str(new_org.get_kind_display()),
        subkind=new_org.subkind,
        industry=new_org.industry,
        employees=new_org.employees,
        female_employees=new_org.female_employees,
        has_party_org=new_org.has_party_org,
        eligible=new_org.female_employees >= threshold,
        org_id=new_org.org_id,
        org_name=new_org.org.name,
        womens_org_id=new_org.womens_org_id,
        womens_org_name=womens_org.name if womens_org else "",
        womens_org_mode=womens_org.establishment_mode if womens_org else "",
        is_active=new_org.is_active,
    )


@router.get("/new-orgs", response=NewOrgPage, summary="两新组织（名称或统一社会信用代码检索）")
@scoped(NewOrg)
def list_new_orgs(
    request: HttpRequest, q: str = "", offset: int = 0, limit: int = 50
) -> NewOrgPage:
    new_orgs = NewOrg.objects.visible_to(request.user).select_related("org", "womens_org")
    if q.strip():
        new_orgs = new_orgs.filter(Q(name__contains=q.strip()) | Q(credit_code=q.strip().upper()))
    new_orgs = new_orgs.order_by("org__path", "name", "pk")
    limit = max(1, min(limit, MAX_LIMIT))
    offset = max(0, offset)
    threshold = eligibility_threshold()
    page = list(new_orgs[offset : offset + limit])
    return NewOrgPage(items=[_out(item, threshold) for item in page], count=new_orgs.count())


@router.get("/new-orgs/{pk}", response=NewOrgOut, summary="单个两新组织")
@scoped(NewOrg)
def get_new_org(request: HttpRequest, pk: int) -> NewOrgOut:
    new_org = get_for_user(NewOrg.objects.select_related("org", "womens_org"), request.user, pk)
    return _out(new_org, eligibility_threshold())


def _create_probe(record: Any) -> dict[str, Any]:
    return {
        "org_id": record.org_id,
        "name": "探测用企业",
        "credit_code": fake_credit_code(),
        "employees": 10,
        "female_employees": 5,
    }


@router.post("/new-orgs", response={201: NewOrgOut}, summary="登记两新组织")
@scoped(NewOrg, probe=_create_probe)
def create_new_org(request: HttpRequest, payload: NewOrgIn) -> Status[NewOrgOut]:
    org = get_for_user(OrgUnit.objects.all(), request.user, payload.org_id, "orgs.change")
    values = payload.dict()
    values.pop("org_id")
    new_org = new_org_register(actor=request.user, org=org, **values)
    return Status(201, _out(new_org, eligibility_threshold()))


class GridOut(Schema):
    id: int
    name: str
    community_id: int | None
    leader_person_id: int | None
    leader_name: str
    leader_title: str
    leader_since: datetime.date | None
    new_orgs: int


@router.get("/grids", response=list[GridOut], summary="网格及其妇女负责人")
@scoped(OrgUnit)
def list_grids(request: HttpRequest) -> list[GridOut]:
    grids = list(OrgUnit.objects.visible_to(request.user).filter(kind=OrgKind.GRID, is_active=True))
    communities = dict(
        OrgUnit.objects.visible_to(request.user)
        .filter(path__in={grid.path[: -OrgUnit.steplen] for grid in grids})
        .values_list("path", "pk")
    )
    leaders = {
        leader.org_id: leader
        for leader in GridLeader.objects.current()
        .filter(org__in=grids)
        .select_related("person", "person__org")
    }
    counts: dict[int, int] = {}
    for org_id in NewOrg.objects.filter(org__in=grids, is_active=True).values_list(
        "org_id", flat=True
    ):
        counts[org_id] = counts.get(org_id, 0) + 1
    result = []
    for grid in grids:
        leader = leaders.get(grid.pk)
        result.append(
            GridOut(
                id=grid.pk,
                name=grid.name,
                community_id=communities.get(grid.path[: -OrgUnit.steplen]),
                leader_person_id=leader.person_id if leader else None,
                leader_name=str(render(leader.person, viewer=request.user)) if leader else "",
                leader_title=str(leader.get_title_display()) if leader else "",
                leader_since=leader.started_on if leader else None,
                new_orgs=counts.get(grid.pk, 0),
            )
        )
    return result


class CoverageOut(Schema):
    year: int
    threshold: int
    indicators: list[dict[str, str]]
    evidence: list[str]
    rows: list[dict[str, Any]]


@router.get("/coverage", response=CoverageOut, summary="组织覆盖率（逐级汇总）")
@scope_exempt("aggregates only, computed by coverage_rollup from visible_to querysets")
def get_coverage(request: HttpRequest, year: int | None = None) -> CoverageOut:
    this_year = timezone.localdate().year
    if year is None or not 2000 <= year <= this_year:
        year = this_year
    report = coverage_rollup(request.user, year)
    return CoverageOut(
        year=report.year,
        threshold=report.threshold,
        indicators=[{"key": key, "label": label} for key, label in report.indicators],
        evidence=report.evidence,
        rows=[row_payload(row, report) for row in report.rows],
    )
