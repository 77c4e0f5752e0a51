"""Writing the "两新" organisation registry and the grid leaders.

``new_org_register`` / ``new_org_update`` / ``new_org_deactivate``; ``new_org_womens_org_create``
creates the women's organisation (an ``OrgUnit`` of kind ``new_org`` under the community,
through ``orgs.services.orgunit_create``), standalone (单建) or joint (联建) with neighbouring
organisations of the same community; ``grid_leader_assign`` / ``grid_leader_end``.
Permission: ``orgs.change`` over the organisation's community or grid.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from warmhome.core.audit.services import attributed_service
from warmhome.core.identifiers import validate_credit_code
from warmhome.orgs.models import EstablishmentMode, OrgKind, OrgUnit
from warmhome.orgs.models_new_orgs import (
    CREDIT_CODE_PREFIXES,
    SUBKINDS_OF,
    GridLeader,
    GridLeaderTitle,
    NewOrg,
    NewOrgKind,
)
from warmhome.orgs.services import orgunit_create

CHANGE = "orgs.change"
#: where a 两新 organisation may be registered
NEW_ORG_PLACES = (OrgKind.COMMUNITY, OrgKind.GRID)
#: the fields a form or an import may set
NEW_ORG_FIELDS = (
    "name",
    "credit_code",
    "kind",
    "subkind",
    "industry",
    "employees",
    "female_employees",
    "has_party_org",
)


def _require(actor: Any, org: OrgUnit) -> None:
    # ``actor=None`` is the system itself (demo loader, maintenance commands).
    if actor is not None and not actor.has_action(CHANGE, org):
        raise PermissionDenied(_("您没有在该组织执行此操作的权限。"))


def _check_place(org: OrgUnit) -> None:
    if org.kind not in NEW_ORG_PLACES or not org.is_active:
        raise ValidationError(
            {"org": _("两新组织只能登记到有效的社区或网格，“%(name)s”不是。") % {"name": org.name}}
        )


def _clean(new_org: NewOrg) -> None:
    errors: dict[str, list[str]] = {}
    new_org.name = (new_org.name or "").strip()
    if not new_org.name:
        errors.setdefault("name", []).append(_("请填写名称。"))
    try:
        new_org.credit_code = validate_credit_code(new_org.credit_code).value
    except ValidationError as problem:
        errors.setdefault("credit_code", []).extend(problem.messages)
    if not new_org.kind and new_org.credit_code[:2] in CREDIT_CODE_PREFIXES:
        new_org.kind, default_subkind = CREDIT_CODE_PREFIXES[new_org.credit_code[:2]]
        new_org.subkind = new_org.subkind or default_subkind
    if new_org.kind not in NewOrgKind.values:
        errors.setdefault("kind", []).append(_("请选择类型（非公有制企业或社会组织）。"))
    elif new_org.subkind and new_org.subkind not in SUBKINDS_OF[new_org.kind]:
        errors.setdefault("subkind", []).append(
            _("细分类型与类型“%(kind)s”不符。") % {"kind": NewOrgKind(new_org.kind).label}
        )
    if new_org.female_employees > new_org.employees:
        errors.setdefault("female_employees", []).append(_("女职工数不能大于从业人员数。"))
    if errors:
        raise ValidationError(errors)


def _save(new_org: NewOrg) -> None:
    clash = NewOrg.objects.filter(credit_code=new_org.credit_code).exclude(pk=new_org.pk)
    if clash.exists():
        raise ValidationError(
            {
                "credit_code": [
                    _("统一社会信用代码 %(code)s 已登记。") % {"code": new_org.credit_code}
                ]
            },
            code="duplicate",
        )
    try:
        with transaction.atomic():
            new_org.save()
    except IntegrityError as race:  # two clerks registering the same code at the same moment
        raise ValidationError(
            {"credit_code": [_("该统一社会信用代码刚刚已被登记，请刷新后核实。")]}
        ) from race


@attributed_service
@transaction.atomic
def new_org_register(*, actor: Any, org: OrgUnit, **values: Any) -> NewOrg:
    """Register a 两新 organisation in the community or grid ``org``."""
    _require(actor, org)
    unknown = set(values) - set(NEW_ORG_FIELDS)
    if unknown:
        raise TypeError(f"new_org_register() got unexpected fields {sorted(unknown)}")
    _check_place(org)
    values = {key: value for key, value in values.items() if value is not None}
    new_org = NewOrg(org=org, **values)
    _clean(new_org)
    _save(new_org)
    return new_org


@attributed_service
@transaction.atomic
def new_org_update(
    *, actor: Any, new_org: NewOrg, org: OrgUnit | None = None, **values: Any
) -> NewOrg:
    """Change a 两新 organisation's facts, or move it to another community or grid."""
    _require(actor, new_org.org)
    unknown = set(values) - set(NEW_ORG_FIELDS)
    if unknown:
        raise TypeError(f"new_org_update() got unexpected fields {sorted(unknown)}")
    if org is not None and org.pk != new_org.org_id:
        _require(actor, org)
        _check_place(org)
        new_org.org = org
    for key, value in values.items():
        if value is not None:
            setattr(new_org, key, value)
    _clean(new_org)
    _save(new_org)
    return new_org


@attributed_service
@transaction.atomic
def new_org_deactivate(
    *, actor: Any, new_org: NewOrg, reason: str, on: datetime.date | None = None
) -> NewOrg:
    """Mark a 两新 organisation closed or gone (kept, no longer counted in coverage)."""
    _require(actor, new_org.org)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("请填写停用原因。")})
    new_org = NewOrg.objects.select_for_update().get(pk=new_org.pk)
    if not new_org.is_active:
        raise ValidationError(_("该两新组织已停用。"))
    new_org.is_active = False
    new_org.deactivated_on = on or timezone.localdate()
    new_org.deactivation_reason = reason[:200]
    new_org.save()
    return new_org


def community_of(unit: OrgUnit) -> OrgUnit:
    """The community of a community or grid."""
    if unit.kind == OrgKind.GRID:
        parent = OrgUnit.objects.get_parent(unit)
        if parent is None:  # a grid always sits under a community (ALLOWED_CHILDREN)
            raise ValueError(f"Grid {unit.pk} has no parent.")
        return parent
    return unit


@dataclass(frozen=True, slots=True)
class WomensOrgResult:
    unit: OrgUnit
    new_orgs: list[NewOrg]


def _default_name(new_org: NewOrg, partners: list[NewOrg]) -> str:
    if not partners:
        return _("%(name)s妇女委员会") % {"name": new_org.name}
    return _("%(name)s等%(count)d家单位联合妇女委员会") % {
        "name": new_org.name,
        "count": len(partners) + 1,
    }


def _has_active_womens_org(new_org: NewOrg) -> bool:
    # A closed women's organisation leaves the 两新 organisation uncovered: it may get a new one.
    return new_org.womens_org_id is not None and new_org.womens_org.is_active  # type: ignore[union-attr]


def _locked(new_orgs: list[NewOrg]) -> list[NewOrg]:
    # Locked in id order, so two joint creations over the same organisations cannot deadlock.
    ids = sorted(new_org.pk for new_org in new_orgs)
    locked = {row.pk: row for row in NewOrg.objects.select_for_update().filter(pk__in=ids)}
    return [locked[new_org.pk] for new_org in new_orgs]


@attributed_service
@transaction.atomic
def new_org_womens_org_create(
    *,
    actor: Any,
    new_org: NewOrg,
    partners: list[NewOrg] | None = None,
    name: str = "",
    valid_from: datetime.date | None = None,
) -> WomensOrgResult:
    """Create the women's organisation of ``new_org``: standalone (单建), or joint (联建) with
    ``partners``, neighbouring organisations of the same community that have none yet."""
    partners = [partner for partner in (partners or []) if partner.pk != new_org.pk]
    _require(actor, new_org.org)
    for partner in partners:
        _require(actor, partner.org)
    locked = _locked([new_org, *partners])
    community = community_of(locked[0].org)
    problems = []
    for member in locked:
        if not member.is_active:
            problems.append(_("“%(name)s”已停用。") % {"name": member.name})
        elif _has_active_womens_org(member):
            problems.append(_("“%(name)s”已有妇女组织。") % {"name": member.name})
        elif community_of(member.org).pk != community.pk:
            problems.append(
                _("“%(name)s”不在“%(community)s”，联建单位须在同一社区。")
                % {"name": member.name, "community": community.name}
            )
    if problems:
        raise ValidationError(problems)
    unit = orgunit_create(
        actor=actor,
        parent=community,
        kind=OrgKind.NEW_ORG,
        name=(name.strip() or _default_name(locked[0], locked[1:]))[:100],
        valid_from=valid_from or timezone.localdate(),
    )
    unit.establishment_mode = EstablishmentMode.JOINT if partners else EstablishmentMode.STANDALONE
    unit.joint_partner_names = "\n".join(member.name for member in locked) if partners else ""
    unit.save(update_fields=["establishment_mode", "joint_partner_names", "updated_at"])
    for member in locked:
        member.womens_org = unit
        member.save(update_fields=["womens_org", "updated_at"])
    return WomensOrgResult(unit=unit, new_orgs=locked)


@attributed_service
@transaction.atomic
def new_org_womens_org_join(*, actor: Any, new_org: NewOrg, womens_org: OrgUnit) -> NewOrg:
    """Bring ``new_org`` into an existing joint (联建) women's organisation of its community."""
    _require(actor, new_org.org)
    _require(actor, womens_org)
    (member,) = _locked([new_org])
    if _has_active_womens_org(member):
        raise ValidationError(_("“%(name)s”已有妇女组织。") % {"name": member.name})
    if womens_org.kind != OrgKind.NEW_ORG or not womens_org.is_active:
        raise ValidationError(_("只能加入有效的两新组织妇女组织。"))
    if womens_org.path[: -OrgUnit.steplen] != community_of(member.org).path:
        raise ValidationError(_("联建单位须在同一社区。"))
    member.womens_org = womens_org
    member.save(update_fields=["womens_org", "updated_at"])
    names = womens_org.partner_names()
    womens_org.establishment_mode = EstablishmentMode.JOINT
    womens_org.joint_partner_names = "\n".join([*names, member.name])
    womens_org.save(update_fields=["establishment_mode", "joint_partner_names", "updated_at"])
    return member


# --- grid leaders ---------------------------------------------------------------------------


@attributed_service
@transaction.atomic
def grid_leader_assign(
    *,
    actor: Any,
    grid: OrgUnit,
    person: Any,
    title: str = GridLeaderTitle.WOMENS_GROUP_LEADER,
    started_on: datetime.date | None = None,
) -> GridLeader:
    """Make ``person`` the women's leader of ``grid``; the current one's term ends that day."""
    _require(actor, grid)
    if grid.kind != OrgKind.GRID or not grid.is_active:
        raise ValidationError({"grid": _("只能为有效的网格指定妇女负责人。")})
    if actor is not None and not actor.has_action("people.view", person.org):
        raise PermissionDenied(_("您无权查看该人员。"))
    if title not in GridLeaderTitle.values:
        raise ValidationError({"title": _("请选择职务。")})
    started_on = started_on or timezone.localdate()
    # Lock the grid row: two assignments at once end in one current leader, not an error page.
    OrgUnit.objects.select_for_update().filter(pk=grid.pk).first()
    for current in GridLeader.objects.select_for_update().current().filter(org=grid):
        current.ended_on = max(started_on, current.started_on)
        current.save(update_fields=["ended_on", "updated_at"])
    return GridLeader.objects.create(org=grid, person=person, title=title, started_on=started_on)


@attributed_service
@transaction.atomic
def grid_leader_end(
    *, actor: Any, leader: GridLeader, on: datetime.date | None = None
) -> GridLeader:
    """End a grid leader's term."""
    _require(actor, leader.org)
    leader = GridLeader.objects.select_for_update().get(pk=leader.pk)
    if leader.ended_on is not None:
        raise ValidationError(_("该负责人已离任。"))
    leader.ended_on = max(on or timezone.localdate(), leader.started_on)
    leader.save(update_fields=["ended_on", "updated_at"])
    return leader
