"""Registering 两新 organisations, their women's organisations and grid leaders."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from tests.concurrency import all_at_once
from tests.conftest import Personas, Tree
from tests.factories import person
from warmhome.core.identifiers import fake_credit_code
from warmhome.core.models import AuditEntry
from warmhome.orgs.models import OrgKind, OrgUnit
from warmhome.orgs.models_new_orgs import GridLeader, NewOrg
from warmhome.orgs.services_new_orgs import (
    grid_leader_assign,
    new_org_deactivate,
    new_org_register,
    new_org_update,
    new_org_womens_org_create,
    new_org_womens_org_join,
)


def register(actor, place, name="甲公司", **values):
    values.setdefault("credit_code", fake_credit_code())
    values.setdefault("employees", 50)
    values.setdefault("female_employees", 20)
    return new_org_register(actor=actor, org=place, name=name, **values)


def test_a_street_cadre_registers_a_company_in_a_grid_and_the_kind_follows_the_code(
    tree: Tree, personas: Personas
):
    new_org = register(personas.street_a_cadre, tree.grid_a1, credit_code=fake_credit_code("52"))

    assert new_org.org == tree.grid_a1
    assert new_org.grid == tree.grid_a1
    assert new_org.community == tree.community_a1
    assert (new_org.kind, new_org.subkind) == ("social_org", "private_non_enterprise")
    assert AuditEntry.objects.filter(
        model_label="orgs.NewOrg", object_pk=str(new_org.pk), actor_id=personas.street_a_cadre.pk
    ).exists()


def test_bad_credit_codes_and_duplicates_are_refused_in_chinese(tree: Tree, personas: Personas):
    code = fake_credit_code()
    register(personas.street_a_cadre, tree.community_a1, credit_code=code)
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")

    with pytest.raises(ValidationError) as bad:
        register(personas.street_a_cadre, tree.community_a1, credit_code=wrong)
    with pytest.raises(ValidationError) as duplicate:
        register(personas.street_a_cadre, tree.community_a2, credit_code=code.lower())

    assert "校验位错误" in bad.value.message_dict["credit_code"][0]
    assert "已登记" in duplicate.value.message_dict["credit_code"][0]


def test_more_women_than_employees_and_a_street_as_home_are_refused(tree: Tree, personas: Personas):
    with pytest.raises(ValidationError) as too_many:
        register(personas.street_a_cadre, tree.community_a1, employees=5, female_employees=6)
    with pytest.raises(ValidationError) as street:
        register(personas.street_a_cadre, tree.street_a)

    assert "女职工数不能大于从业人员数" in too_many.value.message_dict["female_employees"][0]
    assert "只能登记到有效的社区或网格" in street.value.message_dict["org"][0]


def test_no_registration_outside_the_actors_scope(tree: Tree, personas: Personas):
    with pytest.raises(PermissionDenied):
        register(personas.street_a_cadre, tree.community_b1)
    with pytest.raises(PermissionDenied):
        register(personas.community_a1_cadre, tree.community_a1)  # orgs.view only


def test_joint_womens_org_sits_under_the_community_and_covers_every_partner(
    tree: Tree, personas: Personas
):
    cadre = personas.street_a_cadre
    first = register(cadre, tree.grid_a1, name="甲公司")
    second = register(cadre, tree.community_a1, name="乙公司", female_employees=3)

    result = new_org_womens_org_create(actor=cadre, new_org=first, partners=[second])

    unit = result.unit
    assert unit.kind == OrgKind.NEW_ORG
    assert OrgUnit.objects.get_parent(unit) == tree.community_a1
    assert unit.establishment_mode == "joint"
    assert unit.name == "甲公司等2家单位联合妇女委员会"
    assert unit.partner_names() == ["甲公司", "乙公司"]
    assert set(unit.covered_new_orgs.values_list("pk", flat=True)) == {first.pk, second.pk}

    third = register(cadre, tree.community_a1, name="丙公司")
    new_org_womens_org_join(actor=cadre, new_org=third, womens_org=unit)
    assert unit.covered_new_orgs.count() == 3


def test_a_second_womens_org_and_partners_of_another_community_are_refused(
    tree: Tree, personas: Personas
):
    cadre = personas.street_a_cadre
    first = register(cadre, tree.community_a1, name="甲公司")
    elsewhere = register(cadre, tree.community_a2, name="远方公司")
    new_org_womens_org_create(actor=cadre, new_org=first)

    with pytest.raises(ValidationError, match="已有妇女组织"):
        new_org_womens_org_create(actor=cadre, new_org=first)
    with pytest.raises(ValidationError, match="联建单位须在同一社区"):
        new_org_womens_org_create(
            actor=cadre, new_org=elsewhere, partners=[register(cadre, tree.grid_a1, name="丁")]
        )


def test_update_moves_to_another_grid_and_deactivation_keeps_the_record(
    tree: Tree, personas: Personas
):
    cadre = personas.street_a_cadre
    new_org = register(cadre, tree.community_a1)
    new_org_update(actor=cadre, new_org=new_org, org=tree.grid_a1, employees=60)
    new_org_deactivate(actor=cadre, new_org=new_org, reason="注销")

    new_org.refresh_from_db()
    assert (new_org.org, new_org.employees, new_org.is_active) == (tree.grid_a1, 60, False)
    with pytest.raises(ValidationError, match="已停用"):
        new_org_deactivate(actor=cadre, new_org=new_org, reason="再次")
    with pytest.raises(PermissionDenied):
        new_org_update(actor=cadre, new_org=new_org, org=tree.community_b1)


def test_a_new_grid_leader_ends_the_current_ones_term(tree: Tree, personas: Personas):
    cadre = personas.street_a_cadre
    first = grid_leader_assign(
        actor=cadre,
        grid=tree.grid_a1,
        person=person(tree.grid_a1),
        started_on=datetime.date(2026, 1, 1),
    )
    second = grid_leader_assign(
        actor=cadre,
        grid=tree.grid_a1,
        person=person(tree.community_a1),
        started_on=datetime.date(2026, 3, 1),
    )

    first.refresh_from_db()
    assert first.ended_on == datetime.date(2026, 3, 1)
    assert list(GridLeader.objects.current().filter(org=tree.grid_a1)) == [second]
    with pytest.raises(ValidationError):
        grid_leader_assign(actor=cadre, grid=tree.community_a1, person=person(tree.community_a1))
    with pytest.raises(PermissionDenied):
        grid_leader_assign(actor=cadre, grid=tree.grid_a1, person=person(tree.community_b1))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_clerks_creating_the_same_womens_org_at_once_make_one(tree: Tree):
    new_org = register(None, tree.community_a1)

    def create() -> None:
        new_org_womens_org_create(actor=None, new_org=NewOrg.objects.get(pk=new_org.pk))

    made, refusals = all_at_once(2, create)

    assert (made, len(refusals)) == (1, 1)
    assert OrgUnit.objects.filter(kind=OrgKind.NEW_ORG).count() == 1


def test_grid_leaders_never_reach_the_audit_trail_by_name(tree: Tree, personas: Personas):
    leader = grid_leader_assign(
        actor=personas.street_a_cadre, grid=tree.grid_a1, person=person(tree.grid_a1, "王秀兰")
    )
    assert "王秀兰" not in str(leader)


def test_a_closed_womens_org_leaves_the_company_free_for_a_new_one(tree: Tree, personas: Personas):
    cadre = personas.street_a_cadre
    company = register(cadre, tree.community_a1)
    first = new_org_womens_org_create(actor=cadre, new_org=company).unit
    OrgUnit.objects.filter(pk=first.pk).update(is_active=False)

    second = new_org_womens_org_create(actor=cadre, new_org=NewOrg.objects.get(pk=company.pk))

    assert second.unit.pk != first.pk
    assert NewOrg.objects.get(pk=company.pk).womens_org == second.unit
