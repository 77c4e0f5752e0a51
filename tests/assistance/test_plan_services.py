"""Assistance plans, follow-ups, household colour levels and coverage."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.assistance.conftest import Path, Relief, single_mother, single_mother_category
from tests.conftest import Personas, Tree
from tests.factories import person, user_with_post
from warmhome.assistance import selectors, services, services_levels
from warmhome.assistance.levels import register_level_source
from warmhome.assistance.todo import followup_items
from warmhome.core.deadlines import add_days

pytestmark = pytest.mark.django_db


def _plan(relief: Relief, path: Path):
    return services.plan_open(
        actor=path.community,
        person=relief.person,
        category=single_mother_category(),
        helper=path.community,
        needs="子女就学、就业技能培训",
    )


def test_a_plan_sets_the_next_follow_up_in_working_days(relief: Relief, path: Path):
    plan = _plan(relief, path)
    today = timezone.localdate()
    # the household is yellow? not yet: no relief filed, so the default interval applies
    assert plan.next_followup_on == add_days(today, 20, "working")
    assert plan.household == relief.household


def test_a_plan_needs_the_person_in_the_category(tree: Tree, path: Path):
    from warmhome.people.models import Category

    stranger = person(tree.community_a1)
    with pytest.raises(ValidationError, match="未登记为"):
        services.plan_open(
            actor=path.community,
            person=stranger,
            category=Category.objects.get(code="elderly_woman"),
            helper=path.community,
            needs="x",
        )


def test_one_open_plan_per_person_and_category(relief: Relief, path: Path):
    _plan(relief, path)
    with pytest.raises(ValidationError, match="已有未结案的帮扶计划"):
        _plan(relief, path)


def test_a_follow_up_records_help_and_moves_the_next_date(relief: Relief, path: Path):
    plan = _plan(relief, path)
    today = timezone.localdate()
    followup = services.followup_record(
        actor=path.community,
        plan=plan,
        happened_on=today,
        kind="visit",
        findings="孩子已复学",
        help_kind="goods",
        help_amount="300.50",
        help_detail="米面油",
    )
    assert followup.help_amount == Decimal("300.50")
    plan.refresh_from_db()
    assert plan.next_followup_on == add_days(today, 20, "working")


def test_money_help_needs_an_amount(relief: Relief, path: Path):
    plan = _plan(relief, path)
    with pytest.raises(ValidationError) as refused:
        services.followup_record(
            actor=path.community,
            plan=plan,
            happened_on=timezone.localdate(),
            kind="call",
            findings="电话回访",
            help_kind="money",
        )
    assert "help_amount" in refused.value.message_dict


def test_closing_a_plan_keeps_the_reason_and_stops_follow_ups(relief: Relief, path: Path):
    plan = _plan(relief, path)
    services.plan_close(actor=path.community, plan=plan, reason="已稳定就业")
    assert plan.closure_reason == "已稳定就业"
    assert plan.next_followup_on is None
    with pytest.raises(ValidationError, match="已结案"):
        services.plan_close(actor=path.community, plan=plan, reason="again")


def test_another_streets_cadre_cannot_open_a_plan(relief: Relief, personas: Personas, path: Path):
    with pytest.raises(PermissionDenied):
        services.plan_open(
            actor=personas.street_b_cadre,
            person=relief.person,
            category=single_mother_category(),
            helper=path.community,
            needs="x",
        )


def test_a_red_level_tightens_follow_ups_and_shows_in_the_helpers_to_do(relief: Relief, path: Path):
    plan = _plan(relief, path)
    services_levels.household_level_set(
        actor=path.community, household=relief.household, level="red", reason="丈夫酒后威胁"
    )
    plan.refresh_from_db()
    assert plan.next_followup_on == add_days(timezone.localdate(), 5, "working")
    shown = selectors.household_level(relief.household, path.community)
    assert shown.summary == "红色 — 每 5 个工作日回访"
    assert any("丈夫酒后威胁" in reason for reason in shown.reasons)


def test_a_helper_sees_the_colour_but_not_another_modules_reason(
    relief: Relief, path: Path, tree: Tree
):
    register_level_source("tests.dv_case", "反家暴个案", reason_action="people.shield")
    services_levels.household_level_raise(
        household=relief.household,
        level="red",
        source="tests.dv_case",
        reference="DV-1",
        reason="反家暴个案 DV-1：高危",
    )
    plan = _plan(relief, path)
    plan.next_followup_on = timezone.localdate()
    plan.save()
    shown = selectors.household_level(relief.household, path.community)
    assert shown.label == "红色"
    assert shown.reasons == ()
    items = followup_items(path.community)
    assert len(items) == 1
    assert "红色 — 每 5 个工作日回访" in str(items[0].detail)
    assert "DV-1" not in str(items[0].detail)
    case_worker = user_with_post("worker2", tree.district, "case_worker")
    assert selectors.household_level(relief.household, case_worker).reasons


def test_a_manual_level_needs_a_reason(relief: Relief, path: Path):
    with pytest.raises(ValidationError):
        services_levels.household_level_set(
            actor=path.community, household=relief.household, level="orange", reason=" "
        )


def test_coverage_counts_registered_covered_and_on_time(relief: Relief, path: Path, tree: Tree):
    plan = _plan(relief, path)
    single_mother(tree.community_a1)  # registered, no plan
    late = single_mother(tree.community_a2)
    late_plan = services.plan_open(
        actor=path.street,
        person=late,
        category=single_mother_category(),
        helper=path.street,
        needs="x",
    )
    late_plan.next_followup_on = timezone.localdate() - datetime.timedelta(days=1)
    late_plan.save()
    rows = {
        (row.street, row.category): row
        for row in selectors.plan_coverage(path.street)
        if row.category == "单亲特困母亲"
    }
    row = rows[("解放路街道", "单亲特困母亲")]
    assert (row.registered, row.covered, row.on_time) == (3, 2, 1)
    assert plan.pk


def test_coverage_shows_nothing_of_another_street(relief: Relief, path: Path, personas: Personas):
    _plan(relief, path)
    rows = selectors.plan_coverage(personas.street_b_cadre)
    assert all(row.covered == 0 for row in rows)


def test_a_follow_up_counts_as_federation_work_for_coverage(relief: Relief, path: Path):
    from warmhome.assistance.timeline_sources import units_with_followups

    plan = _plan(relief, path)
    today = timezone.localdate()
    services.followup_record(
        actor=path.community, plan=plan, happened_on=today, kind="call", findings="电话了解"
    )
    units = list(units_with_followups(today - datetime.timedelta(days=1), today))
    assert {"plan__org_id": plan.org_id} in units


def test_a_manual_level_replaces_the_previous_one_and_can_be_lifted(relief: Relief, path: Path):
    from warmhome.assistance.models import HouseholdLevel

    services_levels.household_level_set(
        actor=path.community, household=relief.household, level="orange", reason="夫妻纠纷"
    )
    second = services_levels.household_level_set(
        actor=path.community, household=relief.household, level="yellow", reason="已调解"
    )
    active = HouseholdLevel.objects.filter(household=relief.household).active()
    assert list(active.values_list("level", flat=True)) == ["yellow"]
    services_levels.household_level_clear(actor=path.community, row=second, reason="已脱困")
    assert selectors.household_level(relief.household, path.community) is None
    with pytest.raises(ValidationError, match="已解除"):
        services_levels.household_level_clear(actor=path.community, row=second, reason="again")


def test_another_streets_cadre_cannot_set_a_level(relief: Relief, personas: Personas):
    with pytest.raises(PermissionDenied):
        services_levels.household_level_set(
            actor=personas.street_b_cadre, household=relief.household, level="red", reason="x"
        )
