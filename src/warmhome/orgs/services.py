"""Writing the organisation tree and the facts of each unit.

Tree: ``orgunit_create``, ``orgunit_move`` (the whole subtree, so scoping and roll-ups follow),
``orgunit_merge`` (children and every record owned by the merged unit go to the kept unit; the
merged unit is closed, not deleted), ``orgunit_deactivate`` and ``orgunit_rename`` (the old name
is kept with its validity in ``OrgUnitNameChange``). A split is a create with ``valid_from`` and
moves of the children that leave.

Facts: ``orgunit_facts_update`` (mode, partners, venue), ``stage_record`` (a stage is recorded
by hand with its date and evidence, and only when every active checklist item of that stage is
ticked), ``unit_member_add`` / ``unit_member_end``, ``unit_funding_record`` and the checklist
itself (``stage_criterion_save``).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from warmhome.core.audit.services import attributed_service, change_log
from warmhome.core.models import AuditEntry
from warmhome.orgs.models import (
    ALLOWED_CHILDREN,
    STAGE_ORDER,
    EstablishmentMode,
    MemberRole,
    OrgKind,
    OrgUnit,
    OrgUnitNameChange,
    Stage,
    StageCriterion,
    StageRecord,
    UnitFunding,
    UnitMember,
    UrbanRuralClass,
)

CHANGE = "orgs.change"
MANAGE_CHECKLIST = "orgs.manage_checklist"


def _require(actor: Any, action: str, org: OrgUnit | None) -> None:
    # ``actor=None`` is the system itself (demo loader, migrations, maintenance commands).
    if actor is not None and not actor.has_action(action, org):
        raise PermissionDenied(_("您没有在该组织执行此操作的权限。"))


@attributed_service
@transaction.atomic
def orgunit_create(
    *,
    actor: Any,
    parent: OrgUnit | None,
    kind: str,
    name: str,
    code: str = "",
    short_name: str = "",
    valid_from: datetime.date | None = None,
    urban_rural_class: str = "",
) -> OrgUnit:
    """Add a unit under ``parent`` (or a root), checking that the kind may sit there."""
    if parent is None:
        if actor is not None:
            raise PermissionDenied(_("新建顶级组织（市、区）须由系统管理员在后台完成。"))
    else:
        _require(actor, CHANGE, parent)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("请填写组织名称。")})
    if parent is None:
        if kind not in {OrgKind.CITY, OrgKind.DISTRICT}:
            raise ValidationError({"kind": _("只有市、区可以作为顶级组织。")})
    elif kind not in ALLOWED_CHILDREN[parent.kind]:
        raise ValidationError(
            {
                "kind": _("“%(parent)s”（%(parent_kind)s）下不能设立%(kind)s。")
                % {
                    "parent": parent.name,
                    "parent_kind": OrgKind(parent.kind).label,
                    "kind": OrgKind(kind).label,
                }
            }
        )
    if code and OrgUnit.objects.filter(code=code).exists():
        raise ValidationError({"code": _("统计代码 %(code)s 已被其他组织使用。") % {"code": code}})
    fields = {
        "kind": kind,
        "name": name,
        "code": code,
        "short_name": short_name,
        "valid_from": valid_from,
        "urban_rural_class": urban_rural_class,
    }
    if parent is None:
        return OrgUnit.objects.add_root(fields)
    # treebeard reads a stale parent; reload so that sibling numbering is right. The lock makes
    # two submissions of the same unit wait for each other, so the second sees the first.
    parent = OrgUnit.objects.select_for_update().get(pk=parent.pk)
    if (
        OrgUnit.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
        .filter(name=name, is_active=True)
        .exists()
    ):
        raise ValidationError(
            {
                "name": _("“%(parent)s”下已有名为“%(name)s”的组织。")
                % {"parent": parent.name, "name": name}
            }
        )
    return OrgUnit.objects.add_child(parent, fields)


# --- tree changes ----------------------------------------------------------------------------


def _parent_of(unit: OrgUnit) -> OrgUnit | None:
    if unit.depth <= 1:
        return None
    return OrgUnit.objects.get(path=unit.path[: -OrgUnit.steplen])


def _kind_allowed(parent: OrgUnit, kind: str, name: str) -> None:
    if kind not in ALLOWED_CHILDREN[parent.kind]:
        raise ValidationError(
            {
                "parent": _("“%(parent)s”（%(parent_kind)s）下不能设立%(kind)s。")
                % {
                    "parent": parent.name,
                    "parent_kind": OrgKind(parent.kind).label,
                    "kind": OrgKind(kind).label,
                }
            }
        )


def _log_tree_event(
    *, actor: Any, unit: OrgUnit, before: dict[str, Any], after: dict[str, Any]
) -> None:
    # treebeard rewrites paths with bulk updates, which send no signals: the service writes
    # the entry itself, under the unit's new path so that its new street's auditors see it.
    change_log(kind=AuditEntry.Kind.UPDATE, instance=unit, before=before, after=after, actor=actor)


@attributed_service
@transaction.atomic
def orgunit_move(*, actor: Any, unit: OrgUnit, new_parent: OrgUnit) -> OrgUnit:
    """Move ``unit`` and its whole subtree under ``new_parent``.

    Everything owned below follows at once: records point at units, and scoping and roll-ups
    read the units' paths. The audit trail gets one entry for the unit (under its new path) and
    one for its former parent (so that the old street's auditors see it leave).
    """
    _require(actor, CHANGE, unit)
    _require(actor, CHANGE, new_parent)
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    new_parent = OrgUnit.objects.select_for_update().get(pk=new_parent.pk)
    old_parent = _parent_of(unit)
    if old_parent is None:
        raise ValidationError(_("顶级组织不能调整隶属关系。"))
    if old_parent.pk == new_parent.pk:
        raise ValidationError(
            {"parent": _("该组织已隶属于“%(name)s”。") % {"name": new_parent.name}}
        )
    if new_parent.path.startswith(unit.path):
        raise ValidationError({"parent": _("不能把组织移到它自己或它的下级组织之下。")})
    if not new_parent.is_active:
        raise ValidationError(
            {"parent": _("“%(name)s”已停用，不能接收下级组织。") % {"name": new_parent.name}}
        )
    _kind_allowed(new_parent, unit.kind, unit.name)
    old_path = unit.path
    descendants = OrgUnit.objects.filter(path__startswith=old_path).count() - 1
    OrgUnit.objects.move(unit, new_parent, "sorted-child")
    unit = OrgUnit.objects.get(pk=unit.pk)
    move = {"from_parent": old_parent.pk, "to_parent": new_parent.pk, "descendants": descendants}
    _log_tree_event(
        actor=actor,
        unit=unit,
        before={"parent": old_parent.pk, "parent_name": old_parent.name, "path": old_path},
        after={"parent": new_parent.pk, "parent_name": new_parent.name, "path": unit.path, **move},
    )
    _log_tree_event(
        actor=actor,
        unit=OrgUnit.objects.get(pk=old_parent.pk),
        before={"child_moved_out": unit.pk, "child_name": unit.name},
        after=move,
    )
    return unit


#: references to a unit that are its history and stay with it when it is merged away
_HISTORY_REFERENCES = {("orgs.OrgUnit", "merged_into"), ("orgs.OrgUnitNameChange", "unit")}


def org_reference_fields() -> list[models.ForeignKey[Any, Any]]:
    """Every concrete foreign key to ``OrgUnit``, whatever the app — the owner (``org``) and
    other references such as a company's women's organisation — except the units' history."""
    found: list[models.ForeignKey[Any, Any]] = []
    for model in apps.get_models():
        for model_field in model._meta.concrete_fields:
            if (
                isinstance(model_field, models.ForeignKey)
                and model_field.related_model is OrgUnit
                and (model._meta.label, model_field.name) not in _HISTORY_REFERENCES
            ):
                found.append(model_field)
    return found


@dataclass
class MergeResult:
    kept: OrgUnit
    children_moved: int = 0
    #: model label → rows moved to the kept unit
    records_moved: dict[str, int] = field(default_factory=dict)
    #: model label → rows left with the merged unit (the kept unit already had the same)
    records_left: dict[str, int] = field(default_factory=dict)


def _move_owned_records(keep: OrgUnit, merge: OrgUnit, result: MergeResult) -> None:
    for fk in org_reference_fields():
        model = fk.model
        label = model._meta.label
        update_fields = [fk.name] + (
            ["updated_at"]
            if any(f.name == "updated_at" for f in model._meta.concrete_fields)
            else []
        )
        rows: list[Any] = list(model._base_manager.filter(**{fk.name: merge}))
        for row in rows:
            setattr(row, fk.name, keep)
            try:
                with transaction.atomic():
                    row.save(update_fields=update_fields)  # one by one: each move is audited
            except IntegrityError:
                # The kept unit already has the same (a post, a year's funds): history stays.
                result.records_left[label] = result.records_left.get(label, 0) + 1
                continue
            result.records_moved[label] = result.records_moved.get(label, 0) + 1


@attributed_service
@transaction.atomic
def orgunit_merge(
    *, actor: Any, keep: OrgUnit, merge: OrgUnit, on: datetime.date | None = None
) -> MergeResult:
    """Merge ``merge`` into ``keep`` (two communities become one).

    Its children move under ``keep``, and so does every record that refers to it (found by
    ``org_reference_fields``: the records it owns, a company's women's organisation …).
    ``merge`` is closed: inactive, valid to the day before ``on``, pointing at ``keep``;
    nothing is deleted.
    """
    _require(actor, CHANGE, keep)
    _require(actor, CHANGE, merge)
    on = on or timezone.localdate()
    keep = OrgUnit.objects.select_for_update().get(pk=keep.pk)
    merge = OrgUnit.objects.select_for_update().get(pk=merge.pk)
    if keep.pk == merge.pk:
        raise ValidationError(_("不能将组织与自身合并。"))
    if not keep.is_active or not merge.is_active:
        raise ValidationError(_("其中一个组织已停用或已被合并，请刷新后重试。"))
    if keep.kind != merge.kind:
        raise ValidationError(
            _("只能合并同类型的组织（“%(keep)s”是%(keep_kind)s，“%(merge)s”是%(merge_kind)s）。")
            % {
                "keep": keep.name,
                "keep_kind": OrgKind(keep.kind).label,
                "merge": merge.name,
                "merge_kind": OrgKind(merge.kind).label,
            }
        )
    if keep.path.startswith(merge.path) or merge.path.startswith(keep.path):
        raise ValidationError(_("不能合并有上下级关系的组织。"))
    result = MergeResult(kept=keep)
    for child in list(OrgUnit.objects.get_children(merge)):
        orgunit_move(actor=actor, unit=child, new_parent=OrgUnit.objects.get(pk=keep.pk))
        result.children_moved += 1
    merge = OrgUnit.objects.get(pk=merge.pk)
    _move_owned_records(keep, merge, result)
    for partner in list(OrgUnit.objects.filter(joint_units=merge)):
        partner.joint_units.remove(merge)
        partner.joint_units.add(keep)
    merge.is_active = False
    merge.valid_to = on - datetime.timedelta(days=1)
    merge.merged_into = keep
    merge.save()
    result.kept = OrgUnit.objects.get(pk=keep.pk)
    return result


@attributed_service
@transaction.atomic
def orgunit_deactivate(*, actor: Any, unit: OrgUnit, on: datetime.date | None = None) -> OrgUnit:
    """Close ``unit`` from ``on``: it stays in the tree and in history, marked inactive."""
    _require(actor, CHANGE, unit)
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    if not unit.is_active:
        raise ValidationError(_("该组织已停用。"))
    on = on or timezone.localdate()
    if unit.valid_from and on <= unit.valid_from:
        raise ValidationError(
            {"on": _("停用日期须晚于启用日期 %(date)s。") % {"date": unit.valid_from}}
        )
    active_children = OrgUnit.objects.get_children(unit).filter(is_active=True)
    if active_children.exists():
        raise ValidationError(
            _("该组织下还有 %(count)d 个有效的下级组织，请先调整隶属关系或停用下级组织。")
            % {"count": active_children.count()}
        )
    unit.is_active = False
    unit.valid_to = on - datetime.timedelta(days=1)
    unit.save()
    return unit


@attributed_service
@transaction.atomic
def orgunit_rename(
    *,
    actor: Any,
    unit: OrgUnit,
    name: str,
    on: datetime.date | None = None,
    source: str = "",
) -> OrgUnit:
    """Give ``unit`` a new name from ``on``; the old one is kept with its validity."""
    _require(actor, CHANGE, unit)
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("请填写组织名称。")})
    if len(name) > 100:
        raise ValidationError({"name": _("组织名称最多 100 个字。")})
    if name == unit.name:
        raise ValidationError({"name": _("新名称与现名称相同。")})
    on = on or timezone.localdate()
    last = OrgUnitNameChange.objects.filter(unit=unit).order_by("-valid_to").first()
    old_from = (last.valid_to + datetime.timedelta(days=1)) if last else unit.valid_from
    if old_from and on <= old_from:
        raise ValidationError(
            {"on": _("更名日期须晚于现名称的启用日期 %(date)s。") % {"date": old_from}}
        )
    OrgUnitNameChange(
        unit=unit,
        old_name=unit.name,
        new_name=name,
        valid_from=old_from,
        valid_to=on - datetime.timedelta(days=1),
        source=source[:100],
    ).save()
    unit.name = name
    unit.save()
    return unit


@attributed_service
@transaction.atomic
def orgunit_classify(*, actor: Any, unit: OrgUnit, urban_rural_class: str) -> OrgUnit:
    """Set the urban–rural class (城乡分类代码) of the official code list."""
    _require(actor, CHANGE, unit)
    if urban_rural_class and urban_rural_class not in UrbanRuralClass.values:
        raise ValidationError(
            {"urban_rural_class": _("城乡分类代码“%(code)s”无效。") % {"code": urban_rural_class}}
        )
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    if unit.urban_rural_class != urban_rural_class:
        unit.urban_rural_class = urban_rural_class
        unit.save()
    return unit


# --- facts of a unit -------------------------------------------------------------------------


@attributed_service
@transaction.atomic
def orgunit_facts_update(
    *,
    actor: Any,
    unit: OrgUnit,
    establishment_mode: str,
    joint_partner_names: str = "",
    joint_units: list[OrgUnit] | None = None,
    has_venue: bool = False,
    venue_area: Decimal | None = None,
    venue_address: str = "",
) -> OrgUnit:
    """Set how the unit was built (单建/联建, with whom) and its venue (阵地)."""
    _require(actor, CHANGE, unit)
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    joint_units = list(joint_units or [])
    names = "\n".join(line.strip() for line in joint_partner_names.splitlines() if line.strip())
    errors: dict[str, list[str]] = {}
    if establishment_mode and establishment_mode not in EstablishmentMode.values:
        errors["establishment_mode"] = [_("请选择组建方式。")]
    if establishment_mode == EstablishmentMode.JOINT and not names and not joint_units:
        errors["joint_partner_names"] = [_("联建须填写联建单位。")]
    if establishment_mode != EstablishmentMode.JOINT and (names or joint_units):
        errors["joint_partner_names"] = [_("只有联建的组织才填写联建单位。")]
    if any(partner.pk == unit.pk for partner in joint_units):
        errors["joint_units"] = [_("联建组织不能是本组织自己。")]
    if venue_area is not None and venue_area <= 0:
        errors["venue_area"] = [_("阵地面积须大于 0。")]
    if has_venue and not venue_address.strip():
        errors["venue_address"] = [_("有阵地时请填写阵地地址。")]
    if not has_venue and (venue_area is not None or venue_address.strip()):
        errors["has_venue"] = [_("填写了阵地面积或地址，请勾选“有阵地”。")]
    if errors:
        raise ValidationError(errors)
    unit.establishment_mode = establishment_mode
    unit.joint_partner_names = names
    unit.has_venue = has_venue
    unit.venue_area = venue_area
    unit.venue_address = venue_address.strip()[:200]
    unit.save()
    unit.joint_units.set(joint_units)
    return unit


@attributed_service
@transaction.atomic
def stage_record(
    *,
    actor: Any,
    unit: OrgUnit,
    stage: str,
    reached_on: datetime.date,
    evidence: str,
    criteria: list[StageCriterion],
) -> StageRecord:
    """Record that ``unit`` reached ``stage``: stages come in order, every active checklist
    item of the stage must be ticked, and the evidence is required."""
    _require(actor, CHANGE, unit)
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    errors: dict[str, list[str]] = {}
    if stage not in STAGE_ORDER:
        raise ValidationError({"stage": [_("请选择建设阶段。")]})
    current_rank = STAGE_ORDER.get(unit.stage, 0)
    if STAGE_ORDER[stage] <= current_rank:
        errors["stage"] = [
            _("该组织已达到“%(stage)s”阶段，不能重复记录。") % {"stage": Stage(unit.stage).label}
        ]
    elif STAGE_ORDER[stage] > current_rank + 1:
        errors["stage"] = [_("须按“先建立、后完善、再提高”的顺序逐级记录。")]
    if not evidence.strip():
        errors["evidence"] = [_("请填写佐证材料（文件、照片、会议记录等）。")]
    if reached_on > timezone.localdate():
        errors["reached_on"] = [_("达到日期不能晚于今天。")]
    elif unit.stage_reached_on and reached_on < unit.stage_reached_on:
        errors["reached_on"] = [
            _("达到日期不能早于上一阶段的日期 %(date)s。") % {"date": unit.stage_reached_on}
        ]
    required = list(StageCriterion.objects.filter(stage=stage, is_active=True))
    ticked = {criterion.pk for criterion in criteria if criterion.stage == stage}
    missing = [criterion.text for criterion in required if criterion.pk not in ticked]
    if missing:
        errors["criteria"] = [_("尚未达到以下标准：%(items)s。") % {"items": "；".join(missing)}]
    if errors:
        raise ValidationError(errors)
    record = StageRecord(org=unit, stage=stage, reached_on=reached_on, evidence=evidence.strip())
    record.save()
    record.criteria_met.set([criterion for criterion in required if criterion.pk in ticked])
    unit.stage = stage
    unit.stage_reached_on = reached_on
    unit.save()
    return record


@attributed_service
@transaction.atomic
def unit_member_add(
    *,
    actor: Any,
    unit: OrgUnit,
    role: str,
    person: Any = None,
    post: Any = None,
    term_start: datetime.date | None = None,
) -> UnitMember:
    """Put a person (of the registry) and/or an account's post into one of the unit's roles."""
    _require(actor, CHANGE, unit)
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    errors: dict[str, list[str]] = {}
    if role not in MemberRole.values:
        errors["role"] = [_("请选择职务。")]
    if person is None and post is None:
        errors["person"] = [_("请选择人员或岗位账号。")]
    if person is not None and actor is not None and not actor.has_action("people.view", person.org):
        errors["person"] = [_("所选人员不在您的查看范围内。")]
    if post is not None and actor is not None and not actor.has_action(CHANGE, post.org):
        errors["post"] = [_("所选岗位不在您的管理范围内。")]
    if errors:
        raise ValidationError(errors)
    current = UnitMember.objects.filter(org=unit, is_active=True)
    if role == MemberRole.CHAIR and current.filter(role=MemberRole.CHAIR).exists():
        raise ValidationError({"role": [_("该组织已有在任主席，请先办理原主席离任。")]})
    same = current.filter(role=role)
    if (person is not None and same.filter(person=person).exists()) or (
        person is None and post is not None and same.filter(post=post).exists()
    ):
        raise ValidationError({"person": [_("此人已在该组织担任该职务。")]})
    member = UnitMember(org=unit, role=role, person=person, post=post, term_start=term_start)
    member.save()
    return member


@attributed_service
@transaction.atomic
def unit_member_end(
    *, actor: Any, member: UnitMember, term_end: datetime.date | None = None
) -> UnitMember:
    """End a member's term; the row stays as history."""
    _require(actor, CHANGE, member.org)
    member = UnitMember.objects.select_for_update().get(pk=member.pk)
    if not member.is_active:
        raise ValidationError(_("该成员已离任。"))
    term_end = term_end or timezone.localdate()
    if member.term_start and term_end < member.term_start:
        raise ValidationError({"term_end": [_("离任日期不能早于任职日期。")]})
    member.is_active = False
    member.term_end = term_end
    member.save()
    return member


@attributed_service
@transaction.atomic
def unit_funding_record(
    *,
    actor: Any,
    unit: OrgUnit,
    year: int,
    amount: Decimal,
    source: str,
    note: str = "",
) -> UnitFunding:
    """Record the unit's funds of ``year``; a second record of the same year replaces the first
    (so a double submission leaves one row)."""
    _require(actor, CHANGE, unit)
    errors: dict[str, list[str]] = {}
    this_year = timezone.localdate().year
    if not 2000 <= year <= this_year + 1:
        errors["year"] = [_("年度须在 2000 年至 %(max)d 年之间。") % {"max": this_year + 1}]
    if amount is None or amount < 0:
        errors["amount"] = [_("金额不能为负数。")]
    if not source.strip():
        errors["source"] = [_("请填写经费来源。")]
    if errors:
        raise ValidationError(errors)
    funding = UnitFunding.objects.select_for_update().filter(org=unit, year=year).first()
    if funding is None:
        funding = UnitFunding(org=unit, year=year)
    funding.amount = amount
    funding.source = source.strip()[:100]
    funding.note = note.strip()[:200]
    try:
        with transaction.atomic():
            funding.save()
    except IntegrityError as clash:
        raise ValidationError({"year": [_("该年度经费刚刚已被登记，请刷新后核实。")]}) from clash
    return funding


@attributed_service
@transaction.atomic
def stage_criterion_save(
    *,
    actor: Any,
    criterion: StageCriterion | None = None,
    stage: str,
    text: str,
    order: int = 100,
    is_active: bool = True,
) -> StageCriterion:
    """Add or change an item of a stage's checklist (the district's managed list)."""
    if actor is not None and not actor.has_action(MANAGE_CHECKLIST):
        raise PermissionDenied(_("您没有维护阶段标准的权限。"))
    errors: dict[str, list[str]] = {}
    if stage not in STAGE_ORDER:
        errors["stage"] = [_("请选择建设阶段。")]
    text = text.strip()
    if not text:
        errors["text"] = [_("请填写标准内容。")]
    elif len(text) > 200:
        errors["text"] = [_("标准内容最多 200 个字。")]
    duplicate = StageCriterion.objects.filter(stage=stage, text=text)
    if criterion is not None:
        duplicate = duplicate.exclude(pk=criterion.pk)
    if text and duplicate.exists():
        errors["text"] = [_("该阶段已有相同的标准。")]
    if errors:
        raise ValidationError(errors)
    criterion = criterion or StageCriterion()
    criterion.stage = stage
    criterion.text = text
    criterion.order = order
    criterion.is_active = is_active
    criterion.save()
    return criterion
