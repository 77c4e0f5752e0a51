"""Writing policy values and calendar days."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from warmhome.core.audit.services import attributed_service
from warmhome.rules.models import CalendarDay, Policy
from warmhome.rules.policies import MANAGE, MANAGE_SECURITY, all_specs, get_spec, validate_value

#: The date the initial values are entered from: before any record the platform will hold.
INITIAL_VALID_FROM = datetime.date(2000, 1, 1)
MANAGE_ACTION = MANAGE
MAX_RANGE_DAYS = 31

# chinese-calendar names its holidays in English; the calendar shows the Chinese names.
PACKAGE_HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


def _require_manage(actor: Any, action: str = MANAGE_ACTION) -> None:
    if actor is not None and actor.has_action(action):
        return
    if action == MANAGE_SECURITY:
        raise PermissionDenied(_("登录安全策略只能由安全管理员维护。"))
    raise PermissionDenied(_("您没有维护规则与日历的权限。"))


# --- policies -------------------------------------------------------------------------------


@attributed_service
@transaction.atomic
def policy_set(
    *,
    actor: Any,
    key: str,
    value: Any,
    valid_from: datetime.date,
    basis: str,
    description: str = "",
) -> Policy:
    """Enter the value of ``key`` from ``valid_from`` on; the same date again corrects it."""
    spec = get_spec(key)
    _require_manage(actor, spec.manage_action)
    validate_value(spec, value)
    if not basis.strip():
        raise ValidationError({"basis": _("请填写依据（法规、文件或会议决定）。")})
    policy = Policy.objects.select_for_update().filter(key=key, valid_from=valid_from).first()
    if policy is None:
        policy = Policy(key=key, valid_from=valid_from)
    policy.value = value
    policy.unit = str(spec.unit)
    policy.basis = basis.strip()
    policy.description = description.strip() or str(spec.description)
    policy.created_by = actor
    policy.save()
    return policy


@transaction.atomic
def policies_ensure_defaults() -> int:
    """Enter the registry's initial value of every key that has no row yet; never overwrite."""
    existing = set(Policy.objects.values_list("key", flat=True).distinct())
    created = 0
    for spec in all_specs():
        if spec.key in existing:
            continue
        Policy.objects.create(
            key=spec.key,
            value=spec.default,
            unit=str(spec.unit),
            valid_from=INITIAL_VALID_FROM,
            basis=str(spec.basis),
            description=str(spec.description),
        )
        created += 1
    return created


# --- the working-day calendar ---------------------------------------------------------------


def _validate_day(*, day: datetime.date, kind: str, name: str, exclude_pk: int | None) -> None:
    if kind not in CalendarDay.Kind.values:
        raise ValidationError({"kind": _("请选择“节假日”或“调休上班日”。")})
    if not name.strip():
        raise ValidationError({"name": _("请填写名称，例如“春节”。")})
    if kind == CalendarDay.Kind.MAKEUP_WORKDAY and day.weekday() < 5:
        raise ValidationError(
            {
                "date": _("%(date)s 是周一至周五，本来就是工作日，无需登记为调休上班日。")
                % {"date": f"{day:%Y-%m-%d}"}
            }
        )
    others = CalendarDay.objects.filter(date=day)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    clash = others.first()
    if clash is not None:
        raise ValidationError(
            {
                "date": _("%(date)s 已登记为“%(name)s”（%(kind)s），请修改那一条。")
                % {
                    "date": f"{day:%Y-%m-%d}",
                    "name": clash.name,
                    "kind": clash.get_kind_display(),
                }
            }
        )


@attributed_service
@transaction.atomic
def calendardays_add(
    *,
    actor: Any,
    first: datetime.date,
    last: datetime.date | None = None,
    kind: str,
    name: str,
) -> list[CalendarDay]:
    """Enter ``first``..``last`` (one day if no ``last``) as holidays or make-up workdays.

    All or nothing: if one day cannot be entered, none is.
    """
    _require_manage(actor)
    last = last or first
    if last < first:
        raise ValidationError({"last": _("结束日期不能早于开始日期。")})
    if (last - first).days >= MAX_RANGE_DAYS:
        raise ValidationError(
            {"last": _("一次最多登记 %(days)s 天，请分段录入。") % {"days": MAX_RANGE_DAYS}}
        )
    days = []
    day = first
    while day <= last:
        _validate_day(day=day, kind=kind, name=name, exclude_pk=None)
        days.append(
            CalendarDay.objects.create(
                date=day, kind=kind, name=name.strip(), source=CalendarDay.Source.ADMIN
            )
        )
        day += datetime.timedelta(days=1)
    return days


@attributed_service
@transaction.atomic
def calendarday_update(
    *, actor: Any, day: CalendarDay, date: datetime.date, kind: str, name: str
) -> CalendarDay:
    """Correct one calendar entry; it then counts as entered by an administrator."""
    _require_manage(actor)
    _validate_day(day=date, kind=kind, name=name, exclude_pk=day.pk)
    day.date = date
    day.kind = kind
    day.name = name.strip()
    day.source = CalendarDay.Source.ADMIN
    day.save()
    return day


@attributed_service
@transaction.atomic
def calendarday_delete(*, actor: Any, day: CalendarDay) -> None:
    """Remove one calendar entry (the day then follows the Monday-to-Friday rule)."""
    _require_manage(actor)
    day.delete()


@transaction.atomic
def calendar_seed_from_package(*, since: int | None = None) -> int:
    """Enter every year chinese-calendar knows (from ``since`` on) that has no entry yet.

    A year counts as entered as soon as it has one row, so an administrator's corrections and
    deletions are never undone by a later seed, and a newer package fills only new years.
    """
    import chinese_calendar

    entered_years = {day.year for day in CalendarDay.objects.dates("date", "year")}
    created = 0
    for kind, table in (
        (CalendarDay.Kind.HOLIDAY, chinese_calendar.holidays),
        (CalendarDay.Kind.MAKEUP_WORKDAY, chinese_calendar.workdays),
    ):
        for day, english_name in sorted(table.items()):
            if day.year in entered_years or (since is not None and day.year < since):
                continue
            CalendarDay.objects.create(
                date=day,
                kind=kind,
                name=PACKAGE_HOLIDAY_NAMES.get(english_name, english_name),
                source=CalendarDay.Source.PACKAGE,
            )
            created += 1
    return created
