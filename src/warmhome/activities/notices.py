"""Telling people what happened to their sign-ups, through the notifications outbox.

The outbox writes to users. A person is told through the user accounts that
``hooks.person_contacts`` names for her (her own login, where a module links one); the staff
member who signed her up, or for self sign-ups the activity's creator, is told as well so that
someone can phone her.
"""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from warmhome.activities.hooks import person_contacts
from warmhome.activities.models import ACTIVE_SIGNUP, Activity, SignUp
from warmhome.core.models import TransitionLog
from warmhome.core.workflows import on_transition
from warmhome.notifications.services import notify
from warmhome.people.rendering import render_person


def _recipients(signup: SignUp) -> list[Any]:
    users: list[Any] = person_contacts(signup.person) if signup.person is not None else []
    staff = signup.created_by or signup.activity.created_by
    if staff is not None and staff not in users and staff.is_active:
        users.append(staff)
    return users


def _name_for(signup: SignUp, viewer: Any) -> str:
    if signup.person is not None:
        return render_person(signup.person, viewer=viewer, context="list").name
    return signup.guest_name


def promotion_notify(signup_pk: int) -> None:
    """Tell a wait-listed person (and her contact) that she now has a place."""
    signup = (
        SignUp.objects.select_related("activity", "activity__created_by", "person", "person__org")
        .select_related("created_by")
        .filter(pk=signup_pk)
        .first()
    )
    if signup is None:
        return
    link = reverse("activities:activity_detail", args=[signup.activity_id])
    for user in _recipients(signup):
        notify(
            recipients=[user],
            subject=_("候补递补：%(activity)s") % {"activity": signup.activity.title},
            body=_("%(name)s 已从候补名单递补为正式报名，请按时参加“%(activity)s”。")
            % {"name": _name_for(signup, user), "activity": signup.activity.title},
            link=link,
        )


@on_transition("activity", "cancel")
def cancellation_notify(activity: Activity, log: TransitionLog) -> None:
    """Tell every active sign-up of a cancelled activity, with the organiser's reason."""
    signups = (
        SignUp.objects.filter(ACTIVE_SIGNUP, activity=activity)
        .select_related("activity", "activity__created_by", "person", "person__org", "created_by")
        .order_by("pk")
    )
    names_by_user: dict[Any, list[str]] = {}
    for signup in signups:
        for user in _recipients(signup):
            names_by_user.setdefault(user, []).append(_name_for(signup, user))
    link = reverse("activities:activity_detail", args=[activity.pk])
    for user, names in names_by_user.items():
        notify(
            recipients=[user],
            subject=_("活动取消：%(activity)s") % {"activity": activity.title},
            body=_("活动“%(activity)s”已取消，原因：%(reason)s。涉及报名：%(names)s。")
            % {"activity": activity.title, "reason": log.comment, "names": "、".join(names)},
            link=link,
        )
