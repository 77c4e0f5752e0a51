"""Activities over JSON: the same services as the pages; persons drawn by ``render_person``."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError

from warmhome.activities import services, tokens
from warmhome.activities.models import Activity, SignUp
from warmhome.activities.selectors import (
    activity_counts,
    published_activity,
    roster,
    signup_display_name,
)
from warmhome.activities.workflow import ACTIVITY
from warmhome.api.scoping import scope_exempt, scoped
from warmhome.core import ratelimit
from warmhome.core.scoping import get_for_user
from warmhome.people.models import Person
from warmhome.rules.selectors import policy_value

router = Router()

MAX_LIMIT = 200


class ActivityOut(Schema):
    id: int
    title: str
    kind: str
    kind_name: str
    state: str
    state_name: str
    org_id: int
    org_name: str
    venue: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    capacity: int
    signup_opens_at: datetime.datetime | None
    signup_closes_at: datetime.datetime | None


class ActivityPage(Schema):
    items: list[ActivityOut]
    count: int


class SignUpOut(Schema):
    id: int
    activity_id: int
    name: str
    status: str
    channel: str
    is_guest: bool
    waiting_position: int
    checked_in_at: datetime.datetime | None
    checked_out_at: datetime.datetime | None


class ActivityDetailOut(ActivityOut):
    description: str
    audience: str
    topic: str
    signed_up: int
    waiting: int
    attended: int
    signups: list[SignUpOut]


class SignUpIn(Schema):
    person_id: int


class CheckInIn(Schema):
    token: str
    name: str
    phone: str


class AttendanceOut(Schema):
    id: int
    activity_id: int
    signup_id: int
    checked_in_at: datetime.datetime
    checked_out_at: datetime.datetime | None
    status: str


def _activity_out(activity: Activity) -> dict[str, Any]:
    return {
        "id": activity.pk,
        "title": activity.title,
        "kind": activity.kind.code,
        "kind_name": activity.kind.name,
        "state": activity.state,
        "state_name": str(ACTIVITY.state_label(activity.state)),
        "org_id": activity.org_id,
        "org_name": activity.org.name,
        "venue": activity.venue,
        "starts_at": activity.starts_at,
        "ends_at": activity.ends_at,
        "capacity": activity.capacity,
        "signup_opens_at": activity.signup_opens_at,
        "signup_closes_at": activity.signup_closes_at,
    }


def _signup_out(signup: SignUp, viewer: Any) -> SignUpOut:
    attendance = getattr(signup, "attendance", None)
    return SignUpOut(
        id=signup.pk,
        activity_id=signup.activity_id,
        name=signup_display_name(signup, viewer),
        status=signup.status,
        channel=signup.channel,
        is_guest=signup.is_guest,
        waiting_position=services.waiting_position(signup),
        checked_in_at=attendance.checked_in_at if attendance else None,
        checked_out_at=attendance.checked_out_at if attendance else None,
    )


@router.get("/activities", response=ActivityPage, summary="活动列表（可按状态、类型筛选）")
@scoped(Activity)
def list_activities(
    request: HttpRequest, state: str = "", kind: str = "", offset: int = 0, limit: int = 50
) -> ActivityPage:
    activities = Activity.objects.visible_to(request.user).select_related("org", "kind")
    if state:
        activities = activities.filter(state=state)
    if kind:
        activities = activities.filter(kind__code=kind)
    limit = max(1, min(limit, MAX_LIMIT))
    offset = max(0, offset)
    page = list(activities[offset : offset + limit])
    return ActivityPage(
        items=[ActivityOut(**_activity_out(activity)) for activity in page],
        count=activities.count(),
    )


@router.get("/activities/{pk}", response=ActivityDetailOut, summary="活动详情（含报名名单，脱敏）")
@scoped(Activity)
def get_activity(request: HttpRequest, pk: int) -> ActivityDetailOut:
    activity = get_for_user(Activity.objects.select_related("org", "kind"), request.user, pk)
    counts = activity_counts(activity)
    return ActivityDetailOut(
        **_activity_out(activity),
        description=activity.description,
        audience=activity.audience,
        topic=activity.topic,
        signed_up=counts.signed_up,
        waiting=counts.waiting,
        attended=counts.attended,
        signups=[_signup_out(signup, request.user) for signup in roster(activity)],
    )


@router.post("/activities/{pk}/signups", response=SignUpOut, summary="代为报名（名额满则候补）")
@scoped(Activity, probe=lambda activity: {"person_id": 0})
def sign_up(request: HttpRequest, pk: int, payload: SignUpIn) -> SignUpOut:
    activity = get_for_user(Activity.objects.select_related("org"), request.user, pk, "change")
    person = (
        Person.objects.current()
        .visible_to(request.user, "people.view")
        .select_related("org")
        .filter(pk=payload.person_id)
        .first()
    )
    if person is None:
        raise ValidationError({"person_id": [_("未找到该人员，或您无权为其报名。")]})
    signup = services.signup_create(actor=request.user, activity=activity, person=person)
    return _signup_out(signup, request.user)


@router.post("/signups/{pk}/cancel", response=SignUpOut, summary="取消报名（候补自动递补）")
@scoped(SignUp, probe=lambda signup: {})
def cancel_signup(request: HttpRequest, pk: int) -> SignUpOut:
    signup = get_for_user(
        SignUp.objects.select_related("activity", "org", "person", "person__org"),
        request.user,
        pk,
        "change",
    )
    services.signup_cancel(actor=request.user, signup=signup)
    return _signup_out(signup, request.user)


@router.post(
    "/check-in", response=AttendanceOut, summary="扫码签到（现场二维码令牌 + 姓名、手机号）"
)
@scope_exempt(
    "the fresh QR token of the organiser's screen names the activity; "
    "the answers tell nothing of the registry"
)
def check_in(request: HttpRequest, payload: CheckInIn) -> AttendanceOut:
    if not ratelimit.allow(
        request,
        "activities.checkin",
        int(policy_value("activities.public_requests_per_minute")),
    ):
        raise HttpError(429, _("请求过于频繁，请稍后再试。"))
    seconds = int(policy_value("activities.checkin_qr_seconds"))
    try:
        code = tokens.qr_token_code(payload.token, seconds)
    except tokens.TokenExpiredError as expired:
        raise ValidationError(
            {"token": [_("二维码已过期，请重新扫描现场屏幕上的二维码。")]}
        ) from expired
    except tokens.TokenInvalidError as invalid:
        raise ValidationError(
            {"token": [_("二维码无效，请扫描现场屏幕上的签到二维码。")]}
        ) from invalid
    activity = published_activity(code, "org")
    if activity is None:
        raise ValidationError({"token": [_("二维码无效，请扫描现场屏幕上的签到二维码。")]})
    attendance = services.checkin_self(activity=activity, name=payload.name, phone=payload.phone)
    return AttendanceOut(
        id=attendance.pk,
        activity_id=attendance.activity_id,
        signup_id=attendance.signup_id,
        checked_in_at=attendance.checked_in_at,
        checked_out_at=attendance.checked_out_at,
        status=attendance.status,
    )
