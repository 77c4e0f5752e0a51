"""The protection order's lifecycle: every transition and every refusal."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.conftest import Tree
from tests.factories import dv_case, user_with_post
from tests.rights.conftest import Station
from warmhome.notifications.models import Message
from warmhome.rights import services_orders as so
from warmhome.rights.models import OrderEventKind, OrderState, ProtectionOrder
from warmhome.rights.services_orders import add_months
from warmhome.rules.services import policy_set

pytestmark = pytest.mark.django_db


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def apply(station: Station, case, **values) -> ProtectionOrder:
    values.setdefault("applicant_kind", "federation")
    values.setdefault("court", "历下区人民法院")
    values.setdefault("measures_requested", ["forbid_violence", "forbid_contact"])
    values.setdefault("applied_on", days_ago(20))
    return so.protection_order_apply(actor=station.worker, case=case, **values)


def accepted(station: Station, case, *, urgent: bool = False, applied_on=None) -> ProtectionOrder:
    order = apply(station, case, is_urgent=urgent, applied_on=applied_on or days_ago(20))
    moment = timezone.now() - datetime.timedelta(days=19)
    return so.protection_order_accept(actor=station.worker, order=order, accepted_at=moment)


def issued(station: Station, case, *, valid_from=None, valid_until=None) -> ProtectionOrder:
    start = valid_from or days_ago(18)
    order = accepted(station, case, applied_on=min(start, days_ago(20)))
    return so.protection_order_issue(
        actor=station.worker,
        order=order,
        order_number="(2026)鲁0102民保令1号",
        measures_granted=["forbid_violence"],
        valid_from=start,
        valid_until=valid_until or add_months(start, 6),
    )


@pytest.fixture
def case(tree: Tree, station: Station):
    return dv_case(tree.community_a1, workers=[station.worker])


def test_application_by_the_federation_keeps_applicant_measures_and_history(case, station):
    order = apply(
        station, case, measures_requested=["move_out", "other"], other_measure="禁止靠近学校"
    )

    assert order.state == OrderState.APPLIED
    assert order.applicant_kind == "federation"
    assert order.requested_labels == ["责令迁出住所", "其他措施"]
    assert [event.kind for event in order.events.all()] == [OrderEventKind.APPLIED]


def test_application_refuses_no_measure_unknown_measure_and_other_without_text(case, station):
    for values in (
        {"measures_requested": []},
        {"measures_requested": ["jail"]},
        {"measures_requested": ["other"]},
        {"court": "  "},
        {"applicant_kind": "neighbour"},
    ):
        with pytest.raises(ValidationError):
            apply(station, case, **values)
    assert not ProtectionOrder.objects.exists()


def test_a_second_application_while_one_awaits_the_court_is_refused(case, station):
    apply(station, case)

    with pytest.raises(ValidationError, match="尚未裁定"):
        apply(station, case)
    assert ProtectionOrder.objects.count() == 1


def test_acceptance_sets_the_ruling_due_72_hours_later(case, station):
    order = accepted(station, case)

    assert order.state == OrderState.ACCEPTED
    assert order.ruling_due_at - order.accepted_at == datetime.timedelta(hours=72)


def test_urgent_acceptance_sets_the_ruling_due_24_hours_later(case, station):
    order = accepted(station, case, urgent=True)

    assert order.ruling_due_at - order.accepted_at == datetime.timedelta(hours=24)


def test_ruling_hours_follow_the_policy(case, station, tree: Tree):
    policy_set(
        actor=user_with_post("leader", tree.district, "district_leader"),
        key="rights.order_ruling_hours",
        value=48,
        valid_from=days_ago(400),
        basis="测试",
    )

    order = accepted(station, case)

    assert order.ruling_due_at - order.accepted_at == datetime.timedelta(hours=48)


def test_accepting_twice_is_refused_clearly(case, station):
    order = accepted(station, case)

    with pytest.raises(ValidationError, match="已受理，待裁定"):
        so.protection_order_accept(actor=station.worker, order=order)


def test_issue_records_number_measures_and_validity(case, station):
    order = issued(station, case)

    assert order.state == OrderState.ISSUED
    assert order.granted_labels == ["禁止实施家庭暴力"]
    assert order.valid_until == add_months(order.valid_from, 6)
    kinds = [event.kind for event in order.events.all()]
    assert kinds == [OrderEventKind.APPLIED, OrderEventKind.ACCEPTED, OrderEventKind.ISSUED]


def test_issue_refuses_validity_beyond_six_months(case, station):
    order = accepted(station, case)
    start = days_ago(18)

    with pytest.raises(ValidationError, match="不得超过 6 个月"):
        so.protection_order_issue(
            actor=station.worker,
            order=order,
            order_number="(2026)鲁0102民保令2号",
            measures_granted=["forbid_violence"],
            valid_from=start,
            valid_until=add_months(start, 6) + datetime.timedelta(days=1),
        )
    order.refresh_from_db()
    assert order.state == OrderState.ACCEPTED


def test_issue_before_acceptance_is_refused(case, station):
    order = apply(station, case)

    with pytest.raises(ValidationError, match="不能登记签发"):
        so.protection_order_issue(
            actor=station.worker,
            order=order,
            order_number="X",
            measures_granted=["forbid_violence"],
            valid_from=days_ago(1),
            valid_until=days_ago(0),
        )


def test_refusal_then_reconsideration_within_five_days_then_issue(case, station):
    order = accepted(station, case)
    refused_on = days_ago(10)
    so.protection_order_refuse(actor=station.worker, order=order, ruled_on=refused_on)

    order = so.protection_order_reconsider(
        actor=station.worker, order=order, requested_on=refused_on + datetime.timedelta(days=5)
    )
    assert order.state == OrderState.RECONSIDERING

    order = so.protection_order_issue(
        actor=station.worker,
        order=order,
        order_number="(2026)鲁0102民保令3号",
        measures_granted=["forbid_contact"],
        valid_from=days_ago(3),
        valid_until=days_ago(3) + datetime.timedelta(days=90),
    )
    assert order.state == OrderState.ISSUED


def test_reconsideration_after_five_days_is_refused(case, station):
    order = accepted(station, case)
    refused_on = days_ago(10)
    so.protection_order_refuse(actor=station.worker, order=order, ruled_on=refused_on)

    with pytest.raises(ValidationError, match="5 日内"):
        so.protection_order_reconsider(
            actor=station.worker,
            order=order,
            requested_on=refused_on + datetime.timedelta(days=6),
        )
    order.refresh_from_db()
    assert order.state == OrderState.REFUSED


def test_reconsideration_only_once(case, station):
    order = accepted(station, case)
    refused_on = days_ago(10)
    so.protection_order_refuse(actor=station.worker, order=order, ruled_on=refused_on)
    so.protection_order_reconsider(actor=station.worker, order=order, requested_on=refused_on)
    so.protection_order_refuse(actor=station.worker, order=order, ruled_on=days_ago(8))

    with pytest.raises(ValidationError, match="只能申请一次"):
        so.protection_order_reconsider(actor=station.worker, order=order, requested_on=days_ago(7))


def test_extension_requested_before_expiry_and_granted(case, station):
    order = issued(station, case, valid_from=days_ago(100), valid_until=days_ago(-10))

    so.protection_order_request_change(
        actor=station.worker, order=order, kind="extend", requested_on=days_ago(1)
    )
    with pytest.raises(ValidationError, match="待法院决定"):
        so.protection_order_request_change(
            actor=station.worker, order=order, kind="extend", requested_on=days_ago(1)
        )
    order = so.protection_order_decide_change(
        actor=station.worker,
        order=order,
        granted=True,
        decided_on=days_ago(0),
        valid_until=days_ago(-60),
    )

    assert order.valid_until == days_ago(-60)
    assert order.pending_change == ""


def test_extension_beyond_six_months_from_the_decision_is_refused(case, station):
    order = issued(station, case, valid_from=days_ago(100), valid_until=days_ago(-10))
    so.protection_order_request_change(
        actor=station.worker, order=order, kind="extend", requested_on=days_ago(1)
    )

    with pytest.raises(ValidationError, match="不得超过"):
        so.protection_order_decide_change(
            actor=station.worker,
            order=order,
            granted=True,
            decided_on=days_ago(0),
            valid_until=add_months(days_ago(0), 6) + datetime.timedelta(days=1),
        )


def test_change_after_expiry_is_refused(case, station):
    order = issued(station, case, valid_from=days_ago(60), valid_until=days_ago(5))

    with pytest.raises(ValidationError, match="已到期"):
        so.protection_order_request_change(
            actor=station.worker, order=order, kind="extend", requested_on=days_ago(2)
        )


def test_revocation_granted_ends_the_order(case, station):
    order = issued(station, case)
    so.protection_order_request_change(
        actor=station.worker, order=order, kind="revoke", requested_on=days_ago(1)
    )

    order = so.protection_order_decide_change(
        actor=station.worker, order=order, granted=True, decided_on=days_ago(0)
    )

    assert order.state == OrderState.REVOKED


def test_violation_is_recorded_with_whom_it_was_reported_to_and_the_head_told(case, station):
    order = issued(station, case)

    event = so.protection_order_report_violation(
        actor=station.worker,
        order=order,
        occurred_on=days_ago(2),
        description="施暴人到单位纠缠",
        reported_to="police",
    )

    assert event.kind == OrderEventKind.VIOLATION
    assert event.get_reported_to_display() == "公安机关"
    assert Message.objects.filter(recipient=station.head, subject__contains="保护令被违反").exists()


def test_violation_of_an_order_not_in_force_is_refused(case, station):
    order = apply(station, case)

    with pytest.raises(ValidationError, match="不能登记违反保护令"):
        so.protection_order_report_violation(
            actor=station.worker,
            order=order,
            occurred_on=days_ago(1),
            description="纠缠",
            reported_to="court",
        )


def test_withdrawn_application_no_longer_blocks_a_new_one(case, station):
    order = apply(station, case)
    so.protection_order_withdraw(actor=station.worker, order=order, withdrawn_on=days_ago(1))

    assert apply(station, case).state == OrderState.APPLIED


def test_six_month_limit_follows_the_calendar_month():
    assert add_months(datetime.date(2026, 8, 31), 6) == datetime.date(2027, 2, 28)
    assert add_months(datetime.date(2026, 3, 1), 6) == datetime.date(2026, 9, 1)
