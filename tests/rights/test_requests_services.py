"""Help requests: routing, deadlines (calendar and working days), transfer, reply, follow-up,
escalation, and the refusals of bad input and double submits."""

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from tests.conftest import Personas, Tree
from tests.factories import help_request, person, petition_category, user_with_post
from tests.rules.conftest import calendar_2026  # noqa: F401  (fixture)
from warmhome.core.todo import items_for
from warmhome.core.workflows import TransitionError
from warmhome.core.workflows.selectors import timeline
from warmhome.rights import services_consultations, services_escalation
from warmhome.rights import services_requests as services
from warmhome.rights.models import HelpRequest, PetitionCategory, RequestEscalation
from warmhome.rules.services import policy_set

pytestmark = pytest.mark.django_db
D = datetime.date


@dataclass
class Staff:
    district: Any
    street_a: Any
    community_a1: Any
    community_a2: Any
    street_b: Any
    community_b1: Any


@pytest.fixture
def staff(tree: Tree, personas: Personas) -> Staff:
    return Staff(
        district=user_with_post("req_district", tree.district, "district_staff_rights"),
        street_a=personas.street_a_cadre,
        community_a1=personas.community_a1_cadre,
        community_a2=user_with_post("req_a2", tree.community_a2, "community_cadre"),
        street_b=personas.street_b_cadre,
        community_b1=user_with_post("req_b1", tree.community_b1, "community_cadre"),
    )


def _receive(actor: Any, **values: Any) -> HelpRequest:
    values.setdefault("channel", "hotline")
    values.setdefault("category", petition_category("family_dispute"))
    values.setdefault("content", "婆媳矛盾，请求调解")
    return services.help_request_receive(actor=actor, **values)


def test_the_category_list_maps_each_category_to_an_opinion_topic():
    dv = PetitionCategory.objects.get(name="家庭暴力")
    assert dv.topic == "DV"
    assert dv.is_dv
    assert dv.parent.name == "婚姻家庭"
    assert PetitionCategory.objects.get(code="gender_discrimination").topic == "LABOUR"
    assert PetitionCategory.objects.get(code="inheritance").topic == "RIGHTS"
    assert PetitionCategory.objects.get(code="divorce").topic == "MARRIAGE"
    assert not PetitionCategory.objects.filter(topic="").exists()


def test_hotline_request_is_routed_to_the_requesters_community(tree: Tree, staff: Staff):
    resident = person(tree.grid_a1, "王芳")
    by_person = _receive(staff.district, person=resident)
    by_name = _receive(
        staff.district,
        community=tree.community_b1,
        requester_name="李梅",
        requester_phone="+86 138-0013-8000",
    )

    assert by_person.org == tree.community_a1  # the grid's community
    assert by_name.org == tree.community_b1
    assert by_name.requester_phone == "13800138000"
    assert by_name.number.startswith("QZ")
    # The routed community sees it; the other street does not.
    assert HelpRequest.objects.visible_to(staff.community_a1).filter(pk=by_person.pk).exists()
    assert not HelpRequest.objects.visible_to(staff.street_b).filter(pk=by_person.pk).exists()


def test_non_registered_requester_contact_is_encrypted_at_rest(tree: Tree, staff: Staff):
    from django.db import connection

    made = _receive(
        staff.district,
        community=tree.community_a1,
        requester_name="赵静",
        requester_phone="13912345678",
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT requester_name, requester_phone FROM rights_helprequest WHERE id = %s",
            [made.pk],
        )
        stored = cursor.fetchone()
    assert "赵静" not in stored[0]
    assert "13912345678" not in stored[1]


def test_intake_refuses_missing_contact_and_invalid_phone(tree: Tree, staff: Staff):
    with pytest.raises(ValidationError) as missing:
        _receive(staff.district, community=tree.community_a1, requester_name="李梅")
    assert "联系电话" in str(missing.value.message_dict["requester_phone"])
    with pytest.raises(ValidationError) as invalid:
        _receive(
            staff.district,
            community=tree.community_a1,
            requester_name="李梅",
            requester_phone="1234567",
        )
    assert "requester_phone" in invalid.value.message_dict
    with pytest.raises(ValidationError) as nowhere:
        _receive(staff.district, requester_name="李梅", requester_phone="13800138000")
    assert "community" in nowhere.value.message_dict
    assert not HelpRequest.objects.exists()


def test_intake_needs_the_handling_right(tree: Tree, personas: Personas):
    with pytest.raises(PermissionDenied):
        _receive(
            personas.resident,
            community=tree.community_a1,
            requester_name="李梅",
            requester_phone="13800138000",
        )


def test_deadlines_in_calendar_days_by_default(tree: Tree, staff: Staff):
    made = help_request(tree.community_a1, received_on=D(2026, 9, 16))
    assert made.due_at == D(2026, 10, 1)  # 15 calendar days, holiday or not


@pytest.mark.usefixtures("calendar_2026")
def test_deadlines_in_working_days_skip_the_national_day_holiday(
    tree: Tree, staff: Staff, personas: Personas
):
    leader = user_with_post("req_leader", tree.district, "district_leader")
    policy_set(
        actor=leader,
        key="petition.day_counting",
        value="working",
        valid_from=D(2020, 1, 1),
        basis="测试",
    )
    made = help_request(tree.community_a1, received_on=D(2026, 9, 28))
    # 29, 30 September, then 8, 9, 10 (make-up Saturday), 12–16, 19–23 October: 15 days.
    assert made.due_at == D(2026, 10, 23)
    assert services.handling_due(D(2026, 9, 30)) == services.deadlines.add_days(
        D(2026, 9, 30), 60, "working"
    )


def test_accept_starts_the_handling_deadline_and_a_double_accept_is_refused(
    tree: Tree, staff: Staff
):
    made = help_request(tree.community_a1)
    stale_version = made.version
    services.help_request_accept(actor=staff.community_a1, request=made)
    made.refresh_from_db()
    assert made.state == "accepted"
    assert made.accepted_on == timezone.localdate()
    assert made.due_at == timezone.localdate() + datetime.timedelta(days=60)

    with pytest.raises(TransitionError) as twice:
        services.help_request_accept(
            actor=staff.community_a1,
            request=HelpRequest.objects.get(pk=made.pk),
            expected_version=stale_version,
        )
    assert "请刷新页面" in " ".join(twice.value.messages)
    assert [entry.transition for entry in timeline(made)] == ["受理"]


def test_transfer_moves_the_request_keeps_history_and_refuses_a_resubmit(tree: Tree, staff: Staff):
    made = help_request(tree.community_a1)
    version = made.version
    services.help_request_transfer(
        actor=staff.community_a1, request=made, to_org=tree.community_b1, reason="已搬迁至佛山苑"
    )
    made.refresh_from_db()
    assert made.org == tree.community_b1
    assert made.community == tree.community_a1  # where she was registered stays
    assert made.state == "received"
    transfer = made.transfers.get()
    assert (transfer.from_org, transfer.to_org, transfer.reason) == (
        tree.community_a1,
        tree.community_b1,
        "已搬迁至佛山苑",
    )
    # The old community no longer sees it; the new one sees the whole timeline.
    assert not HelpRequest.objects.visible_to(staff.community_a1).filter(pk=made.pk).exists()
    assert [entry.transition for entry in timeline(made)] == ["转办"]
    # A double submit from the old page is refused without a second transfer.
    with pytest.raises((TransitionError, Http404)):
        services.help_request_transfer(
            actor=staff.community_a1,
            request=made,
            to_org=tree.community_a2,
            reason="重复提交",
            expected_version=version,
        )
    assert made.transfers.count() == 1


def test_transfer_to_the_same_organisation_or_without_reason_is_refused(tree: Tree, staff: Staff):
    made = help_request(tree.community_a1)
    with pytest.raises(ValidationError) as same:
        services.help_request_transfer(
            actor=staff.community_a1, request=made, to_org=tree.community_a1, reason="x"
        )
    assert "本单位" in str(same.value.message_dict["to_org"])
    with pytest.raises(TransitionError):
        services.help_request_transfer(
            actor=staff.community_a1, request=made, to_org=tree.community_a2, reason=" "
        )
    made.refresh_from_db()
    assert made.org == tree.community_a1
    assert not made.transfers.exists()


def test_reply_before_acceptance_is_refused(tree: Tree, staff: Staff):
    made = help_request(tree.community_a1)
    with pytest.raises(ValidationError, match="尚未受理"):
        services.help_request_reply(
            actor=staff.community_a1, request=made, text="答复", channel="phone", outcome="solved"
        )


def _replied(tree: Tree, staff: Staff) -> HelpRequest:
    made = help_request(tree.community_a1)
    services.help_request_accept(actor=staff.community_a1, request=made)
    services.help_request_start(actor=staff.community_a1, request=made)
    services.help_request_reply(
        actor=staff.community_a1,
        request=made,
        text="已联系单位协调解决",
        channel="phone",
        outcome="solved",
    )
    made.refresh_from_db()
    return made


def test_start_keeps_the_deadline_running_from_acceptance(tree: Tree, staff: Staff):
    made = help_request(tree.community_a1)
    services.help_request_accept(actor=staff.community_a1, request=made)
    due = HelpRequest.objects.get(pk=made.pk).due_at
    services.help_request_start(actor=staff.community_a1, request=made)
    assert HelpRequest.objects.get(pk=made.pk).due_at == due


def test_reply_records_text_date_and_channel_and_closing_records_satisfaction(
    tree: Tree, staff: Staff
):
    made = _replied(tree, staff)
    assert (made.state, made.reply_channel, made.outcome) == ("replied", "phone", "solved")
    assert made.replied_on == timezone.localdate()
    assert made.due_at is None

    services.help_request_follow_up(
        actor=staff.community_a1, request=made, satisfaction="basic", note="电话回访"
    )
    made.refresh_from_db()
    assert (made.state, made.satisfaction, made.followup_note) == ("closed", "basic", "电话回访")
    assert made.closed_on == timezone.localdate()


def test_unsatisfied_requester_reopens_the_request(tree: Tree, staff: Staff):
    made = _replied(tree, staff)
    with pytest.raises(TransitionError, match="不满意"):
        services.help_request_follow_up(
            actor=staff.community_a1,
            request=made,
            satisfaction="satisfied",
            note="满意",
            reopen=True,
        )
    services.help_request_follow_up(
        actor=staff.community_a1,
        request=made,
        satisfaction="unsatisfied",
        note="补偿未到位",
        reopen=True,
    )
    made.refresh_from_db()
    assert made.state == "handling"
    assert made.reopen_count == 1
    assert made.due_at == timezone.localdate() + datetime.timedelta(days=60)


def test_extension_is_approved_by_the_level_above_and_capped(tree: Tree, staff: Staff):
    made = help_request(tree.community_a1)
    services.help_request_accept(actor=staff.community_a1, request=made)
    services.help_request_start(actor=staff.community_a1, request=made)
    due = HelpRequest.objects.get(pk=made.pk).due_at
    with pytest.raises(TransitionError, match="上一级"):
        services.help_request_extend(
            actor=staff.community_a1, request=made, days=10, reason="需要调查取证"
        )
    services.help_request_extend(actor=staff.street_a, request=made, days=20, reason="需调查取证")
    made.refresh_from_db()
    assert made.due_at == due + datetime.timedelta(days=20)
    assert made.extension_days == 20
    with pytest.raises(ValidationError, match="30"):
        services.help_request_extend(actor=staff.street_a, request=made, days=11, reason="再延")


def test_overdue_request_is_escalated_once_to_the_parent_unit_and_shows_in_its_todo(
    tree: Tree, staff: Staff
):
    late = help_request(
        tree.community_a1, received_on=timezone.localdate() - datetime.timedelta(days=20)
    )
    help_request(tree.community_a2)  # not due yet

    made = services_escalation.help_requests_escalate_overdue()
    again = services_escalation.help_requests_escalate_overdue()

    assert [(item.request, item.to_org, item.stage) for item in made] == [
        (late, tree.street_a, "acceptance")
    ]
    assert again == []
    assert RequestEscalation.objects.count() == 1
    street_todo = [str(item.title) for item in items_for(staff.street_a)]
    assert any("逾期督办" in title and late.number in title for title in street_todo)
    # The community sees its own overdue item; the other street sees nothing.
    assert any(
        item.overdue and late.number in str(item.title) for item in items_for(staff.community_a1)
    )
    assert not any(late.number in str(item.title) for item in items_for(staff.street_b))
    assert not any(late.number in str(item.title) for item in items_for(staff.district))


def test_todo_warns_within_the_alert_horizon_only(tree: Tree, staff: Staff):
    today = timezone.localdate()
    soon = help_request(tree.community_a1, received_on=today - datetime.timedelta(days=13))
    later = help_request(tree.community_a1, received_on=today)
    titles = [str(item.title) for item in items_for(staff.community_a1)]
    assert any(soon.number in title for title in titles)
    assert not any(later.number in title for title in titles)


def test_not_accepting_needs_a_reason_and_closes_the_request(tree: Tree, staff: Staff):
    made = help_request(tree.community_a1)
    with pytest.raises(TransitionError):
        services.help_request_not_accept(actor=staff.community_a1, request=made, reason="")
    services.help_request_not_accept(
        actor=staff.community_a1, request=made, reason="属于法院管辖，已告知起诉途径"
    )
    made.refresh_from_db()
    assert (made.state, made.outcome, made.due_at) == ("not_accepted", "not_accepted", None)


def test_another_streets_cadre_cannot_take_a_step(tree: Tree, staff: Staff):
    made = help_request(tree.community_a1)
    with pytest.raises(Http404):
        services.help_request_accept(actor=staff.street_b, request=made)
    made.refresh_from_db()
    assert made.state == "received"


def test_consultation_needs_a_lawyer_of_a_legal_team(tree: Tree, staff: Staff):
    from tests.factories import volunteer
    from tests.rights.requests_helpers import legal_volunteer

    lawyer = legal_volunteer(tree.district)
    made = help_request(tree.community_a1)
    consultation = services_consultations.consultation_record(
        actor=staff.community_a1,
        lawyer=lawyer,
        question="离婚后抚养费如何计算",
        advice="参照收入比例，可申请调解",
        request=made,
        follow_up_needed=True,
    )
    assert consultation.org == tree.community_a1
    assert consultation.request == made
    with pytest.raises(ValidationError) as refused:
        services_consultations.consultation_record(
            actor=staff.community_a1,
            lawyer=volunteer(tree.community_a1),
            question="问题",
            advice="意见",
            person=person(tree.community_a1),
        )
    assert "lawyer" in refused.value.message_dict
