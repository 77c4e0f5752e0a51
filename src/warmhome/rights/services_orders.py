"""The lifecycle of a personal-safety protection order (人身安全保护令), Anti-DV Law art. 23–32.

application → accepted (ruling due 72 h later, 24 h if urgent) → issued (≤ 6 months) or refused
→ reconsideration once, within 5 days of the refusal → extension, change or revocation
requested before expiry → violations reported. Every step is one service; each checks the
state, so a double submit meets a clear refusal rather than a second step, and each adds an
event to the order's history. The numbers are policy keys (``rights.order_*``).
"""

import datetime
from collections.abc import Iterable
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from warmhome.notifications.services import notify
from warmhome.rights.models import (
    ApplicantKind,
    DvCase,
    OrderEventKind,
    OrderMeasure,
    OrderState,
    ProtectionOrder,
    ProtectionOrderEvent,
    ReportedTo,
)
from warmhome.rights.services import station_heads
from warmhome.rights.services_measures import case_for_change
from warmhome.rules.selectors import policy_value

CHANGE_KINDS = {
    "extend": gettext_lazy("延长"),
    "change": gettext_lazy("变更"),
    "revoke": gettext_lazy("撤销"),
}


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later, or the month's last day when it has no such day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has a 28th")


def order_valid_until_limit(valid_from: datetime.date) -> datetime.date:
    """The latest end of an order in force from ``valid_from`` (``rights.order_max_months``)."""
    return add_months(valid_from, int(policy_value("rights.order_max_months")))


def ruling_hours(is_urgent: bool) -> int:
    key = "rights.order_urgent_ruling_hours" if is_urgent else "rights.order_ruling_hours"
    return int(policy_value(key))


def _clean_measures(codes: Iterable[str], field: str) -> list[str]:
    codes = list(dict.fromkeys(codes))
    if not codes:
        raise ValidationError({field: [_("请至少选择一项措施。")]})
    unknown = [code for code in codes if code not in OrderMeasure.values]
    if unknown:
        raise ValidationError({field: [_("未知的措施：%(codes)s") % {"codes": "、".join(unknown)}]})
    return codes


def _locked_order(actor: Any, order: ProtectionOrder) -> ProtectionOrder:
    case_for_change(actor, order.case)
    return ProtectionOrder.objects.select_for_update().select_related("case").get(pk=order.pk)


def _expect(order: ProtectionOrder, states: tuple[str, ...], doing: str) -> None:
    if order.state not in states:
        raise ValidationError(
            _("保护令当前状态为“%(state)s”，不能%(doing)s。")
            % {"state": order.get_state_display(), "doing": doing}
        )


def _event(
    order: ProtectionOrder,
    kind: str,
    actor: Any,
    happened_on: datetime.date,
    note: str = "",
    reported_to: str = "",
    **data: Any,
) -> ProtectionOrderEvent:
    return ProtectionOrderEvent.objects.create(
        case_id=order.case_id,
        order=order,
        kind=kind,
        happened_on=happened_on,
        note=note.strip(),
        reported_to=reported_to,
        data={key: value for key, value in data.items() if value not in (None, "")},
        actor=actor,
    )


@transaction.atomic
def protection_order_apply(
    *,
    actor: Any,
    case: DvCase,
    applicant_kind: str,
    court: str,
    measures_requested: Iterable[str],
    is_urgent: bool = False,
    other_measure: str = "",
    applied_on: datetime.date | None = None,
) -> ProtectionOrder:
    """File an application (by the victim, or on her behalf by the federation …); one
    application awaiting the court per case."""
    case = case_for_change(actor, case)
    if applicant_kind not in ApplicantKind.values:
        raise ValidationError({"applicant_kind": [_("请选择申请人。")]})
    court = court.strip()
    if not court:
        raise ValidationError({"court": [_("请填写受理法院。")]})
    measures = _clean_measures(measures_requested, "measures_requested")
    other_measure = other_measure.strip()
    if OrderMeasure.OTHER in measures and not other_measure:
        raise ValidationError({"other_measure": [_("选择了“其他措施”，请写明内容。")]})
    day = applied_on or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError({"applied_on": [_("日期不能晚于今天。")]})
    if ProtectionOrder.objects.filter(case=case).pending().exists():
        raise ValidationError(_("该个案已有尚未裁定的保护令申请，请勿重复提交。"))
    order = ProtectionOrder.objects.create(
        case=case,
        applicant_kind=applicant_kind,
        court=court,
        is_urgent=is_urgent,
        measures_requested=measures,
        other_measure=other_measure,
        applied_on=day,
    )
    _event(order, OrderEventKind.APPLIED, actor, day, court=court, urgent=is_urgent)
    return order


@transaction.atomic
def protection_order_accept(
    *, actor: Any, order: ProtectionOrder, accepted_at: datetime.datetime | None = None
) -> ProtectionOrder:
    """The court accepted the application: the ruling is due 72 h later, 24 h if urgent."""
    order = _locked_order(actor, order)
    _expect(order, (OrderState.APPLIED,), _("登记受理"))
    moment = accepted_at or timezone.now()
    if moment > timezone.now():
        raise ValidationError({"accepted_at": [_("受理时间不能晚于现在。")]})
    if timezone.localtime(moment).date() < order.applied_on:
        raise ValidationError({"accepted_at": [_("受理时间不能早于申请日期。")]})
    order.state = OrderState.ACCEPTED
    order.accepted_at = moment
    order.ruling_due_at = moment + datetime.timedelta(hours=ruling_hours(order.is_urgent))
    order.save(update_fields=["state", "accepted_at", "ruling_due_at", "updated_at"])
    _event(
        order,
        OrderEventKind.ACCEPTED,
        actor,
        timezone.localtime(moment).date(),
        ruling_due_at=order.ruling_due_at.isoformat(),
    )
    return order


@transaction.atomic
def protection_order_issue(
    *,
    actor: Any,
    order: ProtectionOrder,
    order_number: str,
    measures_granted: Iterable[str],
    valid_from: datetime.date,
    valid_until: datetime.date,
) -> ProtectionOrder:
    """The court issued the order; its validity may not pass ``rights.order_max_months``."""
    order = _locked_order(actor, order)
    _expect(order, (OrderState.ACCEPTED, OrderState.RECONSIDERING), _("登记签发"))
    order_number = order_number.strip()
    if not order_number:
        raise ValidationError({"order_number": [_("请填写保护令文号。")]})
    measures = _clean_measures(measures_granted, "measures_granted")
    if valid_from < order.applied_on:
        raise ValidationError({"valid_from": [_("生效日期不能早于申请日期。")]})
    if valid_from > timezone.localdate():
        raise ValidationError({"valid_from": [_("日期不能晚于今天。")]})
    if valid_until < valid_from:
        raise ValidationError({"valid_until": [_("有效期至不能早于生效日期。")]})
    limit = order_valid_until_limit(valid_from)
    if valid_until > limit:
        raise ValidationError(
            {
                "valid_until": [
                    _("保护令有效期不得超过 %(months)d 个月（最晚至 %(limit)s）。")
                    % {
                        "months": int(policy_value("rights.order_max_months")),
                        "limit": limit.isoformat(),
                    }
                ]
            }
        )
    order.state = OrderState.ISSUED
    order.order_number = order_number
    order.measures_granted = measures
    order.valid_from = valid_from
    order.valid_until = valid_until
    order.ruled_on = valid_from
    order.save()
    _event(
        order,
        OrderEventKind.ISSUED,
        actor,
        valid_from,
        order_number=order_number,
        valid_until=valid_until.isoformat(),
    )
    return order


@transaction.atomic
def protection_order_refuse(
    *, actor: Any, order: ProtectionOrder, ruled_on: datetime.date, note: str = ""
) -> ProtectionOrder:
    """The court refused the application (or, after reconsideration, refused again)."""
    order = _locked_order(actor, order)
    _expect(order, (OrderState.ACCEPTED, OrderState.RECONSIDERING), _("登记驳回"))
    if ruled_on > timezone.localdate():
        raise ValidationError({"ruled_on": [_("日期不能晚于今天。")]})
    if ruled_on < order.applied_on:
        raise ValidationError({"ruled_on": [_("裁定日期不能早于申请日期。")]})
    order.state = OrderState.REFUSED
    order.ruled_on = ruled_on
    order.save(update_fields=["state", "ruled_on", "updated_at"])
    _event(order, OrderEventKind.REFUSED, actor, ruled_on, note)
    return order


@transaction.atomic
def protection_order_reconsider(
    *, actor: Any, order: ProtectionOrder, requested_on: datetime.date, note: str = ""
) -> ProtectionOrder:
    """Ask for reconsideration of a refusal: once, within ``rights.order_reconsideration_days``."""
    order = _locked_order(actor, order)
    _expect(order, (OrderState.REFUSED,), _("申请复议"))
    if order.reconsideration_on is not None:
        raise ValidationError(_("复议只能申请一次，本申请已复议过。"))
    ruled_on = cast(datetime.date, order.ruled_on)  # a refused order always has its ruling date
    days = int(policy_value("rights.order_reconsideration_days"))
    if requested_on < ruled_on or requested_on > timezone.localdate():
        raise ValidationError({"requested_on": [_("复议申请日期须在驳回之日至今天之间。")]})
    if requested_on > ruled_on + datetime.timedelta(days=days):
        raise ValidationError(
            {"requested_on": [_("已超过复议期限：须在驳回后 %(days)d 日内申请。") % {"days": days}]}
        )
    order.state = OrderState.RECONSIDERING
    order.reconsideration_on = requested_on
    order.save(update_fields=["state", "reconsideration_on", "updated_at"])
    _event(order, OrderEventKind.RECONSIDERATION, actor, requested_on, note)
    return order


@transaction.atomic
def protection_order_withdraw(
    *, actor: Any, order: ProtectionOrder, withdrawn_on: datetime.date, note: str = ""
) -> ProtectionOrder:
    """The applicant withdrew an application the court has not yet ruled on."""
    order = _locked_order(actor, order)
    _expect(order, (OrderState.APPLIED, OrderState.ACCEPTED), _("撤回申请"))
    if withdrawn_on > timezone.localdate() or withdrawn_on < order.applied_on:
        raise ValidationError({"withdrawn_on": [_("撤回日期须在申请日期至今天之间。")]})
    order.state = OrderState.WITHDRAWN
    order.save(update_fields=["state", "updated_at"])
    _event(order, OrderEventKind.WITHDRAWN, actor, withdrawn_on, note)
    return order


@transaction.atomic
def protection_order_request_change(
    *,
    actor: Any,
    order: ProtectionOrder,
    kind: str,
    requested_on: datetime.date,
    note: str = "",
) -> ProtectionOrder:
    """Ask the court to extend, change or revoke an order in force, before it expires."""
    order = _locked_order(actor, order)
    _expect(order, (OrderState.ISSUED,), _("申请延长、变更或撤销"))
    if kind not in CHANGE_KINDS:
        raise ValidationError({"kind": [_("请选择申请事项。")]})
    if order.pending_change:
        raise ValidationError(_("已有待法院决定的变更申请。"))
    # an issued order always has its validity
    if requested_on > cast(datetime.date, order.valid_until):
        raise ValidationError({"requested_on": [_("保护令已到期，须在有效期届满前申请。")]})
    if requested_on > timezone.localdate() or requested_on < (order.valid_from or requested_on):
        raise ValidationError({"requested_on": [_("申请日期须在保护令有效期内且不晚于今天。")]})
    order.pending_change = kind
    order.save(update_fields=["pending_change", "updated_at"])
    _event(order, OrderEventKind.CHANGE_REQUESTED, actor, requested_on, note, change=kind)
    return order


@transaction.atomic
def protection_order_decide_change(
    *,
    actor: Any,
    order: ProtectionOrder,
    granted: bool,
    decided_on: datetime.date,
    valid_until: datetime.date | None = None,
    measures_granted: Iterable[str] = (),
    note: str = "",
) -> ProtectionOrder:
    """Record the court's decision on a requested extension, change or revocation."""
    order = _locked_order(actor, order)
    _expect(order, (OrderState.ISSUED,), _("登记变更决定"))
    kind = order.pending_change
    if not kind:
        raise ValidationError(_("没有待决定的变更申请。"))
    if decided_on > timezone.localdate():
        raise ValidationError({"decided_on": [_("日期不能晚于今天。")]})
    if granted and kind == "extend":
        if valid_until is None or valid_until <= cast(datetime.date, order.valid_until):
            raise ValidationError({"valid_until": [_("延长后的有效期须晚于原有效期。")]})
        if valid_until > order_valid_until_limit(decided_on):
            raise ValidationError(
                {"valid_until": [_("延长后的有效期自决定之日起不得超过规定月数。")]}
            )
        order.valid_until = valid_until
    elif granted and kind == "change":
        order.measures_granted = _clean_measures(measures_granted, "measures_granted")
    elif granted and kind == "revoke":
        order.state = OrderState.REVOKED
    order.pending_change = ""
    order.save()
    _event(
        order,
        OrderEventKind.CHANGE_DECIDED,
        actor,
        decided_on,
        note,
        change=kind,
        granted=granted,
        valid_until=valid_until.isoformat() if granted and valid_until else None,
    )
    return order


@transaction.atomic
def protection_order_report_violation(
    *,
    actor: Any,
    order: ProtectionOrder,
    occurred_on: datetime.date,
    description: str,
    reported_to: str,
) -> ProtectionOrderEvent:
    """Record a violation of an order in force and to whom it was reported; the station head
    is told at once."""
    order = _locked_order(actor, order)
    _expect(order, (OrderState.ISSUED,), _("登记违反保护令"))
    description = description.strip()
    if not description:
        raise ValidationError({"description": [_("请填写违反保护令的情况。")]})
    if reported_to not in ReportedTo.values:
        raise ValidationError({"reported_to": [_("请选择已报告的机关。")]})
    valid_from, valid_until = cast(datetime.date, order.valid_from), order.valid_until
    if not valid_from <= occurred_on <= cast(datetime.date, valid_until):
        raise ValidationError({"occurred_on": [_("发生日期须在保护令有效期内。")]})
    if occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": [_("日期不能晚于今天。")]})
    event = _event(
        order, OrderEventKind.VIOLATION, actor, occurred_on, description, reported_to=reported_to
    )
    case = order.case
    heads = [head for head in station_heads(case) if actor is None or head.pk != actor.pk]
    notify(
        recipients=heads,
        subject=_("保护令被违反：%(number)s") % {"number": case.number},
        body=_("个案 %(number)s 的人身安全保护令于 %(day)s 被违反，已报告%(to)s。")
        % {
            "number": case.number,
            "day": occurred_on.isoformat(),
            "to": ReportedTo(reported_to).label,
        },
        link=reverse("rights:case_detail", args=[case.pk]),
    )
    return event
