"""Organisation management services: the tree and the facts of each unit."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.conftest import Personas, Tree
from tests.factories import new_org, org, person, user_with_post
from warmhome.accounts.models import Post
from warmhome.core.models import AuditEntry
from warmhome.orgs import services
from warmhome.orgs.models import (
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
)
from warmhome.orgs.services_new_orgs import new_org_womens_org_create
from warmhome.people.models import Person


def fresh(unit: OrgUnit) -> OrgUnit:
    return OrgUnit.objects.get(pk=unit.pk)


def messages_of(problem: ValidationError) -> str:
    return " ".join(problem.messages)


# --- create ----------------------------------------------------------------------------------


def test_a_street_cadre_creates_a_community_in_her_street(tree: Tree, personas: Personas):
    unit = services.orgunit_create(
        actor=personas.street_a_cadre,
        parent=tree.street_a,
        kind=OrgKind.COMMUNITY,
        name="新建社区",
        valid_from=datetime.date(2025, 1, 1),
    )

    assert OrgUnit.objects.get_parent(fresh(unit)) == tree.street_a
    assert AuditEntry.objects.filter(model_label="orgs.OrgUnit", object_pk=str(unit.pk)).exists()


def test_creating_outside_her_street_is_refused(tree: Tree, personas: Personas):
    with pytest.raises(PermissionDenied):
        services.orgunit_create(
            actor=personas.street_a_cadre,
            parent=tree.street_b,
            kind=OrgKind.COMMUNITY,
            name="越权社区",
        )
    assert not OrgUnit.objects.filter(name="越权社区").exists()


def test_a_community_cadre_may_not_create_units(tree: Tree, personas: Personas):
    with pytest.raises(PermissionDenied):
        services.orgunit_create(
            actor=personas.community_a1_cadre,
            parent=tree.community_a1,
            kind=OrgKind.GRID,
            name="新网格",
        )


def test_a_second_submission_of_the_same_unit_is_refused(tree: Tree, personas: Personas):
    kwargs = {"parent": tree.street_a, "kind": OrgKind.COMMUNITY, "name": "重复社区"}
    services.orgunit_create(actor=personas.street_a_cadre, **kwargs)

    with pytest.raises(ValidationError) as problem:
        services.orgunit_create(actor=personas.street_a_cadre, **kwargs)

    assert "已有名为“重复社区”的组织" in messages_of(problem.value)
    assert OrgUnit.objects.filter(name="重复社区").count() == 1


def test_a_kind_that_may_not_sit_there_is_refused_in_chinese(tree: Tree, personas: Personas):
    with pytest.raises(ValidationError) as problem:
        services.orgunit_create(
            actor=personas.street_a_cadre, parent=tree.street_a, kind=OrgKind.GRID, name="网格"
        )
    assert "“解放路街道”（街道）下不能设立网格。" in messages_of(problem.value)


# --- move ------------------------------------------------------------------------------------


def test_moving_needs_change_over_both_places(tree: Tree, personas: Personas):
    with pytest.raises(PermissionDenied):
        services.orgunit_move(
            actor=personas.street_a_cadre, unit=tree.community_a2, new_parent=tree.street_b
        )
    assert OrgUnit.objects.get_parent(fresh(tree.community_a2)) == tree.street_a


@pytest.mark.parametrize(
    ("unit", "target", "message"),
    [
        ("community_a1", "street_a", "该组织已隶属于“解放路街道”。"),
        ("street_a", "community_a1", "不能把组织移到它自己或它的下级组织之下。"),
        ("community_a1", "community_b1", "“佛山苑社区”（社区）下不能设立社区。"),
        ("district", "street_b", "顶级组织不能调整隶属关系。"),
    ],
)
def test_impossible_moves_are_refused_in_chinese(
    tree: Tree, personas: Personas, unit: str, target: str, message: str
):
    with pytest.raises(ValidationError) as problem:
        services.orgunit_move(
            actor=personas.district_staff,
            unit=getattr(tree, unit),
            new_parent=getattr(tree, target),
        )
    assert message in messages_of(problem.value)


def test_a_move_takes_the_whole_subtree_and_its_records(tree: Tree, personas: Personas):
    grid = org(tree.community_a2, OrgKind.GRID, "甲二社区第一网格")
    resident = person(grid, "陈秀英")

    services.orgunit_move(
        actor=personas.district_staff, unit=tree.community_a2, new_parent=tree.street_b
    )

    moved = fresh(tree.community_a2)
    assert moved.path.startswith(fresh(tree.street_b).path)
    assert fresh(grid).path.startswith(moved.path)
    assert Person.objects.get(pk=resident.pk).org.path.startswith(fresh(tree.street_b).path)


# --- merge -----------------------------------------------------------------------------------


def test_merge_moves_children_and_owned_records_and_keeps_history(tree: Tree, personas: Personas):
    grid = org(tree.community_a2, OrgKind.GRID, "甲二社区第一网格")
    resident = person(tree.community_a2, "王桂兰")
    cadre = user_with_post("a2_cadre", tree.community_a2, "community_cadre")
    services.unit_funding_record(
        actor=None, unit=tree.community_a2, year=2025, amount=Decimal("3000"), source="街道拨款"
    )
    services.unit_funding_record(
        actor=None, unit=tree.community_a1, year=2025, amount=Decimal("5000"), source="街道拨款"
    )

    result = services.orgunit_merge(
        actor=personas.street_a_cadre,
        keep=tree.community_a1,
        merge=tree.community_a2,
        on=datetime.date(2026, 1, 1),
    )

    merged = fresh(tree.community_a2)
    assert not merged.is_active
    assert merged.valid_to == datetime.date(2025, 12, 31)
    assert merged.merged_into_id == tree.community_a1.pk
    assert OrgUnit.objects.get_parent(fresh(grid)) == fresh(tree.community_a1)
    assert Person.objects.get(pk=resident.pk).org_id == tree.community_a1.pk
    assert Post.objects.get(user=cadre).org_id == tree.community_a1.pk
    assert result.children_moved == 1
    assert result.records_moved["people.Person"] == 1
    # The kept unit had its own 2025 funds: the merged unit's row stays with it, not lost.
    assert result.records_left == {"orgs.UnitFunding": 1}
    assert UnitFunding.objects.filter(org=tree.community_a2).count() == 1
    assert OrgUnit.objects.filter(pk=tree.community_a2.pk).exists()


def test_merging_units_of_different_kinds_is_refused(tree: Tree, personas: Personas):
    with pytest.raises(ValidationError) as problem:
        services.orgunit_merge(
            actor=personas.street_a_cadre, keep=tree.community_a1, merge=tree.grid_a1
        )
    assert "只能合并同类型的组织" in messages_of(problem.value)


def test_merging_twice_is_refused(tree: Tree, personas: Personas):
    services.orgunit_merge(
        actor=personas.street_a_cadre, keep=tree.community_a1, merge=tree.community_a2
    )
    with pytest.raises(ValidationError) as problem:
        services.orgunit_merge(
            actor=personas.street_a_cadre, keep=tree.community_a1, merge=tree.community_a2
        )
    assert "已停用或已被合并" in messages_of(problem.value)


def test_merging_into_another_street_needs_change_there(tree: Tree, personas: Personas):
    with pytest.raises(PermissionDenied):
        services.orgunit_merge(
            actor=personas.street_a_cadre, keep=tree.community_b1, merge=tree.community_a2
        )


# --- deactivate and rename -------------------------------------------------------------------


def test_a_unit_with_active_children_cannot_be_deactivated(tree: Tree, personas: Personas):
    with pytest.raises(ValidationError) as problem:
        services.orgunit_deactivate(actor=personas.street_a_cadre, unit=tree.community_a1)
    assert "还有 1 个有效的下级组织" in messages_of(problem.value)


def test_deactivating_keeps_the_unit_with_its_validity(tree: Tree, personas: Personas):
    services.orgunit_deactivate(
        actor=personas.street_a_cadre, unit=tree.grid_a1, on=datetime.date(2026, 3, 1)
    )
    grid = fresh(tree.grid_a1)
    assert not grid.is_active
    assert grid.valid_to == datetime.date(2026, 2, 28)
    with pytest.raises(ValidationError, match="已停用"):
        services.orgunit_deactivate(actor=personas.street_a_cadre, unit=grid)


def test_a_rename_keeps_the_old_name_with_its_validity(tree: Tree, personas: Personas):
    OrgUnit.objects.filter(pk=tree.community_a2.pk).update(valid_from=datetime.date(2020, 1, 1))

    services.orgunit_rename(
        actor=personas.street_a_cadre,
        unit=fresh(tree.community_a2),
        name="甲二新村社区",
        on=datetime.date(2025, 7, 1),
    )

    change = OrgUnitNameChange.objects.get(unit=tree.community_a2)
    assert (change.old_name, change.new_name) == ("甲二社区", "甲二新村社区")
    assert change.valid_from == datetime.date(2020, 1, 1)
    assert change.valid_to == datetime.date(2025, 6, 30)
    assert fresh(tree.community_a2).name == "甲二新村社区"
    with pytest.raises(ValidationError, match="新名称与现名称相同"):
        services.orgunit_rename(
            actor=personas.street_a_cadre, unit=fresh(tree.community_a2), name="甲二新村社区"
        )


# --- facts -----------------------------------------------------------------------------------


def test_joint_mode_needs_partners_and_a_venue_needs_an_address(tree: Tree, personas: Personas):
    with pytest.raises(ValidationError) as problem:
        services.orgunit_facts_update(
            actor=personas.street_a_cadre,
            unit=tree.community_a1,
            establishment_mode=EstablishmentMode.JOINT,
            has_venue=True,
            venue_area=Decimal("-5"),
        )
    errors = problem.value.message_dict
    assert errors["joint_partner_names"] == ["联建须填写联建单位。"]
    assert errors["venue_address"] == ["有阵地时请填写阵地地址。"]
    assert errors["venue_area"] == ["阵地面积须大于 0。"]
    assert fresh(tree.community_a1).establishment_mode == ""


def test_facts_are_saved_with_partners_by_name_and_by_unit(tree: Tree, personas: Personas):
    services.orgunit_facts_update(
        actor=personas.street_a_cadre,
        unit=tree.community_a1,
        establishment_mode=EstablishmentMode.JOINT,
        joint_partner_names=" 泉城示范物业有限公司 \n\n历下演示商贸公司",
        joint_units=[tree.community_a2],
        has_venue=True,
        venue_area=Decimal("120.5"),
        venue_address="解放桥社区党群服务中心二楼",
    )
    unit = fresh(tree.community_a1)
    assert unit.partner_names() == ["泉城示范物业有限公司", "历下演示商贸公司"]
    assert list(unit.joint_units.all()) == [tree.community_a2]
    assert unit.venue_area == Decimal("120.5")


def test_facts_outside_her_scope_are_refused(tree: Tree, personas: Personas):
    with pytest.raises(PermissionDenied):
        services.orgunit_facts_update(
            actor=personas.street_a_cadre,
            unit=tree.community_b1,
            establishment_mode=EstablishmentMode.STANDALONE,
        )


def _criteria(stage: str) -> list[StageCriterion]:
    return list(StageCriterion.objects.filter(stage=stage, is_active=True))


def test_a_stage_needs_its_whole_checklist_and_evidence(tree: Tree, personas: Personas):
    items = _criteria(Stage.ESTABLISHED)
    assert items, "the migration seeds the checklist"

    with pytest.raises(ValidationError) as problem:
        services.stage_record(
            actor=personas.street_a_cadre,
            unit=tree.community_a1,
            stage=Stage.ESTABLISHED,
            reached_on=datetime.date(2025, 3, 1),
            evidence=" ",
            criteria=items[1:],
        )
    errors = problem.value.message_dict
    assert errors["evidence"] == ["请填写佐证材料（文件、照片、会议记录等）。"]
    assert errors["criteria"] == [f"尚未达到以下标准：{items[0].text}。"]
    assert not StageRecord.objects.exists()


def test_stages_come_in_order_and_once(tree: Tree, personas: Personas):
    def record(stage: str, day: datetime.date) -> StageRecord:
        return services.stage_record(
            actor=personas.street_a_cadre,
            unit=tree.community_a1,
            stage=stage,
            reached_on=day,
            evidence="选举结果批复（历妇字〔2025〕3号）",
            criteria=_criteria(stage),
        )

    with pytest.raises(ValidationError, match="先建立、后完善、再提高"):
        record(Stage.IMPROVED, datetime.date(2025, 3, 1))
    record(Stage.ESTABLISHED, datetime.date(2025, 3, 1))
    with pytest.raises(ValidationError, match="不能重复记录"):
        record(Stage.ESTABLISHED, datetime.date(2025, 3, 1))
    with pytest.raises(ValidationError, match="不能早于上一阶段的日期"):
        record(Stage.IMPROVED, datetime.date(2024, 3, 1))
    record(Stage.IMPROVED, datetime.date(2025, 9, 1))

    unit = fresh(tree.community_a1)
    assert (unit.stage, unit.stage_reached_on) == (Stage.IMPROVED, datetime.date(2025, 9, 1))
    assert StageRecord.objects.filter(org=unit).count() == 2


def test_one_chair_at_a_time_and_no_double_membership(tree: Tree, personas: Personas):
    chair = person(tree.community_a1, "李红梅")
    services.unit_member_add(
        actor=personas.street_a_cadre, unit=tree.community_a1, role=MemberRole.CHAIR, person=chair
    )
    with pytest.raises(ValidationError, match="已有在任主席"):
        services.unit_member_add(
            actor=personas.street_a_cadre,
            unit=tree.community_a1,
            role=MemberRole.CHAIR,
            person=person(tree.community_a1, "张丽"),
        )
    vice = person(tree.community_a1, "赵敏")
    services.unit_member_add(
        actor=personas.street_a_cadre,
        unit=tree.community_a1,
        role=MemberRole.VICE_CHAIR,
        person=vice,
    )
    with pytest.raises(ValidationError, match="已在该组织担任该职务"):
        services.unit_member_add(
            actor=personas.street_a_cadre,
            unit=tree.community_a1,
            role=MemberRole.VICE_CHAIR,
            person=vice,
        )
    member = UnitMember.objects.get(person=chair)
    services.unit_member_end(actor=personas.street_a_cadre, member=member)
    with pytest.raises(ValidationError, match="已离任"):
        services.unit_member_end(actor=personas.street_a_cadre, member=member)


def test_a_member_needs_a_person_or_a_post_within_reach(tree: Tree, personas: Personas):
    with pytest.raises(ValidationError) as problem:
        services.unit_member_add(
            actor=personas.street_a_cadre, unit=tree.community_a1, role=MemberRole.MEMBER
        )
    assert problem.value.message_dict["person"] == ["请选择人员或岗位账号。"]
    stranger = person(tree.community_b1, "钱芳")
    with pytest.raises(ValidationError, match="不在您的查看范围内"):
        services.unit_member_add(
            actor=personas.street_a_cadre,
            unit=tree.community_a1,
            role=MemberRole.MEMBER,
            person=stranger,
        )


def test_a_post_can_be_the_chair(tree: Tree, personas: Personas):
    post = Post.objects.get(user=personas.community_a1_cadre)
    member = services.unit_member_add(
        actor=personas.street_a_cadre, unit=tree.community_a1, role=MemberRole.CHAIR, post=post
    )
    assert member.post == post


def test_funds_are_one_row_a_year_and_a_double_submit_leaves_one(tree: Tree, personas: Personas):
    for amount in ("5000", "6000"):
        services.unit_funding_record(
            actor=personas.street_a_cadre,
            unit=tree.community_a1,
            year=2026,
            amount=Decimal(amount),
            source="街道财政拨款",
        )
    funding = UnitFunding.objects.get(org=tree.community_a1)
    assert (funding.year, funding.amount) == (2026, Decimal("6000"))


def test_bad_funds_are_refused_in_chinese(tree: Tree, personas: Personas):
    with pytest.raises(ValidationError) as problem:
        services.unit_funding_record(
            actor=personas.street_a_cadre,
            unit=tree.community_a1,
            year=1990,
            amount=Decimal("-1"),
            source="",
        )
    errors = problem.value.message_dict
    assert errors["amount"] == ["金额不能为负数。"]
    assert errors["source"] == ["请填写经费来源。"]
    assert "年度须在 2000 年至" in errors["year"][0]


def test_the_checklist_is_managed_by_the_district_only(tree: Tree, personas: Personas):
    with pytest.raises(PermissionDenied):
        services.stage_criterion_save(
            actor=personas.street_a_cadre, stage=Stage.ESTABLISHED, text="新标准"
        )
    criterion = services.stage_criterion_save(
        actor=personas.district_staff, stage=Stage.ESTABLISHED, text="新标准"
    )
    with pytest.raises(ValidationError, match="该阶段已有相同的标准"):
        services.stage_criterion_save(
            actor=personas.district_staff, stage=Stage.ESTABLISHED, text="新标准"
        )
    assert criterion in _criteria(Stage.ESTABLISHED)


def test_merging_womens_organisations_repoints_their_companies(tree: Tree, personas: Personas):
    first = new_org(tree.community_a1, "甲公司")
    second = new_org(tree.community_a1, "乙公司")
    kept = new_org_womens_org_create(actor=personas.street_a_cadre, new_org=first).unit
    merged = new_org_womens_org_create(actor=personas.street_a_cadre, new_org=second).unit

    result = services.orgunit_merge(actor=personas.street_a_cadre, keep=kept, merge=merged)

    second.refresh_from_db()
    assert second.womens_org_id == kept.pk
    assert result.records_moved["orgs.NewOrg"] == 1
