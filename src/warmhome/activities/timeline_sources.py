"""The activities engine's sources for the household timeline and the coverage evidence."""

import datetime
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from warmhome.activities.models import Activity, Attendance
from warmhome.people.models import Household
from warmhome.people.rendering import render_person
from warmhome.people.timeline import TimelineEvent

SOURCE_KEY = "activities.attendance"
HELD_STATES = ("under_way", "finished", "summarised")


def attendance_events(household: Household, user: Any) -> list[TimelineEvent]:
    """One event per activity a member of ``household`` attended (that ``user`` may see)."""
    person_ids = household.members.values("person_id")
    attendances = (
        Attendance.objects.visible_to(user, "activities.view")
        .filter(person_id__in=person_ids)
        .select_related("activity", "person", "person__org")
        .order_by("-checked_in_at")[:200]
    )
    return [
        TimelineEvent(
            when=attendance.checked_in_at,
            title=_("%(name)s 参加活动“%(activity)s”")
            % {
                "name": render_person(attendance.person, viewer=user).name,
                "activity": attendance.activity.title,
            },
            url=reverse("activities:activity_detail", args=[attendance.activity_id]),
        )
        for attendance in attendances
        if attendance.person is not None
    ]


def units_with_activities(start: datetime.date, end: datetime.date) -> "QuerySet[Any]":
    """Organiser units that held an activity between ``start`` and ``end`` (a subquery)."""
    return Activity.objects.filter(
        state__in=HELD_STATES, starts_at__date__range=(start, end)
    ).values("org_id")


def register() -> None:
    from warmhome.orgs.coverage import EvidenceSource, register_evidence
    from warmhome.people.timeline import register_timeline_source

    register_timeline_source(SOURCE_KEY, "activities.view", attendance_events)
    register_evidence(
        EvidenceSource(
            key="activities.activity", label=gettext_lazy("活动"), units=units_with_activities
        )
    )
