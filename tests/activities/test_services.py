import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from tests.conftest import Personas, Tree
from tests.factories import activity, person
from warmhome.activities import hooks, services
from warmhome.activities.models import (
    Activity,
    ActivityKind,
    Attendance,
    AttendanceMethod,
    AttendanceStatus,
    SignUp,
    SignUpChannel,
    SignUpStatus,
)
from warmhome.activities.selectors import activity_counts
from warmhome.core.models import AuditEntry
from warmhome.core.workflows import TransitionError
from warmhome.notifications.models import Message

pytestmark = pytest.mark.django_db


def _now() -> datetime.datetime:
    return timezone.now()


# --- activities and their workflow -------------------------------------------------------------


def test_a_cadre_creates_a_draft_salon_with_topic_in_her_community(tree: Tree, personas: Personas):
    starts = _now() + datetime.timedelta(days=3)

    made = services.activity_create(
        actor=personas.community_a1_cadre,
        org=tree.community_a1,
        kind=ActivityKind.objects.get(code="salon"),
        title="反家暴志愿者沙龙",
        venue="妇女之家",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        capacity=20,
        topic="识别早期信号",
        co_organisers=[tree.community_a2],
    )

    assert made.state == "draft"
    assert made.is_salon
    assert made.topic == "识别早期信号"
    assert list(made.co_organisers.all()) == [tree.community_a2]
    assert made.public_code


def test_nobody_creates_an_activity_for_another_street(tree: Tree, personas: Personas):
    starts = _now() + datetime.timedelta(days=3)
    with pytest.raises(PermissionDenied):
        services.activity_create(
            actor=personas.street_b_cadre,
            org=tree.community_a1,
            kind=ActivityKind.objects.get(code="study"),
            title="学习",
            venue="会议室",
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=1),
        )


def test_an_activity_ending_before_it_starts_is_refused_in_chinese(tree: Tree, personas: Personas):
    starts = _now() + datetime.timedelta(days=3)
    with pytest.raises(ValidationError) as refused:
        services.activity_create(
            actor=personas.community_a1_cadre,
            org=tree.community_a1,
            kind=ActivityKind.objects.get(code="study"),
            title="学习",
            venue="会议室",
            starts_at=starts,
            ends_at=starts - datetime.timedelta(hours=1),
        )
    assert "结束时间应晚于开始时间。" in refused.value.message_dict["ends_at"]
    assert not Activity.objects.exists()


def test_the_workflow_runs_from_draft_to_summarised(tree: Tree, personas: Personas):
    cadre = personas.community_a1_cadre
    made = activity(tree.community_a1, state="draft")
    for name in ("publish", "start", "finish"):
        made = services.activity_transition(actor=cadre, activity=made, transition=name)
    with pytest.raises(TransitionError) as refused:
        services.activity_transition(actor=cadre, activity=made, transition="summarise")
    assert "请先填写活动总结" in refused.value.messages[0]

    services.activity_summary_save(actor=cadre, activity=made, summary="圆满完成。")
    made = services.activity_transition(actor=cadre, activity=made, transition="summarise")

    assert made.state == "summarised"


def test_cancelling_needs_a_reason_and_tells_every_sign_up(
    tree: Tree, personas: Personas, django_capture_on_commit_callbacks
):
    cadre = personas.community_a1_cadre
    made = activity(tree.community_a1)
    made.created_by = personas.street_a_cadre  # the organiser hears of self sign-ups
    made.save(update_fields=["created_by"])
    services.signup_create(actor=cadre, activity=made, person=person(tree.community_a1))
    services.signup_self(activity=made, name="王秀英", phone="13800001111")

    with pytest.raises(TransitionError):
        services.activity_transition(actor=cadre, activity=made, transition="cancel")
    with django_capture_on_commit_callbacks(execute=True):
        services.activity_transition(
            actor=cadre, activity=made, transition="cancel", comment="暴雨预警"
        )

    message = Message.objects.get(recipient=cadre)
    assert "活动取消" in message.subject
    assert "暴雨预警" in message.body
    organiser_message = Message.objects.get(recipient=personas.street_a_cadre)
    assert "王秀英" in organiser_message.body
    with pytest.raises(ValidationError) as refused:
        services.signup_self(activity=made, name="李梅", phone="13800002222")
    assert refused.value.messages == ["该活动已取消，不能报名或签到。"]


# --- sign-ups, capacity and the waiting list --------------------------------------------------


def test_the_last_place_goes_to_the_first_and_the_next_waits(tree: Tree, personas: Personas):
    cadre = personas.community_a1_cadre
    made = activity(tree.community_a1, capacity=1)

    first = services.signup_create(actor=cadre, activity=made, person=person(tree.community_a1))
    second = services.signup_create(actor=cadre, activity=made, person=person(tree.community_a1))

    assert first.status == SignUpStatus.CONFIRMED
    assert second.status == SignUpStatus.WAITING
    assert services.waiting_position(second) == 1


def test_a_cancellation_promotes_the_first_waiting_and_tells_her(
    tree: Tree, personas: Personas, django_capture_on_commit_callbacks
):
    cadre = personas.community_a1_cadre
    made = activity(tree.community_a1, capacity=1)
    first = services.signup_create(actor=cadre, activity=made, person=person(tree.community_a1))
    second = services.signup_create(actor=cadre, activity=made, person=person(tree.community_a1))

    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.signup_cancel(actor=cadre, signup=first)

    assert promoted == second
    second.refresh_from_db()
    assert second.status == SignUpStatus.CONFIRMED
    assert second.promoted_at is not None
    assert Message.objects.filter(recipient=cadre, subject__contains="候补递补").count() == 1
    with pytest.raises(ValidationError):
        services.signup_cancel(actor=cadre, signup=first)


def test_signing_up_twice_is_refused_and_recorded_once(tree: Tree, personas: Personas):
    cadre = personas.community_a1_cadre
    made = activity(tree.community_a1)
    resident = person(tree.community_a1)
    services.signup_create(actor=cadre, activity=made, person=resident)

    with pytest.raises(ValidationError) as refused:
        services.signup_create(actor=cadre, activity=made, person=resident)

    assert "请勿重复报名" in refused.value.messages[0]
    assert SignUp.objects.filter(activity=made).count() == 1


@pytest.mark.parametrize(
    ("opens", "closes", "message"),
    [
        (datetime.timedelta(hours=1), datetime.timedelta(hours=2), "报名尚未开始"),
        (-datetime.timedelta(hours=3), -datetime.timedelta(hours=1), "报名已截止"),
    ],
)
def test_sign_up_outside_the_window_is_refused_with_the_window(
    tree: Tree, personas: Personas, opens, closes, message
):
    now = _now()
    made = activity(
        tree.community_a1,
        starts_at=now + datetime.timedelta(days=1),
        signup_opens_at=now + opens,
        signup_closes_at=now + closes,
    )
    with pytest.raises(ValidationError) as refused:
        services.signup_create(
            actor=personas.community_a1_cadre, activity=made, person=person(tree.community_a1)
        )
    assert message in refused.value.messages[0]
    with pytest.raises(ValidationError):
        services.signup_self(activity=made, name="王秀英", phone="13800001111")
    assert not SignUp.objects.exists()


def test_a_draft_is_not_open_for_sign_up(tree: Tree, personas: Personas):
    made = activity(tree.community_a1, state="draft")
    with pytest.raises(ValidationError) as refused:
        services.signup_self(activity=made, name="王秀英", phone="13800001111")
    assert refused.value.messages == ["该活动尚未发布，暂不能报名。"]


def test_staff_cannot_sign_up_a_person_of_another_street(tree: Tree, personas: Personas):
    made = activity(tree.community_a1)
    with pytest.raises(PermissionDenied):
        services.signup_create(
            actor=personas.community_a1_cadre, activity=made, person=person(tree.community_b1)
        )


def test_self_sign_up_links_the_registry_person_with_that_name_and_mobile(tree: Tree):
    resident = person(tree.community_a1, name="张秀梅", phone="13912345678")
    made = activity(tree.community_a1)

    signup = services.signup_self(activity=made, name="张秀梅", phone="139-1234-5678")

    assert signup.person == resident
    assert signup.channel == SignUpChannel.SELF
    assert signup.guest_name == ""
    assert signup.guest_phone == ""


def test_self_sign_up_of_someone_not_in_the_registry_looks_just_the_same(tree: Tree):
    person(tree.community_a1, name="张秀梅", phone="13912345678")
    made = activity(tree.community_a1)

    wrong_name = services.signup_self(activity=made, name="张秀", phone="13912345678")
    again = services.signup_self(activity=made, name="张秀", phone="13912345678")

    assert wrong_name.person is None
    assert wrong_name.status == SignUpStatus.CONFIRMED
    assert wrong_name.guest_name == "张秀"
    assert wrong_name.guest_phone == "13912345678"
    assert again == wrong_name
    assert SignUp.objects.count() == 1


def test_self_sign_up_with_a_bad_mobile_says_so(tree: Tree):
    made = activity(tree.community_a1)
    with pytest.raises(ValidationError) as refused:
        services.signup_self(activity=made, name="王秀英", phone="12345")
    assert "phone" in refused.value.message_dict


# --- check-in and check-out -------------------------------------------------------------------


def test_a_resident_checks_in_once_and_a_second_scan_records_nothing(tree: Tree):
    made = activity(tree.community_a1)
    services.signup_self(activity=made, name="王秀英", phone="13800001111")

    attendance = services.checkin_self(activity=made, name="王秀英", phone="13800001111")
    with pytest.raises(ValidationError) as refused:
        services.checkin_self(activity=made, name="王秀英", phone="13800001111")

    assert attendance.status == AttendanceStatus.CHECKED_IN
    assert "无需重复签到" in refused.value.messages[0]
    assert Attendance.objects.count() == 1


def test_a_second_attendance_is_refused_by_the_constraint_even_without_the_lock(tree: Tree):
    made = activity(tree.community_a1)
    signup = services.signup_self(activity=made, name="王秀英", phone="13800001111")
    first = services.checkin_self(activity=made, name="王秀英", phone="13800001111")

    # A caller that skipped the sign-up's lock: the insert itself finds the first attendance.
    with pytest.raises(ValidationError) as refused, transaction.atomic():
        services._attend(signup, method=AttendanceMethod.QR, checked_in_at=_now())

    assert refused.value.messages == [
        f"已于 {timezone.localtime(first.checked_in_at):%Y-%m-%d %H:%M} 签到，无需重复签到。"
    ]
    assert Attendance.objects.count() == 1
    assert AuditEntry.objects.filter(model_label="activities.Attendance").count() == 1


def test_a_registry_person_checks_in_to_her_own_sign_up_and_it_is_audited(tree: Tree):
    resident = person(tree.community_a1, name="张秀梅", phone="13912345678")
    elsewhere = activity(tree.community_a1)
    made = activity(tree.community_a1)
    services.signup_self(activity=elsewhere, name="张秀梅", phone="13912345678")
    signup = services.signup_self(activity=made, name="张秀梅", phone="13912345678")

    attendance = services.checkin_self(activity=made, name="张秀梅", phone="139 1234 5678")

    assert (attendance.signup, attendance.person, attendance.org) == (signup, resident, made.org)
    assert Attendance.objects.get().pk == attendance.pk
    entry = AuditEntry.objects.get(model_label="activities.Attendance")
    assert (entry.kind, entry.object_pk, entry.org_path) == (
        "create",
        str(attendance.pk),
        made.org.path,
    )
    assert entry.after["signup_id"] == signup.pk
    assert entry.after["method"] == AttendanceMethod.QR


def test_a_walk_in_is_signed_up_on_the_spot_while_places_are_left(tree: Tree):
    made = activity(tree.community_a1, capacity=1)

    services.checkin_self(activity=made, name="王秀英", phone="13800001111")
    with pytest.raises(ValidationError) as refused:
        services.checkin_self(activity=made, name="李梅", phone="13800002222")

    assert SignUp.objects.get(guest_name="王秀英").channel == SignUpChannel.WALK_IN
    assert refused.value.messages == ["名额已满，请联系现场工作人员。"]
    assert Attendance.objects.count() == 1


def test_a_waiting_person_cannot_check_in(tree: Tree, personas: Personas):
    made = activity(tree.community_a1, capacity=1)
    services.signup_self(activity=made, name="王秀英", phone="13800001111")
    services.signup_self(activity=made, name="李梅", phone="13800002222")

    with pytest.raises(ValidationError) as refused:
        services.checkin_self(activity=made, name="李梅", phone="13800002222")

    assert "候补名单第 1 位" in refused.value.messages[0]


def test_check_in_before_the_window_or_after_the_end_is_refused(tree: Tree):
    now = _now()
    early = activity(tree.community_a1, starts_at=now + datetime.timedelta(hours=5))
    late = activity(
        tree.community_a1,
        starts_at=now - datetime.timedelta(hours=3),
        ends_at=now - datetime.timedelta(hours=1),
    )
    with pytest.raises(ValidationError) as too_early:
        services.checkin_self(activity=early, name="王秀英", phone="13800001111")
    with pytest.raises(ValidationError) as too_late:
        services.checkin_self(activity=late, name="王秀英", phone="13800001111")

    assert "签到尚未开始" in too_early.value.messages[0]
    assert "签到已关闭" in too_late.value.messages[0]
    assert not Attendance.objects.exists()
    assert not SignUp.objects.exists()


def test_check_in_to_a_cancelled_activity_is_refused(tree: Tree):
    made = activity(tree.community_a1, state="cancelled")
    with pytest.raises(ValidationError) as refused:
        services.checkin_self(activity=made, name="王秀英", phone="13800001111")
    assert refused.value.messages == ["该活动已取消，不能报名或签到。"]


def test_the_organiser_ticks_with_times_and_listeners_hear_it_in_the_transaction(
    tree: Tree, personas: Personas
):
    now = _now()
    made = activity(
        tree.community_a1,
        starts_at=now - datetime.timedelta(hours=3),
        ends_at=now - datetime.timedelta(hours=1),
        state="finished",
    )
    signup = SignUp.objects.create(
        org=made.org, activity=made, person=person(tree.community_a1), channel="staff"
    )
    heard = []

    def listener(attendance):
        heard.append((attendance.person, attendance.status, attendance.checked_out_at))

    hooks.register_attendance_listener(listener)
    try:
        attendance = services.attendance_tick(
            actor=personas.community_a1_cadre,
            signup=signup,
            checked_in_at=made.starts_at,
            checked_out_at=made.ends_at,
        )
    finally:
        hooks.unregister_attendance_listener(listener)

    assert heard == [(signup.person, AttendanceStatus.CHECKED_OUT, made.ends_at)]
    assert attendance.method == "list"


def test_a_failing_listener_leaves_no_check_out_behind(tree: Tree, personas: Personas):
    made = activity(tree.community_a1)
    signup = services.signup_self(activity=made, name="王秀英", phone="13800001111")
    attendance = services.checkin_self(activity=made, name="王秀英", phone="13800001111")

    def listener(attendance):
        raise ValidationError("时长重叠")

    hooks.register_attendance_listener(listener)
    try:
        with pytest.raises(ValidationError):
            services.attendance_check_out(
                actor=personas.community_a1_cadre,
                attendance=attendance,
                at=_now() + datetime.timedelta(hours=1),
            )
    finally:
        hooks.unregister_attendance_listener(listener)

    attendance.refresh_from_db()
    assert attendance.status == AttendanceStatus.CHECKED_IN
    assert attendance.checked_out_at is None
    assert signup.pk


def test_hand_times_beyond_the_end_are_refused(tree: Tree, personas: Personas):
    made = activity(tree.community_a1)
    signup = services.signup_self(activity=made, name="王秀英", phone="13800001111")

    with pytest.raises(ValidationError) as refused:
        services.attendance_tick(
            actor=personas.community_a1_cadre,
            signup=signup,
            checked_in_at=made.starts_at,
            checked_out_at=made.ends_at + datetime.timedelta(hours=1),
        )

    assert "不能晚于活动结束时间" in refused.value.message_dict["checked_out_at"][0]
    assert not Attendance.objects.exists()


def test_check_out_all_stops_at_the_planned_end_and_twice_is_refused(
    tree: Tree, personas: Personas
):
    cadre = personas.community_a1_cadre
    made = activity(tree.community_a1)
    for name, phone in (("王秀英", "13800001111"), ("李梅", "13800002222")):
        services.checkin_self(activity=made, name=name, phone=phone)

    count = services.attendance_check_out_all(
        actor=cadre, activity=made, at=made.ends_at + datetime.timedelta(hours=2)
    )

    assert count == 2
    assert set(Attendance.objects.values_list("checked_out_at", flat=True)) == {made.ends_at}
    with pytest.raises(ValidationError) as refused:
        services.attendance_check_out(actor=cadre, attendance=Attendance.objects.first())
    assert "无需重复签退" in refused.value.messages[0]


def test_another_street_cannot_tick_or_check_out(tree: Tree, personas: Personas):
    made = activity(tree.community_a1)
    signup = services.signup_self(activity=made, name="王秀英", phone="13800001111")
    with pytest.raises(PermissionDenied):
        services.attendance_tick(actor=personas.street_b_cadre, signup=signup)
    attendance = services.checkin_self(activity=made, name="王秀英", phone="13800001111")
    with pytest.raises(PermissionDenied):
        services.attendance_check_out(actor=personas.street_b_cadre, attendance=attendance)


def test_a_signed_in_person_cannot_be_cancelled(tree: Tree, personas: Personas):
    made = activity(tree.community_a1)
    signup = services.signup_self(activity=made, name="王秀英", phone="13800001111")
    services.checkin_self(activity=made, name="王秀英", phone="13800001111")
    with pytest.raises(ValidationError) as refused:
        services.signup_cancel(actor=personas.community_a1_cadre, signup=signup)
    assert refused.value.messages == ["已签到的报名不能取消。"]


def test_counts_give_signed_up_waiting_attended_and_categories(tree: Tree, personas: Personas):
    from warmhome.people.models import Category

    cadre = personas.community_a1_cadre
    made = activity(tree.community_a1, capacity=2)
    category = Category.objects.first()
    resident = person(tree.community_a1)
    resident.categories.add(category)
    signup = services.signup_create(actor=cadre, activity=made, person=resident)
    services.signup_self(activity=made, name="王秀英", phone="13800001111")
    services.signup_self(activity=made, name="李梅", phone="13800002222")
    services.attendance_tick(actor=cadre, signup=signup)

    counts = activity_counts(made)

    assert (counts.signed_up, counts.waiting, counts.attended) == (2, 1, 1)
    assert counts.by_category == [(category.name, 1)]
    assert counts.by_channel == {"staff": 1, "self": 2}


def test_raising_the_capacity_promotes_the_waiting_list_in_order(
    tree: Tree, personas: Personas, django_capture_on_commit_callbacks
):
    cadre = personas.community_a1_cadre
    made = activity(tree.community_a1, capacity=1)
    signups = [
        services.signup_create(actor=cadre, activity=made, person=person(tree.community_a1))
        for _ in range(4)
    ]

    with django_capture_on_commit_callbacks(execute=True):
        services.activity_update(actor=cadre, activity=made, capacity=3)

    statuses = [SignUp.objects.get(pk=signup.pk).status for signup in signups]
    assert statuses == ["confirmed", "confirmed", "confirmed", "waiting"]
    assert Message.objects.filter(subject__contains="候补递补").count() == 2


def test_a_guest_linked_to_her_registry_record_brings_her_finished_attendance(
    tree: Tree, personas: Personas
):
    cadre = personas.community_a1_cadre
    made = activity(tree.community_a1)
    signup = services.signup_self(activity=made, name="王秀", phone="13800001111")
    attendance = services.checkin_self(activity=made, name="王秀", phone="13800001111")
    services.attendance_check_out(actor=cadre, attendance=attendance, at=made.ends_at)
    resident = person(tree.community_a1, name="王秀英")
    heard = []
    hooks.register_attendance_listener(heard.append)
    try:
        services.signup_link_person(actor=cadre, signup=signup, person=resident)
    finally:
        hooks.unregister_attendance_listener(heard.append)

    signup.refresh_from_db()
    assert signup.person == resident
    assert signup.guest_name == ""
    assert signup.guest_phone == ""
    assert [(a.pk, a.person) for a in heard] == [(attendance.pk, resident)]
    with pytest.raises(ValidationError):
        services.signup_link_person(actor=cadre, signup=signup, person=resident)
