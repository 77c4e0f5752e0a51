"""Writes of assistance plans and follow-ups. The relief fund's writes are in
``services_fund``; household levels in ``services_levels``."""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from warmhome.assistance.models import AssistancePlan, FollowUp, FollowUpKind, HelpKind
from warmhome.assistance.money import positive_money
from warmhome.assistance.selectors import current_level_code, level_interval_days
from warmhome.core.audit.services import attributed_service
from warmhome.core.deadlines import add_days
from warmhome.people.models import Household, HouseholdMember


def _require(actor: Any, action: str, org: Any) -> None:
    if actor is not None and not actor.has_action(action, org):
        raise PermissionDenied(_("您没有在该组织执行此操作的权限。"))


def _household_of(person: Any) -> Household | None:
    membership = HouseholdMember.objects.filter(person=person).select_related("household").first()
    return membership.household if membership is not None else None


def next_followup(plan_household: Household | None, start: datetime.date) -> datetime.date:
    """The latest day of the next follow-up: the household level's interval, or the default."""
    code = current_level_code(plan_household) if plan_household is not None else None
    return add_days(start, level_interval_days(code), "working")


@attributed_service
@transaction.atomic
def plan_open(
    *,
    actor: Any,
    person: Any,
    category: Any,
    helper: Any,
    needs: str,
    opened_on: datetime.date | None = None,
) -> AssistancePlan:
    """Open an assistance plan for a person registered in a vulnerable category."""
    _require(actor, "assistance.change", person.org)
    errors: dict[str, list[str]] = {}
    if not person.categories.filter(pk=category.pk).exists():
        errors["category"] = [
            _("此人未登记为“%(category)s”，请先在人员信息库中登记类别。")
            % {"category": category.name}
        ]
    if not needs.strip():
        errors["needs"] = [_("请填写帮扶需求。")]
    if not helper.has_action("assistance.change", person.org):
        errors["helper"] = [_("帮扶责任人须在该人员所属组织有维护帮扶计划的权限。")]
    if errors:
        raise ValidationError(errors)
    day = opened_on or timezone.localdate()
    household = _household_of(person)
    try:
        with transaction.atomic():
            return AssistancePlan.objects.create(
                org=person.org,
                person=person,
                household=household,
                category=category,
                helper=helper,
                needs=needs.strip(),
                opened_on=day,
                next_followup_on=next_followup(household, day),
            )
    except IntegrityError:
        raise ValidationError(_("此人在该类别下已有未结案的帮扶计划。")) from None


def _help_amount(help_kind: str, value: Any, errors: dict[str, list[str]]) -> Decimal | None:
    amount = None
    if value not in (None, ""):
        try:
            amount = positive_money(value)
        except ValidationError as problem:
            errors["help_amount"] = problem.messages
    if help_kind == HelpKind.MONEY and amount is None and "help_amount" not in errors:
        errors["help_amount"] = [_("提供资金帮助时请填写金额。")]
    return amount


@attributed_service
@transaction.atomic
def followup_record(
    *,
    actor: Any,
    plan: AssistancePlan,
    happened_on: datetime.date,
    kind: str,
    findings: str,
    help_kind: str = HelpKind.NONE,
    help_amount: Any = None,
    help_detail: str = "",
    next_on: datetime.date | None = None,
) -> FollowUp:
    """Record a visit or call and set the next follow-up date (working days by default)."""
    _require(actor, "assistance.change", plan.org)
    if not plan.is_open:
        raise ValidationError(_("该帮扶计划已结案。"))
    errors: dict[str, list[str]] = {}
    amount = _help_amount(help_kind, help_amount, errors)
    if kind not in FollowUpKind.values:
        errors["kind"] = [_("请选择回访方式。")]
    if help_kind not in HelpKind.values:
        errors["help_kind"] = [_("请选择提供的帮助。")]
    if not findings.strip():
        errors["findings"] = [_("请填写了解到的情况。")]
    if happened_on > timezone.localdate():
        errors["happened_on"] = [_("回访日期不能晚于今天。")]
    latest = next_followup(plan.household, happened_on)
    if next_on is not None and next_on > latest:
        errors["next_on"] = [
            _("下次回访不能晚于 %(date)s（按回访间隔计算）。") % {"date": latest.isoformat()}
        ]
    if errors:
        raise ValidationError(errors)
    followup = FollowUp.objects.create(
        plan=plan,
        happened_on=happened_on,
        kind=kind,
        findings=findings.strip(),
        help_kind=help_kind,
        help_amount=amount,
        help_detail=help_detail.strip()[:200],
        by=actor,
    )
    plan.next_followup_on = next_on or latest
    plan.save(update_fields=["next_followup_on", "updated_at"])
    return followup


@attributed_service
@transaction.atomic
def plan_close(*, actor: Any, plan: AssistancePlan, reason: str) -> AssistancePlan:
    """Close a plan with the reason (need met, moved away, …)."""
    _require(actor, "assistance.change", plan.org)
    if not plan.is_open:
        raise ValidationError(_("该帮扶计划已结案。"))
    if not reason.strip():
        raise ValidationError({"reason": [_("请填写结案原因。")]})
    plan.closed_on = timezone.localdate()
    plan.closure_reason = reason.strip()[:200]
    plan.next_followup_on = None
    plan.save(update_fields=["closed_on", "closure_reason", "next_followup_on", "updated_at"])
    return plan
