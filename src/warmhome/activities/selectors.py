"""Reads of the activities engine that span models: counts, rosters and timeline entries."""

import functools
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from warmhome.activities.models import (
    Activity,
    Attendance,
    AttendanceStatus,
    SignUp,
    SignUpStatus,
)
from warmhome.core.compiled_query import CompiledQuery
from warmhome.people.models import Category


@dataclass(frozen=True)
class ActivityCounts:
    signed_up: int
    waiting: int
    cancelled: int
    attended: int
    checked_out: int
    #: attendees by person category (困难妇女 …), registry persons only
    by_category: list[tuple[str, int]] = field(default_factory=list)
    #: sign-ups by channel (staff, self, walk-in)
    by_channel: dict[str, int] = field(default_factory=dict)


@functools.cache
def _published_by_code(related: tuple[str, ...]) -> CompiledQuery[Activity]:
    # Compiled once: the public pages (check-in above all) are the busiest, and building this
    # query cost them four times running it (bench/checkin.py). The code is unique: no ordering.
    return CompiledQuery(
        lambda code: (
            Activity.objects.select_related(*related)
            .exclude(state="draft")
            .filter(public_code=code)
            .order_by()[:1]
        ),
        slots=1,
    )


def published_activity(code: str, *related: str) -> Activity | None:
    """The activity of a public link (any state but draft), with ``related`` loaded."""
    found = _published_by_code(related)(code)
    return found[0] if found else None


def activity_counts(activity: Activity) -> ActivityCounts:
    """Signed-up, waiting, cancelled and attended counts of ``activity`` (a few queries)."""
    signups = SignUp.objects.filter(activity=activity).aggregate(
        signed_up=Count("pk", filter=Q(status=SignUpStatus.CONFIRMED)),
        waiting=Count("pk", filter=Q(status=SignUpStatus.WAITING)),
        cancelled=Count("pk", filter=Q(status=SignUpStatus.CANCELLED)),
    )
    attendance = Attendance.objects.filter(activity=activity).aggregate(
        attended=Count("pk"),
        checked_out=Count("pk", filter=Q(status=AttendanceStatus.CHECKED_OUT)),
    )
    by_category = (
        Category.objects.filter(persons__activity_attendances__activity=activity)
        .annotate(attendees=Count("persons__activity_attendances", distinct=True))
        .order_by("order", "code")
        .values_list("name", "attendees")
    )
    by_channel = dict(
        SignUp.objects.filter(activity=activity)
        .exclude(status=SignUpStatus.CANCELLED)
        .values_list("channel")
        .annotate(total=Count("pk"))
        .values_list("channel", "total")
    )
    return ActivityCounts(
        signed_up=signups["signed_up"],
        waiting=signups["waiting"],
        cancelled=signups["cancelled"],
        attended=attendance["attended"],
        checked_out=attendance["checked_out"],
        by_category=list(by_category),
        by_channel=by_channel,
    )


def roster(activity: Activity, *, include_cancelled: bool = False) -> "QuerySet[SignUp]":
    """The sign-ups of ``activity`` with what a roster row needs, confirmed before waiting."""
    signups = SignUp.objects.filter(activity=activity)
    if not include_cancelled:
        signups = signups.exclude(status=SignUpStatus.CANCELLED)
    return (
        signups.select_related("person", "person__org", "attendance", "org")
        .order_by("status", "created_at", "pk")
        .distinct()
    )


def signup_display_name(signup: SignUp, viewer: Any, context: Any = "list") -> str:
    """The name a roster prints: the registry person through ``render_person``, else masked."""
    from warmhome.core.masking import mask_name
    from warmhome.people.rendering import render_person

    if signup.person is not None:
        return render_person(signup.person, viewer=viewer, context=context).name
    # A guest's name is what she typed; staff of the organiser see it, nobody else does.
    if viewer is not None and viewer.has_action("activities.view", signup.org):
        return signup.guest_name
    return mask_name(signup.guest_name)
