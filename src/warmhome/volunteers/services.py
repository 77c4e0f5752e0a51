"""Writes of the volunteers app: teams, profiles, service hours, certificates, invitations.

Service time is exclusive per volunteer: two records of one volunteer whose times overlap cannot
both hold (pending or approved). Every credit locks the volunteer's row first, so two check-outs
or a check-out and a hand entry arriving together are serialised and the second one sees the
first (the same on SQLite, whose writes are serialised anyway).
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from warmhome.certificates.services import certificate_issue, certificate_revoke
from warmhome.core.masking import mask_citizen_id
from warmhome.core.workflows.services import transition_apply, workflow_initial
from warmhome.notifications.services import notify
from warmhome.orgs.models import OrgUnit
from warmhome.people.models import Person
from warmhome.people.rendering import render_person
from warmhome.rules.selectors import policy_value
from warmhome.volunteers.models import (
    Availability,
    CertificateCorrection,
    MonthlyHours,
    RecordSource,
    ServiceCategory,
    ServiceRecord,
    ServiceRecordCorrection,
    Team,
    TeamKind,
    TeamMember,
    Volunteer,
    VolunteerCertificate,
    VolunteerStatus,
)
from warmhome.volunteers.workflows import COUNTED_STATES, HOLDING_STATES

CERTIFICATE_KIND = "志愿服务记录证明"
_HOUR = Decimal(3600)


def _require(actor: Any, action: str, org: Any) -> None:
    # ``actor=None`` is the system itself (check-out listener, demo loader).
    if actor is not None and not actor.has_action(action, org):
        raise PermissionDenied(_("您没有在该组织执行此操作的权限。"))


# --- teams -----------------------------------------------------------------------------------


@transaction.atomic
def team_create(
    *,
    actor: Any,
    org: OrgUnit,
    name: str,
    kind: TeamKind,
    categories: Iterable[ServiceCategory] = (),
    description: str = "",
    founded_on: datetime.date | None = None,
) -> Team:
    _require(actor, "volunteers.change", org)
    if not name.strip():
        raise ValidationError({"name": [_("请填写队伍名称。")]})
    if Team.objects.filter(org=org, name=name.strip(), is_active=True).exists():
        raise ValidationError({"name": [_("本组织已有同名队伍。")]})
    team = Team.objects.create(
        org=org,
        name=name.strip(),
        kind=kind,
        description=description.strip(),
        founded_on=founded_on,
    )
    team.categories.set(list(categories))
    return team


@transaction.atomic
def team_update(
    *,
    actor: Any,
    team: Team,
    name: str,
    kind: TeamKind,
    categories: Iterable[ServiceCategory] = (),
    description: str = "",
    founded_on: datetime.date | None = None,
    is_active: bool = True,
) -> Team:
    _require(actor, "volunteers.change", team.org)
    if not name.strip():
        raise ValidationError({"name": [_("请填写队伍名称。")]})
    team.name = name.strip()
    team.kind = kind
    team.description = description.strip()
    team.founded_on = founded_on
    team.is_active = is_active
    team.save()
    team.categories.set(list(categories))
    return team


@transaction.atomic
def team_member_add(
    *,
    actor: Any,
    team: Team,
    volunteer: Volunteer,
    role: str = TeamMember.Role.MEMBER,
    joined_on: datetime.date | None = None,
) -> TeamMember:
    _require(actor, "volunteers.change", team.org)
    _require(actor, "volunteers.view", volunteer.org)
    if volunteer.status == VolunteerStatus.LEFT:
        raise ValidationError(_("该志愿者已退出，不能加入队伍。"))
    if TeamMember.objects.filter(team=team, volunteer=volunteer, left_on__isnull=True).exists():
        raise ValidationError(_("该志愿者已在这支队伍中。"))
    try:
        with transaction.atomic():
            return TeamMember.objects.create(
                team=team,
                volunteer=volunteer,
                role=role,
                joined_on=joined_on or timezone.localdate(),
            )
    except IntegrityError as clash:  # the same volunteer added twice at the same moment
        raise ValidationError(_("该志愿者已在这支队伍中。")) from clash


@transaction.atomic
def team_member_remove(
    *, actor: Any, member: TeamMember, left_on: datetime.date | None = None
) -> TeamMember:
    """Record that a volunteer left a team; the membership stays in the history."""
    _require(actor, "volunteers.change", member.team.org)
    if member.left_on is None:
        member.left_on = left_on or timezone.localdate()
        member.save()
    return member


# --- volunteer profiles ----------------------------------------------------------------------


def _age_on(person: Person, day: datetime.date) -> int | None:
    born = person.birth_date
    if born is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


@transaction.atomic
def volunteer_register(
    *,
    actor: Any,
    person: Person,
    org: OrgUnit | None = None,
    skills: str = "",
    categories: Iterable[ServiceCategory] = (),
    availability: str = Availability.ANYTIME,
    service_areas: Iterable[OrgUnit] = (),
    joined_on: datetime.date | None = None,
    guardian_consent: bool = False,
    user: Any = None,
) -> Volunteer:
    """Give ``person`` a volunteer profile registered by ``org`` (default: her own unit)."""
    unit = org or person.org
    _require(actor, "volunteers.change", unit)
    _require(actor, "people.view", person.org)
    day = joined_on or timezone.localdate()
    if person.merged_into_id is not None:
        raise ValidationError(_("该人员记录已合并，请在保留的记录上登记。"))
    age = _age_on(person, day)
    minor = age is not None and age < int(policy_value("volunteer.guardian_consent_age", day))
    if minor and not guardian_consent:
        raise ValidationError(
            {"guardian_consent": [_("未满十八周岁的志愿者须经监护人同意，请确认已取得同意。")]}
        )
    if Volunteer.objects.filter(person=person).exists():
        raise ValidationError(_("此人已登记为志愿者。"))
    try:
        with transaction.atomic():
            volunteer = Volunteer.objects.create(
                org=unit,
                person=person,
                user=user,
                skills=skills.strip(),
                availability=availability,
                joined_on=day,
            )
    except IntegrityError as clash:
        raise ValidationError(_("此人已登记为志愿者。")) from clash
    volunteer.number = f"ZY{day:%Y}{volunteer.pk:08d}"
    volunteer.save(update_fields=["number"])
    volunteer.categories.set(list(categories))
    volunteer.service_areas.set(list(service_areas))
    return volunteer


@transaction.atomic
def volunteer_update(
    *,
    actor: Any,
    volunteer: Volunteer,
    skills: str = "",
    categories: Iterable[ServiceCategory] = (),
    availability: str = Availability.ANYTIME,
    service_areas: Iterable[OrgUnit] = (),
    status: str = VolunteerStatus.ACTIVE,
    national_number: str = "",
) -> Volunteer:
    _require(actor, "volunteers.change", volunteer.org)
    if status not in VolunteerStatus.values:
        raise ValidationError({"status": [_("状态不正确。")]})
    volunteer.skills = skills.strip()
    volunteer.availability = availability
    volunteer.status = status
    volunteer.national_number = national_number.strip()
    volunteer.save()
    volunteer.categories.set(list(categories))
    volunteer.service_areas.set(list(service_areas))
    return volunteer


@transaction.atomic
def volunteer_link_account(*, actor: Any, volunteer: Volunteer, username: str) -> Volunteer:
    """Link the volunteer's own login (blank: unlink), through which she sees her own page.

    Only an account holding a current post inside the actor's scope may be linked: nobody can
    hand a volunteer's records to an account of another organisation.
    """
    from warmhome.accounts.models import User

    _require(actor, "volunteers.change", volunteer.org)
    name = (username or "").strip()
    if not name:
        volunteer.user = None
        volunteer.save(update_fields=["user", "updated_at"])
        return volunteer
    account = User.objects.filter(username=name, is_active=True).first()
    posts = account.current_posts() if account is not None else None
    allowed = posts is not None and any(
        actor is None or actor.has_action("volunteers.change", post.org) for post in posts
    )
    if account is None or not allowed:
        raise ValidationError({"username": [_("没有找到该账号，或该账号不在您的管理范围内。")]})
    if Volunteer.objects.filter(user=account).exclude(pk=volunteer.pk).exists():
        raise ValidationError({"username": [_("该账号已关联其他志愿者。")]})
    volunteer.user = account
    volunteer.save(update_fields=["user", "updated_at"])
    return volunteer


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


def _lock_volunteer(volunteer: Volunteer) -> Volunteer:
    locked: Volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    return locked


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
    locked = _lock_volunteer(volunteer)
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
    locked = _lock_volunteer(volunteer)
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
    locked_volunteer = _lock_volunteer(record.volunteer)
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


# --- certificates ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CertificateSigners:
    responsible_person: str
    handler: str
    contact: str


def _counted_records(
    volunteer: Volunteer,
    org: OrgUnit,
    period_start: datetime.date | None,
    period_end: datetime.date,
) -> Any:
    records = ServiceRecord.objects.filter(
        volunteer=volunteer,
        state__in=COUNTED_STATES,
        org__path__startswith=org.path,
        service_date__lte=period_end,
    )
    if period_start is not None:
        records = records.filter(service_date__gte=period_start)
    return records


def _content_summary(records: Any) -> str:
    titles: list[str] = []
    for title in records.order_by("service_date", "pk").values_list("activity_title", flat=True):
        if title not in titles:
            titles.append(title)
    summary = "、".join(titles[:8])
    if len(titles) > 8:
        summary += _("等 %(count)d 项活动") % {"count": len(titles)}
    return summary


@transaction.atomic
def volunteer_certificate_issue(
    *,
    actor: Any,
    volunteer: Volunteer,
    org: OrgUnit,
    signers: CertificateSigners,
    period_start: datetime.date | None = None,
    period_end: datetime.date | None = None,
) -> VolunteerCertificate:
    """Issue a 志愿服务记录证明 in ``org``'s name for the hours ``org``'s subtree recorded."""
    _require(actor, "volunteers.certify", org)
    end = period_end or timezone.localdate()
    if period_start is not None and period_start > end:
        raise ValidationError(_("起始日期不能晚于截止日期。"))
    for name, value in (
        ("responsible_person", signers.responsible_person),
        ("handler", signers.handler),
        ("contact", signers.contact),
    ):
        if not value.strip():
            raise ValidationError({name: [_("请填写负责人、经办人和联系方式。")]})
    _lock_volunteer(volunteer)  # a double click issues one certificate
    records = _counted_records(volunteer, org, period_start, end)
    total = sum((row for row in records.values_list("hours", flat=True)), Decimal(0))
    if total <= 0:
        raise ValidationError(_("该志愿者在此期间没有由本单位认定的服务时长，不能出具证明。"))
    same = (
        VolunteerCertificate.objects.filter(
            volunteer=volunteer,
            org=org,
            period_end=end,
            hours=total,
            certificate__revoked_at__isnull=True,
        )
        .select_related("certificate")
        .first()
    )
    if same is not None and (period_start is None or same.period_start == period_start):
        raise ValidationError(
            _("已出具过内容相同的证明（编号 %(number)s），请勿重复出具。")
            % {"number": same.certificate.number}
        )
    first = records.order_by("service_date").values_list("service_date", flat=True).first()
    start = period_start or first
    person = volunteer.person
    period = f"{start:%Y年%m月%d日}至{end:%Y年%m月%d日}" if start else f"至{end:%Y年%m月%d日}"
    facts = [
        (_("证件类型"), _("居民身份证")),
        (_("证件号码"), mask_citizen_id(person.citizen_id)),
        (_("志愿者编号"), volunteer.number or ""),
        (_("服务时间"), period),
        (_("服务时长"), _("%(hours)s 小时") % {"hours": _hours_text(total)}),
        (_("服务内容"), _content_summary(records)),
        (_("负责人"), signers.responsible_person.strip()),
        (_("经办人"), signers.handler.strip()),
        (_("联系方式"), signers.contact.strip()),
    ]
    certificate = certificate_issue(
        actor=actor,
        org=org,
        kind=CERTIFICATE_KIND,
        holder_display=render_person(person, viewer=None, context="public").name,
        issuer=org.name,
        facts=[(str(label), str(value)) for label, value in facts],
    )
    return VolunteerCertificate.objects.create(
        org=org,
        volunteer=volunteer,
        certificate=certificate,
        period_start=start,
        period_end=end,
        hours=total,
        responsible_person=signers.responsible_person.strip()[:50],
        handler=signers.handler.strip()[:50],
        contact=signers.contact.strip()[:50],
    )


def _hours_text(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text


@transaction.atomic
def certificate_correction_request(
    *, actor: Any, volunteer_certificate: VolunteerCertificate, message: str
) -> CertificateCorrection:
    """The volunteer (her own account) or staff ask the issuer to correct a certificate."""
    own = (
        actor is not None
        and volunteer_certificate.volunteer.user_id is not None
        and volunteer_certificate.volunteer.user_id == actor.pk
    )
    if not own:
        _require(actor, "volunteers.change", volunteer_certificate.org)
    text = (message or "").strip()
    if not text:
        raise ValidationError({"message": [_("请说明需要更正的内容。")]})
    if volunteer_certificate.replaced_by_id is not None:
        raise ValidationError(_("该证明已更正换发，请对新证明提出申请。"))
    if CertificateCorrection.objects.filter(
        volunteer_certificate=volunteer_certificate, state="requested"
    ).exists():
        raise ValidationError(_("该证明已有待处理的更正申请，请等待处理结果。"))
    correction = CertificateCorrection.objects.create(
        **workflow_initial(CertificateCorrection),
        org=volunteer_certificate.org,
        volunteer_certificate=volunteer_certificate,
        message=text[:2000],
        requested_by=actor,
    )
    return correction


def certificate_correction_decide(
    *, actor: Any, correction: CertificateCorrection, confirm: bool, comment: str = ""
) -> CertificateCorrection:
    """Confirm (revoke the old certificate, issue a new one from the records as they now stand)
    or refuse with a reason. The hour records themselves are corrected beforehand, each with
    its own reason (``service_record_correct``)."""
    with transaction.atomic():
        moved: CertificateCorrection = transition_apply(  # type: ignore[assignment]
            actor=actor,
            record=correction,
            transition="confirm" if confirm else "refuse",
            comment=comment,
        )
        if confirm:
            old = moved.volunteer_certificate
            new = volunteer_certificate_issue(
                actor=actor,
                volunteer=old.volunteer,
                org=old.org,
                signers=CertificateSigners(old.responsible_person, old.handler, old.contact),
                period_start=old.period_start,
                period_end=old.period_end,
            )
            certificate_revoke(
                actor=actor,
                certificate=old.certificate,
                reason=_("已更正，换发证书 %(number)s") % {"number": new.certificate.number},
            )
            old.replaced_by = new
            old.save(update_fields=["replaced_by"])
    user = correction.volunteer_certificate.volunteer.user
    if user is not None:
        notify(
            recipients=[user],
            subject=_("志愿服务记录证明更正申请已处理"),
            body=_("已更正并换发新证明。")
            if confirm
            else _("不予更正，理由：%(reason)s") % {"reason": comment.strip()},
        )
    return moved


# --- recruiting ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class InviteResult:
    invited: int
    without_account: int


@transaction.atomic
def volunteers_invite(
    *,
    actor: Any,
    volunteers: Sequence[Volunteer],
    subject: str,
    body: str,
    link: str = "",
) -> InviteResult:
    """Invite volunteers to an activity through the outbox (in-app and SMS)."""
    if not volunteers:
        raise ValidationError(_("请至少选择一位志愿者。"))
    for volunteer in volunteers:
        _require(actor, "volunteers.change", volunteer.org)
    if not subject.strip():
        raise ValidationError({"subject": [_("请填写邀请标题。")]})
    users = [volunteer.user for volunteer in volunteers if volunteer.user is not None]
    if users:
        notify(
            recipients=users,
            subject=subject.strip(),
            body=body.strip(),
            link=link,
            channels=("in_app", "sms"),
        )
    return InviteResult(invited=len(users), without_account=len(volunteers) - len(users))
