"""Crediting service hours from the activities app's check-out (its attendance listener)."""

from typing import Any

from django.utils.translation import gettext as _

from warmhome.volunteers.models import ServiceRecord, Volunteer, VolunteerStatus
from warmhome.volunteers.workflows import HOLDING_STATES


def activity_ref(activity: Any) -> str:
    return f"activities.Activity:{activity.pk}"


def credit_hours_from_attendance(attendance: Any) -> ServiceRecord | None:
    """Credit the checked-out time to the person's volunteer profile, if she has one.

    Idempotent per activity: called again after the organiser corrects the times, it corrects
    the record (with the reason and history every correction has) instead of adding one.
    """
    from warmhome.volunteers import services_hours

    person = attendance.person
    if person is None or attendance.checked_out_at is None:
        return None
    volunteer = Volunteer.objects.filter(person=person).select_related("person").first()
    if volunteer is None or volunteer.status == VolunteerStatus.LEFT:
        return None
    activity = attendance.activity
    ref = activity_ref(activity)
    existing = ServiceRecord.objects.filter(
        volunteer=volunteer, activity_ref=ref, state__in=HOLDING_STATES
    ).first()
    hours = services_hours.hours_round(
        services_hours.duration_hours(attendance.checked_in_at, attendance.checked_out_at),
        attendance.checked_in_at.date(),
    )
    if hours <= 0:  # a stay shorter than one recording step credits nothing
        return existing
    if existing is None:
        return services_hours.service_credit(
            actor=None,
            volunteer=volunteer,
            org=attendance.org,
            activity_ref=ref,
            activity_title=activity.title,
            started_at=attendance.checked_in_at,
            ended_at=attendance.checked_out_at,
            content=activity.title,
            activity_start=None,
            activity_end=activity.ends_at,
        )
    if (existing.started_at, existing.ended_at) == (
        attendance.checked_in_at,
        attendance.checked_out_at,
    ):
        return existing
    services_hours.service_record_correct(
        actor=None,
        record=existing,
        reason=_("组织方更正了签到签退时间"),
        hours=hours,
        started_at=attendance.checked_in_at,
        ended_at=attendance.checked_out_at,
    )
    return existing


def on_attendance_finished(attendance: Any) -> None:
    credit_hours_from_attendance(attendance)


def volunteer_users(person: Any) -> list[Any]:
    """The volunteer's own login, to hear of her sign-ups herself."""
    volunteer = Volunteer.objects.filter(person=person).select_related("user").first()
    return [volunteer.user] if volunteer is not None and volunteer.user is not None else []


def connect_attendance() -> None:
    from warmhome.activities.hooks import register_attendance_listener, register_person_contact

    register_attendance_listener(on_attendance_finished)
    register_person_contact(volunteer_users)
