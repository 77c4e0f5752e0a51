"""Hours credited from the activities app's check-out (its attendance listener)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.conftest import Tree
from tests.factories import activity, person, service_record, volunteer
from warmhome.activities.models import Attendance
from warmhome.activities.services import attendance_check_out, attendance_tick, signup_create
from warmhome.volunteers.models import ServiceRecord

pytestmark = pytest.mark.django_db


def finished_activity(unit, hours_ago: int = 4):
    start = (timezone.now() - datetime.timedelta(hours=hours_ago)).replace(second=0, microsecond=0)
    return activity(unit, starts_at=start, ends_at=start + datetime.timedelta(hours=3))


def early(event):
    return event.starts_at - datetime.timedelta(days=1)


def test_check_out_credits_the_volunteer(tree: Tree):
    made = volunteer(tree.community_a1)
    event = finished_activity(tree.community_a1)
    signup = signup_create(actor=None, activity=event, person=made.person, now=early(event))
    present = attendance_tick(actor=None, signup=signup, checked_in_at=event.starts_at)

    attendance_check_out(
        actor=None, attendance=present, at=event.starts_at + datetime.timedelta(minutes=140)
    )

    record = ServiceRecord.objects.get(volunteer=made)
    assert (record.state, record.hours, record.org) == ("approved", Decimal("2.00"), event.org)
    assert record.activity_ref == f"activities.Activity:{event.pk}"
    assert record.activity_title == event.title


def test_check_out_of_a_non_volunteer_credits_nothing(tree: Tree):
    event = finished_activity(tree.community_a1)
    signup = signup_create(
        actor=None, activity=event, person=person(tree.community_a1), now=early(event)
    )
    attendance_tick(
        actor=None,
        signup=signup,
        checked_in_at=event.starts_at,
        checked_out_at=event.starts_at + datetime.timedelta(hours=1),
    )

    assert not ServiceRecord.objects.exists()


def test_overlapping_time_refuses_the_check_out_and_records_nothing(tree: Tree):
    made = volunteer(tree.community_a1)
    event = finished_activity(tree.community_a1)
    service_record(made, event.starts_at, hours=2, activity_ref="elsewhere")
    signup = signup_create(actor=None, activity=event, person=made.person, now=early(event))
    present = attendance_tick(actor=None, signup=signup, checked_in_at=event.starts_at)

    with pytest.raises(ValidationError, match="时间重叠"):
        attendance_check_out(
            actor=None, attendance=present, at=event.starts_at + datetime.timedelta(hours=2)
        )

    assert Attendance.objects.get(pk=present.pk).checked_out_at is None
    assert ServiceRecord.objects.filter(volunteer=made).count() == 1


def test_listener_is_idempotent_per_activity(tree: Tree):
    from warmhome.volunteers.attendance import credit_hours_from_attendance

    made = volunteer(tree.community_a1)
    event = finished_activity(tree.community_a1)
    signup = signup_create(actor=None, activity=event, person=made.person, now=early(event))
    present = attendance_tick(
        actor=None,
        signup=signup,
        checked_in_at=event.starts_at,
        checked_out_at=event.starts_at + datetime.timedelta(hours=2),
    )

    credit_hours_from_attendance(present)  # called again with the same times: nothing new
    present.checked_out_at = event.starts_at + datetime.timedelta(hours=1)
    credit_hours_from_attendance(present)  # the organiser corrected the times

    record = ServiceRecord.objects.get(volunteer=made)
    assert record.hours == Decimal("1.00")
    assert record.corrections.get().before["hours"] == "2.00"
