"""Writes of the activities engine: activities, sign-ups with a waiting list, attendance.

Places are counted under a row lock on the activity (``select_for_update``): two people taking
the last place at the same moment are served one after the other, the second is wait-listed.
Check-in locks the sign-up, so a double scan records one attendance.
"""

import datetime
import functools
from collections.abc import Iterable, Sequence
from typing import Any, NoReturn

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from warmhome.activities import hooks
from warmhome.activities.models import (
    ACTIVE_SIGNUP,
    Activity,
    ActivityKind,
    ActivityPhoto,
    Attendance,
    AttendanceMethod,
    AttendanceStatus,
    SignUp,
    SignUpChannel,
    SignUpStatus,
)
from warmhome.activities.workflow import EDITABLE_STATES, OPEN_STATES
from warmhome.core.audit.services import bulk_created_log
from warmhome.core.bulk import insert_unless_conflict
from warmhome.core.compiled_query import CompiledQuery
from warmhome.core.crypto import blind_index_candidates
from warmhome.core.identifiers import normalise_mobile
from warmhome.core.workflows.services import transition_apply, workflow_initial
from warmhome.orgs.models import OrgUnit
from warmhome.people.models import Person
from warmhome.rules.selectors import policy_value

#: the fields a form may set through ``activity_create`` / ``activity_update``
ACTIVITY_FIELDS = (
    "kind",
    "title",
    "venue",
    "starts_at",
    "ends_at",
    "capacity",
    "audience",
    "signup_opens_at",
    "signup_closes_at",
    "description",
    "topic",
    "minutes",
)
COVER_MAX_BYTES = 5 * 1024 * 1024


def _require(actor: Any, action: str, org: Any) -> None:
    # ``actor=None`` is the system itself (demo loader, maintenance commands).
    if actor is not None and not actor.has_action(action, org):
        raise PermissionDenied(_("您没有在该组织执行此操作的权限。"))


def _when(moment: datetime.datetime) -> str:
    return date_format(timezone.localtime(moment), "Y-m-d H:i")


# --- activities -------------------------------------------------------------------------------


def _check_cover(cover: UploadedFile[Any] | None) -> None:
    if cover is None:
        return
    if cover.size is not None and cover.size > COVER_MAX_BYTES:
        raise ValidationError({"cover": [_("图片不能超过 5 MB。")]})


def _clean_activity(activity: Activity) -> None:
    errors: dict[str, list[str]] = {}
    activity.title = (activity.title or "").strip()
    activity.venue = (activity.venue or "").strip()
    if not activity.title:
        errors.setdefault("title", []).append(_("请填写活动名称。"))
    if not activity.venue:
        errors.setdefault("venue", []).append(_("请填写活动地点。"))
    if activity.starts_at and activity.ends_at and activity.ends_at <= activity.starts_at:
        errors.setdefault("ends_at", []).append(_("结束时间应晚于开始时间。"))
    opens, closes = activity.signup_opens_at, activity.signup_closes_at
    if opens and closes and closes <= opens:
        errors.setdefault("signup_closes_at", []).append(_("报名截止时间应晚于报名开始时间。"))
    if closes and activity.ends_at and closes > activity.ends_at:
        errors.setdefault("signup_closes_at", []).append(_("报名截止时间不能晚于活动结束时间。"))
    if activity.kind_id and not activity.kind.is_active and activity._state.adding:
        errors.setdefault("kind", []).append(_("该活动类型已停用。"))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def activity_create(
    *,
    actor: Any,
    org: OrgUnit,
    co_organisers: Iterable[OrgUnit] = (),
    cover: UploadedFile[Any] | None = None,
    **values: Any,
) -> Activity:
    """Create an activity (a draft) organised by ``org``."""
    _require(actor, "activities.change", org)
    unknown = set(values) - set(ACTIVITY_FIELDS)
    if unknown:
        raise TypeError(f"activity_create takes no fields {sorted(unknown)}")
    _check_cover(cover)
    activity = Activity(org=org, created_by=actor, **values, **workflow_initial(Activity))
    if cover is not None:
        activity.cover = cover
    _clean_activity(activity)
    activity.save()
    activity.co_organisers.set([unit for unit in co_organisers if unit.pk != org.pk])
    return activity


@transaction.atomic
def activity_update(
    *,
    actor: Any,
    activity: Activity,
    co_organisers: Iterable[OrgUnit] | None = None,
    cover: UploadedFile[Any] | None = None,
    **values: Any,
) -> Activity:
    """Change the facts of an activity that is not yet closed (summarised or cancelled)."""
    _require(actor, "activities.change", activity.org)
    unknown = set(values) - set(ACTIVITY_FIELDS) - {"summary"}
    if unknown:
        raise TypeError(f"activity_update takes no fields {sorted(unknown)}")
    if activity.state not in EDITABLE_STATES:
        raise ValidationError(_("活动已总结或已取消，不能再修改。"))
    _check_cover(cover)
    for name, value in values.items():
        setattr(activity, name, value)
    if cover is not None:
        activity.cover = cover
    _clean_activity(activity)
    activity.save()
    if co_organisers is not None:
        activity.co_organisers.set([unit for unit in co_organisers if unit.pk != activity.org_id])
    if activity.state in OPEN_STATES:
        # More places (or none as limit): the waiting list moves up at once, in order.
        locked = _lock_activity(activity)
        while _promote_first_waiting(locked, timezone.now()) is not None:
            pass
    return activity


def activity_transition(
    *,
    actor: Any,
    activity: Activity,
    transition: str,
    comment: str = "",
    version: int | None = None,
) -> Activity:
    """Move ``activity`` through its workflow (publish, start, finish, summarise, cancel)."""
    moved: Activity = transition_apply(  # type: ignore[assignment]  # the engine returns its record
        actor=actor,
        record=activity,
        transition=transition,
        comment=comment,
        expected_version=version,
    )
    return moved


@transaction.atomic
def activity_summary_save(
    *,
    actor: Any,
    activity: Activity,
    summary: str,
    minutes: str | None = None,
    photos: Sequence[UploadedFile[Any]] = (),
    caption: str = "",
) -> Activity:
    """Write the summary (and a salon's minutes) of a finished activity, with its photos."""
    _require(actor, "activities.change", activity.org)
    if activity.state not in ("under_way", "finished", "summarised"):
        raise ValidationError(_("活动结束后才能填写总结。"))
    activity.summary = (summary or "").strip()
    update = ["summary", "updated_at"]
    if minutes is not None:
        activity.minutes = minutes.strip()
        update.append("minutes")
    activity.save(update_fields=update)
    for photo in photos:
        if photo.size is not None and photo.size > COVER_MAX_BYTES:
            raise ValidationError({"photos": [_("图片不能超过 5 MB。")]})
        ActivityPhoto.objects.create(
            org=activity.org, activity=activity, image=photo, caption=caption.strip()[:200]
        )
    return activity


# --- sign-ups -----------------------------------------------------------------------------------


def _lock_activity(activity: Activity) -> Activity:
    locked: Activity = (
        Activity.objects.select_for_update(of=("self",))
        .select_related("org", "kind")
        .get(pk=activity.pk)
    )
    return locked


def _refuse_closed(activity: Activity) -> None:
    if activity.state == "cancelled":
        raise ValidationError(_("该活动已取消，不能报名或签到。"), code="cancelled")
    if activity.state == "draft":
        raise ValidationError(_("该活动尚未发布，暂不能报名。"), code="draft")
    if activity.state not in OPEN_STATES:
        raise ValidationError(_("该活动已结束，不能报名或签到。"), code="closed")


def signup_window(activity: Activity) -> tuple[datetime.datetime | None, datetime.datetime]:
    """When sign-up opens (``None``: on publication) and closes (default: at the start)."""
    return activity.signup_opens_at, activity.signup_closes_at or activity.starts_at


def _refuse_outside_window(activity: Activity, now: datetime.datetime) -> None:
    opens, closes = signup_window(activity)
    if opens is not None and now < opens:
        raise ValidationError(
            _("报名尚未开始，报名时间为 %(opens)s 起。") % {"opens": _when(opens)}, code="early"
        )
    if now > closes:
        raise ValidationError(
            _("报名已截止（截止时间 %(closes)s）。") % {"closes": _when(closes)}, code="late"
        )


def confirmed_count(activity: Activity) -> int:
    return SignUp.objects.filter(activity=activity, status=SignUpStatus.CONFIRMED).count()


def _placed_status(activity: Activity) -> str:
    """Confirmed while places are left, else waiting; the activity row must be locked."""
    if activity.capacity and confirmed_count(activity) >= activity.capacity:
        return SignUpStatus.WAITING
    return SignUpStatus.CONFIRMED


def _create_signup(activity: Activity, **values: Any) -> SignUp:
    try:
        with transaction.atomic():
            return SignUp.objects.create(org=activity.org, activity=activity, **values)
    except IntegrityError as clash:
        raise ValidationError(_("已报名本活动，请勿重复报名。"), code="duplicate") from clash


@transaction.atomic
def signup_create(
    *, actor: Any, activity: Activity, person: Person, now: datetime.datetime | None = None
) -> SignUp:
    """Sign ``person`` up for ``activity`` on her behalf: a place, or the waiting list if full."""
    _require(actor, "activities.change", activity.org)
    if actor is not None and not actor.has_action("people.view", person.org):
        raise PermissionDenied(_("您无权为该人员报名。"))
    locked = _lock_activity(activity)
    _refuse_closed(locked)
    _refuse_outside_window(locked, now or timezone.now())
    if SignUp.objects.filter(ACTIVE_SIGNUP, activity=locked, person=person).exists():
        raise ValidationError(_("该人员已报名本活动，请勿重复报名。"), code="duplicate")
    return _create_signup(
        locked,
        person=person,
        status=_placed_status(locked),
        channel=SignUpChannel.STAFF,
        created_by=actor,
    )


def registry_match(name: str, mobile: str) -> Person | None:
    """The current registry person with exactly this name and mobile, if exactly one."""
    # Only the key and organisation: decrypting the rest would be wasted on a foreign key.
    matches = list(
        Person.objects.current()
        .filter(name=name, phone_index__in=blind_index_candidates(mobile, "phone"))
        .only("pk", "org_id")[:2]
    )
    return matches[0] if len(matches) == 1 else None


def _identify(name: str, phone: str) -> tuple[str, str]:
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    if not name or len(name) > 50:
        errors["name"] = [_("请填写姓名（不超过 50 个字）。")]
    try:
        mobile = normalise_mobile(phone)
    except ValidationError as problem:
        errors["phone"] = problem.messages
        mobile = ""
    if errors:
        raise ValidationError(errors)
    return name, mobile


def _own_signup(activity: Activity, name: str, mobile: str, *, lock: bool = False) -> SignUp | None:
    """The active sign-up of the person identified by ``name`` and ``mobile``, if any.

    A guest's sign-up (what she typed) or a registry person's (her name and phone): two queries
    that each use an index, where one with an OR across the person join read every sign-up of
    the activity on each check-in.
    """
    phones = blind_index_candidates(mobile, "phone")
    guest, registered = _own_signup_queries(lock, len(phones))
    found = guest(activity.pk, name, *phones) or registered(activity.pk, name, *phones)
    return found[0] if found else None


@functools.cache
def _own_signup_queries(lock: bool, keys: int) -> tuple[CompiledQuery[SignUp], ...]:
    """The guest's and the registry person's look-up, compiled once: every QR check-in runs
    them, and building them cost more than running them (bench/checkin.py)."""

    def active(activity_id: Any) -> "QuerySet[SignUp]":
        signups = SignUp.objects.filter(ACTIVE_SIGNUP, activity_id=activity_id).order_by("pk")
        return signups.select_for_update(of=("self",)) if lock else signups

    def guest(activity_id: Any, name: Any, *phones: Any) -> "QuerySet[SignUp]":
        return active(activity_id).filter(
            person__isnull=True, guest_phone_index__in=phones, guest_name=name
        )[:1]

    def registered(activity_id: Any, name: Any, *phones: Any) -> "QuerySet[SignUp]":
        persons = Person.objects.filter(name=name, phone_index__in=phones).values("pk")
        return active(activity_id).filter(person__in=persons)[:1]

    return CompiledQuery(guest, slots=2 + keys), CompiledQuery(registered, slots=2 + keys)


@transaction.atomic
def signup_self(
    *,
    activity: Activity,
    name: str,
    phone: str,
    channel: str = SignUpChannel.SELF,
    now: datetime.datetime | None = None,
) -> SignUp:
    """A resident signs herself up on the public page, by name and mobile.

    The registry person with exactly that name and mobile is linked; otherwise the sign-up
    keeps what she typed (a guest). The answer is the same either way, so the page never
    tells whether someone is in the registry. Signing up again returns the same sign-up.
    """
    name, mobile = _identify(name, phone)
    locked = _lock_activity(activity)
    _refuse_closed(locked)
    if channel == SignUpChannel.SELF:
        _refuse_outside_window(locked, now or timezone.now())
    existing = _own_signup(locked, name, mobile)
    if existing is not None:
        return existing
    person = registry_match(name, mobile)
    values: dict[str, Any] = {"person": person}
    if person is None:
        values.update(guest_name=name, guest_phone=mobile)
    return _create_signup(locked, status=_placed_status(locked), channel=channel, **values)


@transaction.atomic
def signup_link_person(*, actor: Any, signup: SignUp, person: Person) -> SignUp:
    """Match a guest sign-up to the registry person she is; her attendance follows.

    A finished attendance is told to the listeners again (hours are credited now that the
    person is known); they are idempotent per attendance.
    """
    _require(actor, "activities.change", signup.org)
    if actor is not None and not actor.has_action("people.view", person.org):
        raise PermissionDenied(_("您无权查看该人员。"))
    current = SignUp.objects.select_for_update().select_related("activity", "org").get(pk=signup.pk)
    if current.person_id is not None:
        raise ValidationError(_("该报名已关联人员库中的人员。"), code="linked")
    if SignUp.objects.filter(
        ACTIVE_SIGNUP, activity_id=current.activity_id, person=person
    ).exists():
        raise ValidationError(_("该人员已报名本活动，请勿重复报名。"), code="duplicate")
    current.person = person
    current.guest_name, current.guest_phone = "", ""
    current.save(
        update_fields=["person", "guest_name", "guest_phone", "guest_phone_index", "updated_at"]
    )
    attendance = (
        Attendance.objects.select_for_update(of=("self",))
        .select_related("activity", "org")
        .filter(signup=current)
        .first()
    )
    if attendance is not None:
        attendance.person = person
        attendance.save(update_fields=["person", "updated_at"])
        if attendance.status == AttendanceStatus.CHECKED_OUT:
            hooks.attendance_finished(attendance)
    signup.person, signup.guest_name, signup.guest_phone = person, "", ""
    return current


def waiting_position(signup: SignUp) -> int:
    """1 for the first on the waiting list; 0 when not waiting."""
    if signup.status != SignUpStatus.WAITING:
        return 0
    ahead = SignUp.objects.filter(
        activity_id=signup.activity_id, status=SignUpStatus.WAITING
    ).filter(
        Q(created_at__lt=signup.created_at) | Q(created_at=signup.created_at, pk__lt=signup.pk)
    )
    return ahead.count() + 1


@transaction.atomic
def signup_cancel(
    *, actor: Any, signup: SignUp, now: datetime.datetime | None = None
) -> SignUp | None:
    """Cancel a sign-up; a freed place goes to the first on the waiting list, who is told.

    Returns the promoted sign-up, if any. ``actor=None`` is the person herself (public page).
    """
    _require(actor, "activities.change", signup.org)
    locked_activity = _lock_activity(signup.activity)
    current = SignUp.objects.select_for_update().get(pk=signup.pk)
    if current.status == SignUpStatus.CANCELLED:
        raise ValidationError(_("该报名已取消。"), code="cancelled")
    if hasattr(current, "attendance"):
        raise ValidationError(_("已签到的报名不能取消。"), code="attended")
    freed = current.status == SignUpStatus.CONFIRMED
    current.status = SignUpStatus.CANCELLED
    current.cancelled_at = now or timezone.now()
    current.save(update_fields=["status", "cancelled_at", "updated_at"])
    signup.status, signup.cancelled_at = current.status, current.cancelled_at
    if not freed or locked_activity.state not in OPEN_STATES:
        return None
    return _promote_first_waiting(locked_activity, now or timezone.now())


def _promote_first_waiting(activity: Activity, now: datetime.datetime) -> SignUp | None:
    if activity.capacity and confirmed_count(activity) >= activity.capacity:
        return None
    first = (
        SignUp.objects.select_for_update()
        .filter(activity=activity, status=SignUpStatus.WAITING)
        .order_by("created_at", "pk")
        .first()
    )
    if first is None:
        return None
    first.status = SignUpStatus.CONFIRMED
    first.promoted_at = now
    first.save(update_fields=["status", "promoted_at", "updated_at"])
    transaction.on_commit(lambda: _notify_promoted(first.pk))
    return first


def _notify_promoted(signup_pk: int) -> None:
    from warmhome.activities.notices import promotion_notify

    promotion_notify(signup_pk)


# --- attendance -------------------------------------------------------------------------------


def checkin_window(activity: Activity) -> tuple[datetime.datetime, datetime.datetime]:
    """From ``activities.checkin_open_minutes`` before the start until the end."""
    minutes = int(policy_value("activities.checkin_open_minutes"))
    return activity.starts_at - datetime.timedelta(minutes=minutes), activity.ends_at


def _refuse_outside_checkin(activity: Activity, moment: datetime.datetime) -> None:
    opens, closes = checkin_window(activity)
    if moment < opens:
        raise ValidationError(
            _("签到尚未开始：活动 %(start)s 开始，%(opens)s 起可以签到。")
            % {"start": _when(activity.starts_at), "opens": _when(opens)},
            code="early",
        )
    if moment > closes:
        raise ValidationError(
            _("活动已于 %(end)s 结束，签到已关闭。") % {"end": _when(closes)}, code="late"
        )


def _refuse_second_checkin(signup: SignUp) -> NoReturn:
    """The sign-up already has its attendance (``_attend`` found it): say since when."""
    existing = _attendance_of_signup()(signup.pk)
    if existing:
        raise ValidationError(
            _("已于 %(time)s 签到，无需重复签到。") % {"time": _when(existing[0].checked_in_at)},
            code="duplicate",
        )
    raise ValidationError(_("已签到，无需重复签到。"), code="duplicate")


@functools.cache
def _attendance_of_signup() -> CompiledQuery[Attendance]:
    # Compiled once: every QR check-in asks (bench/checkin.py).
    return CompiledQuery(
        lambda signup_id: Attendance.objects.filter(signup_id=signup_id).order_by()[:1], slots=1
    )


def _refuse_waiting(signup: SignUp) -> None:
    if signup.status == SignUpStatus.WAITING:
        raise ValidationError(
            _("您在候补名单第 %(position)s 位，暂不能签到，请联系现场工作人员。")
            % {"position": waiting_position(signup)},
            code="waiting",
        )


def _attend(
    signup: SignUp,
    *,
    method: str,
    checked_in_at: datetime.datetime,
    checked_out_at: datetime.datetime | None = None,
    recorded_by: Any = None,
) -> Attendance:
    """Record the attendance of ``signup``, whose row the caller has locked; refused if it has
    one already (a second scan, a double click)."""
    finished = checked_out_at is not None
    attendance = Attendance(
        org=signup.org,
        activity=signup.activity,
        signup=signup,
        person_id=signup.person_id,
        checked_in_at=checked_in_at,
        checked_out_at=checked_out_at,
        status=AttendanceStatus.CHECKED_OUT if finished else AttendanceStatus.CHECKED_IN,
        method=method,
        recorded_by=recorded_by,
    )
    # Inserted and logged as the bulk paths do (the same row and audit entry as a save): every
    # QR scan comes here, and save()'s query building cost more than the insert. The
    # one-attendance-per-sign-up constraint answers "already there?" in the same statement.
    if not insert_unless_conflict(attendance, unique_field="signup"):
        _refuse_second_checkin(signup)
    bulk_created_log([attendance])
    if finished:
        hooks.attendance_finished(attendance)
    return attendance


@transaction.atomic
def checkin_self(
    *, activity: Activity, name: str, phone: str, now: datetime.datetime | None = None
) -> Attendance:
    """A resident checks herself in with the QR link (the token is the view's business).

    Without a sign-up she is signed up on the spot while places are left (a walk-in).
    """
    moment = now or timezone.now()
    name, mobile = _identify(name, phone)
    if activity.state not in OPEN_STATES:
        _refuse_closed(activity)
    _refuse_outside_checkin(activity, moment)
    # The sign-up row is locked: a double scan waits here, then meets the attendance.
    signup = _own_signup(activity, name, mobile, lock=True)
    if signup is None:
        signup = signup_self(
            activity=activity, name=name, phone=mobile, channel=SignUpChannel.WALK_IN, now=moment
        )
        if signup.status == SignUpStatus.WAITING:
            raise ValidationError(_("名额已满，请联系现场工作人员。"), code="full")
    _refuse_waiting(signup)
    # The caller's activity (with its organisation) spares the audit trail a query for each.
    signup.activity, signup.org = activity, activity.org
    return _attend(signup, method=AttendanceMethod.QR, checked_in_at=moment)


def _check_given_times(
    activity: Activity,
    checked_in_at: datetime.datetime,
    checked_out_at: datetime.datetime | None,
) -> None:
    _refuse_outside_checkin(activity, checked_in_at)
    if checked_out_at is None:
        return
    if checked_out_at <= checked_in_at:
        raise ValidationError({"checked_out_at": [_("签退时间应晚于签到时间。")]})
    if checked_out_at > activity.ends_at:
        raise ValidationError(
            {
                "checked_out_at": [
                    _("签退时间不能晚于活动结束时间 %(end)s。") % {"end": _when(activity.ends_at)}
                ]
            }
        )


@transaction.atomic
def attendance_tick(
    *,
    actor: Any,
    signup: SignUp,
    checked_in_at: datetime.datetime | None = None,
    checked_out_at: datetime.datetime | None = None,
    now: datetime.datetime | None = None,
) -> Attendance:
    """The organiser ticks a signed-up person present (optionally with both times)."""
    _require(actor, "activities.attendance", signup.org)
    moment = now or timezone.now()
    current = SignUp.objects.select_for_update().select_related("activity", "org").get(pk=signup.pk)
    activity = current.activity
    if activity.state == "cancelled":
        raise ValidationError(_("该活动已取消，不能签到。"), code="cancelled")
    if activity.state == "draft":
        raise ValidationError(_("该活动尚未发布，不能签到。"), code="draft")
    if current.status == SignUpStatus.CANCELLED:
        raise ValidationError(_("该报名已取消，不能签到。"), code="cancelled")
    _refuse_waiting(current)
    arrived = checked_in_at or moment
    _check_given_times(activity, arrived, checked_out_at)
    return _attend(
        current,
        method=AttendanceMethod.LIST,
        checked_in_at=arrived,
        checked_out_at=checked_out_at,
        recorded_by=actor,
    )


@transaction.atomic
def attendance_tick_person(
    *, actor: Any, activity: Activity, person: Person, now: datetime.datetime | None = None
) -> Attendance:
    """The organiser ticks a person present who had not signed up (takes a place if left)."""
    _require(actor, "activities.attendance", activity.org)
    if actor is not None and not actor.has_action("people.view", person.org):
        raise PermissionDenied(_("您无权为该人员签到。"))
    locked = _lock_activity(activity)
    _refuse_closed(locked)
    signup = SignUp.objects.filter(ACTIVE_SIGNUP, activity=locked, person=person).first()
    if signup is None:
        if _placed_status(locked) == SignUpStatus.WAITING:
            raise ValidationError(_("名额已满，不能再签到新的人员。"), code="full")
        signup = _create_signup(
            locked,
            person=person,
            status=SignUpStatus.CONFIRMED,
            channel=SignUpChannel.WALK_IN,
            created_by=actor,
        )
    return attendance_tick(actor=actor, signup=signup, now=now)


def _finish(attendance: Attendance, at: datetime.datetime, actor: Any) -> Attendance:
    if attendance.status == AttendanceStatus.CHECKED_OUT:
        raise ValidationError(
            _("已于 %(time)s 签退，无需重复签退。")
            % {"time": _when(attendance.checked_out_at or at)},
            code="duplicate",
        )
    # Time after the planned end is not service time: extend the activity first if it ran late.
    out = min(at, attendance.activity.ends_at)
    if out <= attendance.checked_in_at:
        raise ValidationError(_("签退时间应晚于签到时间。"), code="too_early")
    attendance.checked_out_at = out
    attendance.status = AttendanceStatus.CHECKED_OUT
    attendance.recorded_by = actor if actor is not None else attendance.recorded_by
    attendance.save(update_fields=["checked_out_at", "status", "recorded_by", "updated_at"])
    hooks.attendance_finished(attendance)
    return attendance


@transaction.atomic
def attendance_check_out(
    *, actor: Any, attendance: Attendance, at: datetime.datetime | None = None
) -> Attendance:
    """The organiser checks one person out (at ``at``, default now, at most the end)."""
    _require(actor, "activities.attendance", attendance.org)
    locked = (
        Attendance.objects.select_for_update(of=("self",))
        .select_related("activity", "person", "org")
        .get(pk=attendance.pk)
    )
    finished = _finish(locked, at or timezone.now(), actor)
    attendance.checked_out_at, attendance.status = finished.checked_out_at, finished.status
    return finished


@transaction.atomic
def attendance_check_out_all(
    *, actor: Any, activity: Activity, at: datetime.datetime | None = None
) -> int:
    """Check out everyone still checked in; returns how many."""
    _require(actor, "activities.attendance", activity.org)
    moment = at or timezone.now()
    present = (
        Attendance.objects.select_for_update(of=("self",))
        .filter(activity=activity, status=AttendanceStatus.CHECKED_IN)
        .select_related("activity", "person", "org")
        .order_by("pk")
    )
    count = 0
    for attendance in present:
        _finish(attendance, moment, actor)
        count += 1
    return count


def kinds_active() -> list[ActivityKind]:
    return list(ActivityKind.objects.filter(is_active=True))
