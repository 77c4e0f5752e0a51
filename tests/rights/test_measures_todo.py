"""Alerts in the to-do: expiring orders (calendar days), overdue rulings, high-risk cases
without follow-up (working days of the rules calendar); only for the case team and the head."""

import datetime

import pytest
from django.utils import timezone

from tests.conftest import Tree
from tests.factories import dv_case
from tests.rights.conftest import Station
from warmhome.core.todo import items_for
from warmhome.rights import services
from warmhome.rights import services_measures as sm
from warmhome.rights import services_orders as so
from warmhome.rights.models import ProtectionOrder, RiskBand
from warmhome.rights.todo import measure_todo_items
from warmhome.rules.services import calendar_seed_from_package

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def calendar_2026(db: None) -> None:
    calendar_seed_from_package(since=2026)


JUNE_2 = D(2026, 6, 2)


def _issued(case, station: Station, valid_until: D, valid_from: D = JUNE_2) -> ProtectionOrder:
    order = so.protection_order_apply(
        actor=station.worker,
        case=case,
        applicant_kind="victim",
        court="历下区人民法院",
        measures_requested=["forbid_violence"],
        applied_on=valid_from - datetime.timedelta(days=1),
    )
    so.protection_order_accept(
        actor=station.worker,
        order=order,
        accepted_at=timezone.make_aware(datetime.datetime.combine(valid_from, datetime.time(9, 0))),
    )
    return so.protection_order_issue(
        actor=station.worker,
        order=order,
        order_number="(2026)鲁0102民保令5号",
        measures_granted=["forbid_violence"],
        valid_from=valid_from,
        valid_until=valid_until,
    )


def _sources(items) -> list[str]:
    return [item.source for item in items]


def test_expiry_alert_appears_exactly_fourteen_calendar_days_ahead(tree: Tree, station: Station):
    case = dv_case(tree.community_a1, workers=[station.worker], opened_on=D(2026, 5, 20))
    _issued(case, station, valid_until=D(2026, 12, 1))

    def alerts(day: D) -> list[str]:
        return _sources(measure_todo_items(station.worker, today=day))

    assert "rights.order_expiring" not in alerts(D(2026, 11, 16))
    assert "rights.order_expiring" in alerts(D(2026, 11, 17))
    assert "rights.order_expiring" in alerts(D(2026, 12, 1))
    assert "rights.order_expiring" not in alerts(D(2026, 12, 2))
    item = measure_todo_items(station.head, today=D(2026, 11, 17))[0]
    assert item.due == D(2026, 12, 1)
    assert case.number in str(item.title)


def test_expiry_alert_reaches_team_and_head_but_not_others(tree: Tree, station: Station):
    case = dv_case(tree.community_a1, workers=[station.worker], opened_on=D(2026, 5, 20))
    today = timezone.localdate()
    _issued(
        case,
        station,
        valid_until=today + datetime.timedelta(days=14),
        valid_from=today - datetime.timedelta(days=30),
    )
    services.break_glass_open(actor=station.district_rights, case=case, reason="核实保护令情况")

    assert "rights.order_expiring" in _sources(items_for(station.worker))
    assert "rights.order_expiring" in _sources(items_for(station.head))
    assert "rights.order_expiring" not in _sources(items_for(station.other_worker))
    assert "rights.order_expiring" not in _sources(items_for(station.district_rights))


def test_ruling_overdue_after_24_hours_when_urgent(tree: Tree, station: Station):
    case = dv_case(tree.community_a1, workers=[station.worker])
    order = so.protection_order_apply(
        actor=station.worker,
        case=case,
        applicant_kind="victim",
        court="历下区人民法院",
        measures_requested=["forbid_violence"],
        is_urgent=True,
        applied_on=D(2026, 6, 1),
    )
    accepted_at = timezone.make_aware(datetime.datetime(2026, 6, 1, 10, 0))
    so.protection_order_accept(actor=station.worker, order=order, accepted_at=accepted_at)

    def overdue(moment: datetime.datetime) -> bool:
        items = measure_todo_items(station.worker, today=D(2026, 6, 2), now=moment)
        return "rights.ruling_overdue" in _sources(items)

    assert not overdue(accepted_at + datetime.timedelta(hours=24))
    assert overdue(accepted_at + datetime.timedelta(hours=24, minutes=1))


def test_high_risk_follow_up_alert_counts_working_days_across_national_day(
    tree: Tree, station: Station, calendar_2026: None
):
    case = dv_case(tree.community_a1, workers=[station.worker], opened_on=D(2026, 9, 1))
    case.risk_band = RiskBand.HIGH
    case.save(update_fields=["risk_band"])
    sm.case_followup_record(
        actor=station.worker, case=case, followed_on=D(2026, 9, 29), way="visit"
    )

    def alert(day: D):
        items = measure_todo_items(station.head, today=day)
        return [item for item in items if item.source == "rights.high_risk_followup"]

    # 5 working days after Tue 29 Sep: 30 Sep, 8 Oct, 9 Oct, Sat 10 Oct (make-up day), 12 Oct.
    assert alert(D(2026, 10, 11)) == []
    due_day = alert(D(2026, 10, 12))
    assert len(due_day) == 1
    assert not due_day[0].overdue
    assert alert(D(2026, 10, 13))[0].overdue
    sm.case_followup_record(
        actor=station.worker, case=case, followed_on=D(2026, 10, 12), way="phone"
    )
    assert alert(D(2026, 10, 13)) == []


def test_low_risk_cases_raise_no_follow_up_alert(tree: Tree, station: Station):
    dv_case(tree.community_a1, workers=[station.worker], opened_on=D(2026, 1, 5))

    assert measure_todo_items(station.worker, today=D(2026, 11, 2)) == []
