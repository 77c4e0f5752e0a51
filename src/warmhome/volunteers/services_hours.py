"""Writes of service hours: credits from attendance, hand entries, decisions, corrections.

Service time is exclusive per volunteer: two records of one volunteer whose times overlap cannot
both hold (pending or approved). Every credit locks the volunteer's row first, so two check-outs
or a check-out and a hand entry arriving together are serialised and the second one sees the
first (the same on SQLite, whose writes are serialised anyway).
"""

import datetime
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from warmhome.core.workflows.services import transition_apply, workflow_initial
from warmhome.orgs.models import OrgUnit
from warmhome.rules.selectors import policy_value
from warmhome.volunteers.models import (
    MonthlyHours,
    RecordSource,
    ServiceCategory,
    ServiceRecord,
    ServiceRecordCorrection,
    Volunteer,
    VolunteerStatus,
)
from warmhome.volunteers.services import volunteer_lock
from warmhome.volunteers.workflows import COUNTED_STATES, HOLDING_STATES

_HOUR = Decimal(3600)


def _require(actor: Any, action: str, org: Any) -> None:
    # ``actor=None`` is the system itself (check-out listener, demo loader).
    if actor is not None and not actor.has_action(action, org):
        raise PermissionDenied(_("您没有在该组织执行此操作的权限。"))


# --- service hours ---------------------------------------------------------------------------


def _monthly_add(org_id: int, day: datetime.date, hours: Decimal, records: int) -> None:
    """Add to the monthly figures (inside the caller's transaction; concurrent adds both land)."""
    month = day.replace(day=1)
    counters = {"hours": F("hours") + hours, "records": F("records") + records}
    if MonthlyHours.objects.filter(org_id=org_id, month=month).update(**counters):
        return
    try:
        with transaction.atomic():
            MonthlyHours.objects.create(org_id=org_id, month=month, hours=hours, records=records)
    except IntegrityError:  # another transaction created the row meanwhile
        MonthlyHours.objects.filter(org_id=org_id, month=month).update(**counters)


def _count(record: ServiceRecord, sign: int) -> None:
    _monthly_add(record.org_id, record.service_date, sign * record.hours, sign)


@transaction.atomic
def monthly_hours_rebuild() -> int:
    """Recompute the monthly figures from the records (repair; benchmarks); returns rows."""
    MonthlyHours.objects.all().delete()
    grouped = (
        ServiceRecord.objects.filter(state__in=COUNTED_STATES)
        .annotate(month=TruncMonth("service_date"))
        .values("org_id", "month")
        .annotate(total=Sum("hours"), count=Count("pk"))
        .order_by()
    )
    rows = [
        MonthlyHours(
            org_id=row["org_id"], month=row["month"], hours=row["total"], records=row["count"]
        )
        for row in grouped.iterator(chunk_size=10_000)
    ]
    MonthlyHours.objects.bulk_create(rows, batch_size=5_000)
    return len(rows)


def hours_step(on: datetime.date | None = None) -> Decimal:
    return Decimal(str(policy_value("volunteer.hours_step", on)))


def hours_round(hours: Decimal, on: datetime.date | None = None) -> Decimal:
    """``hours`` to the recording step, the way the policy table says (down by default)."""
    step = hours_step(on)
    rule = policy_value("volunteer.hours_rounding", on)
    mode = ROUND_HALF_UP if rule == "nearest" else ROUND_DOWN
    units = (hours / step).quantize(Decimal(1), rounding=mode)
    return (units * step).quantize(Decimal("0.01"))


def duration_hours(started_at: datetime.datetime, ended_at: datetime.datetime) -> Decimal:
    return Decimal((ended_at - started_at).total_seconds()) / _HOUR


def _check_times(
    started_at: datetime.datetime,
    ended_at: datetime.datetime,
    activity_start: datetime.datetime | None,
    activity_end: datetime.datetime | None,
) -> None:
    if ended_at <= started_at:
        raise ValidationError({"ended_at": [_("结束时间必须晚于开始时间。")]})
    if ended_at > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationError({"ended_at": [_("不能登记尚未发生的服务时间。")]})
    if activity_start is not None and started_at < activity_start:
        raise ValidationError({"started_at": [_("服务时间超出了活动时间：开始时间早于活动开始。")]})
    if activity_end is not None and ended_at > activity_end:
        raise ValidationError({"ended_at": [_("服务时间超出了活动时间：结束时间晚于活动结束。")]})


def _refuse_overlap(
    volunteer: Volunteer,
    started_at: datetime.datetime,
    ended_at: datetime.datetime,
    exclude_pk: int | None = None,
) -> None:
    clash = (
        ServiceRecord.objects.filter(
            volunteer=volunteer,
            state__in=HOLDING_STATES,
            started_at__lt=ended_at,
            ended_at__gt=started_at,
        )
        .exclude(pk=exclude_pk)
        .first()
    )
    if clash is not None:
        start = timezone.localtime(clash.started_at)
        end = timezone.localtime(clash.ended_at)
        raise ValidationError(
            _("该志愿者在 %(start)s 至 %(end)s 已有服务记录（%(title)s），时间重叠，不能重复计算。")
            % {
                "start": start.strftime("%Y-%m-%d %H:%M"),
                "end": end.strftime("%H:%M")
                if start.date() == end.date()
                else end.strftime("%Y-%m-%d %H:%M"),
                "title": clash.activity_title,
            },
            code="overlap",
        )


def _clean_text(value: str, field: str, message: str, limit: int) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: [message]})
    return text[:limit]


@transaction.atomic
def service_credit(
    *,
    actor: Any,
    volunteer: Volunteer,
    org: OrgUnit,
    activity_ref: str,
    activity_title: str,
    started_at: datetime.datetime,
    ended_at: datetime.datetime,
    content: str = "",
    category: ServiceCategory | None = None,
    activity_start: datetime.datetime | None = None,
    activity_end: datetime.datetime | None = None,
) -> ServiceRecord:
    """Credit the time between check-in and check-out, rounded by the policy rule, approved.

    A second credit for the same activity, or for any overlapping time, is refused.
    """
    _require(actor, "volunteers.change", org)
    title = _clean_text(activity_title, "activity_title", _("请填写活动名称。"), 200)
    _check_times(started_at, ended_at, activity_start, activity_end)
    locked = volunteer_lock(volunteer)
    if locked.status == VolunteerStatus.LEFT:
        raise ValidationError(_("该志愿者已退出，不能再记录服务时长。"))
    if (
        activity_ref
        and ServiceRecord.objects.filter(
            volunteer=locked, activity_ref=activity_ref, state__in=HOLDING_STATES
        ).exists()
    ):
        raise ValidationError(_("该志愿者在本次活动的服务时长已经记录，不能重复记录。"))
    _refuse_overlap(locked, started_at, ended_at)
    day = timezone.localdate(started_at)
    hours = hours_round(duration_hours(started_at, ended_at), day)
    if hours <= 0:
        raise ValidationError(
            _("服务时间不足一个记录单位（%(step)s 小时），不计时长。") % {"step": hours_step(day)}
        )
    record = ServiceRecord.objects.create(
        **{**workflow_initial(ServiceRecord), "state": "approved"},
        org=org,
        volunteer=locked,
        activity_ref=activity_ref[:64],
        activity_title=title,
        category=category,
        service_date=day,
        started_at=started_at,
        ended_at=ended_at,
        hours=hours,
        content=(content or title).strip()[:500],
        source=RecordSource.ATTENDANCE,
        entered_by=actor,
    )
    _count(record, +1)
    return record


def _check_hours(
    hours: Decimal,
    started_at: datetime.datetime,
    ended_at: datetime.datetime,
) -> Decimal:
    try:
        value = Decimal(str(hours))
    except ArithmeticError as problem:
        raise ValidationError({"hours": [_("服务时长应为数字。")]}) from problem
    if not value.is_finite() or value <= 0:
        raise ValidationError({"hours": [_("服务时长必须大于零。")]})
    day = timezone.localdate(started_at)
    step = hours_step(day)
    if value % step != 0:
        raise ValidationError({"hours": [_("服务时长按 %(step)s 小时记录。") % {"step": step}]})
    if value > duration_hours(started_at, ended_at):
        raise ValidationError(
            {
                "hours": [
                    _("服务时长不能超过开始至结束的时间（%(span)s 小时）。")
                    % {"span": hours_round(duration_hours(started_at, ended_at), day)}
                ]
            }
        )
    return value.quantize(Decimal("0.01"))


@transaction.atomic
def service_record_enter(
    *,
    actor: Any,
    volunteer: Volunteer,
    org: OrgUnit,
    activity_title: str,
    started_at: datetime.datetime,
    ended_at: datetime.datetime,
    hours: Decimal,
    content: str,
    category: ServiceCategory | None = None,
    activity_ref: str = "",
    activity_start: datetime.datetime | None = None,
    activity_end: datetime.datetime | None = None,
) -> ServiceRecord:
    """Hours entered by hand: pending until someone holding ``approve_hours`` approves them."""
    _require(actor, "volunteers.change", org)
    _require(actor, "volunteers.view", volunteer.org)
    title = _clean_text(activity_title, "activity_title", _("请填写活动名称。"), 200)
    text = _clean_text(content, "content", _("请填写服务内容。"), 500)
    _check_times(started_at, ended_at, activity_start, activity_end)
    value = _check_hours(hours, started_at, ended_at)
    locked = volunteer_lock(volunteer)
    if locked.status == VolunteerStatus.LEFT:
        raise ValidationError(_("该志愿者已退出，不能再记录服务时长。"))
    _refuse_overlap(locked, started_at, ended_at)
    return ServiceRecord.objects.create(
        **workflow_initial(ServiceRecord),
        org=org,
        volunteer=locked,
        activity_ref=activity_ref[:64],
        activity_title=title,
        category=category,
        service_date=timezone.localdate(started_at),
        started_at=started_at,
        ended_at=ended_at,
        hours=value,
        content=text,
        source=RecordSource.MANUAL,
        entered_by=actor,
    )


def service_record_decide(
    *, actor: Any, record: ServiceRecord, transition: str, comment: str = ""
) -> ServiceRecord:
    """Approve, reject or revoke a record through the workflow engine (timeline, one wins).

    The one way to move a service record: it keeps the monthly figures in step.
    """
    if transition not in ("approve", "reject", "revoke"):
        raise ValueError(transition)
    with transaction.atomic():
        result: ServiceRecord = transition_apply(  # type: ignore[assignment]
            actor=actor, record=record, transition=transition, comment=comment
        )
        if transition == "approve":
            _count(result, +1)
        elif transition == "revoke":
            _count(result, -1)
    return result


def _snapshot(record: ServiceRecord) -> dict[str, Any]:
    return {
        "hours": str(record.hours),
        "service_date": record.service_date.isoformat(),
        "started_at": record.started_at.isoformat(),
        "ended_at": record.ended_at.isoformat(),
        "content": record.content,
        "activity_title": record.activity_title,
        "category": record.category_id,
    }


@transaction.atomic
def service_record_correct(
    *,
    actor: Any,
    record: ServiceRecord,
    reason: str,
    hours: Decimal | None = None,
    started_at: datetime.datetime | None = None,
    ended_at: datetime.datetime | None = None,
    content: str | None = None,
    category: ServiceCategory | None = None,
) -> ServiceRecordCorrection:
    """Correct a record with a reason; the values before and after are kept in its history."""
    _require(actor, "volunteers.approve_hours", record.org)
    why = (reason or "").strip()
    if not why:
        raise ValidationError({"reason": [_("更正服务记录必须填写原因。")]})
    locked_volunteer = volunteer_lock(record.volunteer)
    current = ServiceRecord.objects.select_for_update().get(pk=record.pk)
    if current.state not in HOLDING_STATES:
        raise ValidationError(_("该记录已退回或撤销，不能更正。"))
    before = _snapshot(current)
    start = started_at or current.started_at
    end = ended_at or current.ended_at
    _check_times(start, end, None, None)
    value = _check_hours(hours if hours is not None else current.hours, start, end)
    _refuse_overlap(locked_volunteer, start, end, exclude_pk=current.pk)
    current.started_at = start
    current.ended_at = end
    current.service_date = timezone.localdate(start)
    current.hours = value
    if content is not None:
        current.content = _clean_text(content, "content", _("请填写服务内容。"), 500)
    if category is not None:
        current.category = category
    after = _snapshot(current)
    if after == before:
        raise ValidationError(_("没有需要更正的内容。"))
    counted = current.state in COUNTED_STATES
    if counted:
        _monthly_add(
            record.org_id,
            datetime.date.fromisoformat(before["service_date"]),
            -Decimal(before["hours"]),
            -1,
        )
    current.save()
    if counted:
        _count(current, +1)
    for name in ("started_at", "ended_at", "service_date", "hours", "content", "category"):
        setattr(record, name, getattr(current, name))
    return ServiceRecordCorrection.objects.create(
        record=current, actor=actor, reason=why[:500], before=before, after=after
    )
