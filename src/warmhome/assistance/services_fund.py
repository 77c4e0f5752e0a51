"""Writes of the relief fund: budgets, applications and every movement of money.

Every movement locks its ``FundBudget`` row first (``select_for_update``), then the recipient's
person and household rows for the yearly limits, checks the available balance against what is
stored, writes one ``LedgerEntry`` and the new totals, and takes the application's workflow
transition — all in one transaction, so that an interruption anywhere
leaves nothing behind and concurrent approvals cannot overspend (docs/benchmarks.md,
tests/assistance/test_fund_concurrency.py).
"""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from warmhome.assistance import selectors
from warmhome.assistance.models import (
    Disbursement,
    FundBudget,
    LedgerEntry,
    LedgerKind,
    PaymentMethod,
    ReliefApplication,
    ReliefFund,
)
from warmhome.assistance.money import ZERO, money, positive_money, yuan
from warmhome.core.audit.services import attributed_service
from warmhome.core.workflows.services import transition_apply, workflow_initial
from warmhome.orgs.models import OrgUnit
from warmhome.people.models import Household, HouseholdMember, Person
from warmhome.rules.selectors import policy_value


def _require(actor: Any, action: str, org: Any) -> None:
    # ``actor=None`` is the system itself (demo loader, maintenance commands).
    if actor is not None and not actor.has_action(action, org):
        raise PermissionDenied(_("您没有在该组织执行此操作的权限。"))


def _policy_yuan(key: str) -> Decimal:
    # Policy values are JSON integers (whole yuan): exact in Decimal.
    return money(int(policy_value(key)))


# --- budgets -----------------------------------------------------------------------------------


@attributed_service
@transaction.atomic
def fund_create(*, actor: Any, org: OrgUnit, name: str, rules_reference: str = "") -> ReliefFund:
    """Open a relief fund held by ``org`` (the district federation)."""
    _require(actor, "assistance.manage_fund", org)
    name = name.strip()
    if not name:
        raise ValidationError({"name": [_("请填写资金名称。")]})
    if ReliefFund.objects.filter(org=org, name=name).exists():
        raise ValidationError({"name": [_("该组织已有同名的救助资金。")]})
    return ReliefFund.objects.create(org=org, name=name, rules_reference=rules_reference.strip())


def _move(
    *,
    budget: FundBudget,
    kind: str,
    org: Any,
    actor: Any,
    amount: Decimal = ZERO,
    committed: Decimal = ZERO,
    paid: Decimal = ZERO,
    application: ReliefApplication | None = None,
    decision_ref: str = "",
    note: str = "",
) -> LedgerEntry:
    """Apply one movement to a budget row the caller has locked, and write its ledger entry."""
    new_amount = budget.amount + amount
    new_committed = budget.committed + committed
    new_paid = budget.paid + paid
    if new_committed < ZERO or new_paid < ZERO:
        raise ValidationError(_("台账金额不能为负数。"))
    if new_amount - new_committed - new_paid < ZERO:
        raise ValidationError(
            _("余额不足：%(budget)s 可用 %(available)s 元，本次需要 %(needed)s 元。")
            % {
                "budget": budget,
                "available": yuan(budget.available),
                "needed": yuan(committed + paid - amount),
            }
        )
    budget.amount, budget.committed, budget.paid = new_amount, new_committed, new_paid
    budget.save(update_fields=["amount", "committed", "paid", "updated_at"])
    return LedgerEntry.objects.create(
        org=org,
        budget=budget,
        kind=kind,
        amount_delta=amount,
        committed_delta=committed,
        paid_delta=paid,
        application=application,
        decision_ref=decision_ref[:100],
        note=note[:200],
        actor=actor,
    )


def _locked(budget_pk: int) -> FundBudget:
    return (
        FundBudget.objects.select_for_update(of=("self",))
        .select_related("org", "fund")
        .get(pk=budget_pk)
    )


def _budget_at(fund: ReliefFund, year: int, org: OrgUnit) -> FundBudget:
    budget, _created = FundBudget.objects.get_or_create(fund=fund, year=year, org=org)
    return budget


@attributed_service
@transaction.atomic
def budget_grant(
    *,
    actor: Any,
    fund: ReliefFund,
    year: int,
    amount: Any,
    decision_ref: str,
    note: str = "",
) -> FundBudget:
    """Set up (or add to) the fund's yearly budget at the fund's organisation, as decided."""
    _require(actor, "assistance.manage_fund", fund.org)
    value = positive_money(amount)
    if not decision_ref.strip():
        raise ValidationError({"decision_ref": [_("请填写预算决定的文号或会议纪要。")]})
    budget = _locked(_budget_at(fund, year, fund.org).pk)
    kind = LedgerKind.GRANT if not budget.entries.exists() else LedgerKind.TOP_UP
    _move(
        budget=budget,
        kind=kind,
        org=budget.org,
        actor=actor,
        amount=value,
        decision_ref=decision_ref.strip(),
        note=note,
    )
    return budget


@attributed_service
@transaction.atomic
def budget_top_up(
    *, actor: Any, budget: FundBudget, amount: Any, decision_ref: str, note: str = ""
) -> FundBudget:
    """Add money to a budget by a recorded decision (追加)."""
    _require(actor, "assistance.manage_fund", budget.fund.org)
    value = positive_money(amount)
    if not decision_ref.strip():
        raise ValidationError({"decision_ref": [_("请填写追加决定的文号或会议纪要。")]})
    locked = _locked(budget.pk)
    _move(
        budget=locked,
        kind=LedgerKind.TOP_UP,
        org=locked.org,
        actor=actor,
        amount=value,
        decision_ref=decision_ref.strip(),
        note=note,
    )
    return locked


@attributed_service
@transaction.atomic
def budget_transfer(
    *,
    actor: Any,
    source: FundBudget,
    target_org: OrgUnit,
    amount: Any,
    decision_ref: str,
    note: str = "",
) -> FundBudget:
    """Move available money from one budget to another organisation's share of the same year
    (allocation to a street, or back), by a recorded decision; returns the target budget."""
    _require(actor, "assistance.manage_fund", source.fund.org)
    value = positive_money(amount)
    if not decision_ref.strip():
        raise ValidationError({"decision_ref": [_("请填写调剂决定的文号或会议纪要。")]})
    if not target_org.path.startswith(source.fund.org.path):
        raise ValidationError(_("只能在本资金所属组织范围内调剂。"))
    if target_org.pk == source.org_id:
        raise ValidationError(_("调出和调入不能是同一预算。"))
    target = _budget_at(source.fund, source.year, target_org)
    # Lock both rows in key order, so that two opposite transfers cannot deadlock.
    first, second = sorted([source.pk, target.pk])
    locked = {first: _locked(first), second: _locked(second)}
    source_locked, target_locked = locked[source.pk], locked[target.pk]
    ref = decision_ref.strip()
    _move(
        budget=source_locked,
        kind=LedgerKind.TRANSFER_OUT,
        org=source_locked.org,
        actor=actor,
        amount=-value,
        decision_ref=ref,
        note=note or _("调往 %(org)s") % {"org": target_org.name},
    )
    _move(
        budget=target_locked,
        kind=LedgerKind.TRANSFER_IN,
        org=target_locked.org,
        actor=actor,
        amount=value,
        decision_ref=ref,
        note=note or _("由 %(org)s 调入") % {"org": source_locked.org.name},
    )
    return target_locked


def budget_for(application: ReliefApplication) -> FundBudget:
    """The budget an application draws on: its street's share if one was allocated for the
    year, else the fund's pool. Refused when the year has no budget at all."""
    path = application.org.path
    candidates = [
        budget
        for budget in FundBudget.objects.filter(
            fund=application.fund_id, year=application.year
        ).select_related("org")
        if path.startswith(budget.org.path)
    ]
    if not candidates:
        raise ValidationError(
            _("%(year)s 年度尚未下达“%(fund)s”的预算，余额不足。")
            % {"year": application.year, "fund": application.fund}
        )
    return max(candidates, key=lambda budget: len(budget.org.path))


# --- applications ------------------------------------------------------------------------------


def _lock_recipients(person: Any, household: Any) -> None:
    """Lock the person, her household's members (in key order, so two checks never wait on each
    other crosswise) and the household: two approvals for one recipient that draw on different
    budgets hold different budget locks and would otherwise both pass the yearly limit."""
    person_pks = {person.pk}
    if household is not None:
        person_pks.update(
            HouseholdMember.objects.filter(household=household).values_list("person_id", flat=True)
        )
    list(
        Person.objects.select_for_update()
        .filter(pk__in=person_pks)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if household is not None:
        list(Household.objects.select_for_update().filter(pk=household.pk).values_list("pk"))


def _check_limits(
    *, application_pk: int | None, person: Any, household: Any, year: int, amount: Decimal
) -> None:
    """Refuse ``amount`` beyond the per-application, per-person and per-household limits."""
    _lock_recipients(person, household)
    per_application = _policy_yuan("relief.max_per_application")
    if amount > per_application:
        raise ValidationError(
            _("超过单次救助上限：本次 %(amount)s 元，上限 %(limit)s 元。")
            % {"amount": yuan(amount), "limit": yuan(per_application)}
        )
    received = selectors.relief_received(
        person=person, household=household, year=year, exclude_pk=application_pk
    )
    person_limit = _policy_yuan("relief.max_per_person_year")
    if received.person_total + amount > person_limit:
        raise ValidationError(
            _(
                "超过个人年度救助上限：%(year)s 年已获救助 %(received)s 元，本次 %(amount)s 元，"
                "合计超过上限 %(limit)s 元。"
            )
            % {
                "year": year,
                "received": yuan(received.person_total),
                "amount": yuan(amount),
                "limit": yuan(person_limit),
            }
        )
    if household is not None:
        household_limit = _policy_yuan("relief.max_per_household_year")
        if received.household_total + amount > household_limit:
            raise ValidationError(
                _(
                    "超过家庭年度救助上限：%(year)s 年该户已获救助 %(received)s 元，"
                    "本次 %(amount)s 元，合计超过上限 %(limit)s 元。"
                )
                % {
                    "year": year,
                    "received": yuan(received.household_total),
                    "amount": yuan(amount),
                    "limit": yuan(household_limit),
                }
            )


@attributed_service
@transaction.atomic
def application_file(
    *,
    actor: Any,
    fund: ReliefFund,
    person: Any,
    hardship: str,
    description: str,
    amount_requested: Any,
    household: Any = None,
    category: Any = None,
    is_urgent: bool = False,
    today: datetime.date | None = None,
) -> ReliefApplication:
    """File one matter for one person (一事一议); refused with the reason beyond any limit."""
    _require(actor, "assistance.apply", person.org)
    amount = positive_money(amount_requested)
    errors: dict[str, list[str]] = {}
    if hardship not in selectors.eligible_hardships():
        errors["hardship"] = [_("该困难类型不在救助金的救助范围内。")]
    if not description.strip():
        errors["description"] = [_("请填写困难情况。")]
    if household is not None and not household.members.filter(person=person).exists():
        errors["household"] = [_("救助对象不是该家庭户的成员。")]
    if not fund.is_active:
        errors["fund"] = [_("该救助资金已停用。")]
    if errors:
        raise ValidationError(errors)
    day = today or timezone.localdate()
    if is_urgent and amount > _policy_yuan("relief.urgent_max"):
        raise ValidationError(
            {
                "amount_requested": [
                    _("救急解难先行发放不能超过 %(limit)s 元，请按一般程序申请。")
                    % {"limit": yuan(_policy_yuan("relief.urgent_max"))}
                ]
            }
        )
    _check_limits(
        application_pk=None, person=person, household=household, year=day.year, amount=amount
    )
    application = ReliefApplication.objects.create(
        org=person.org,
        fund=fund,
        year=day.year,
        person=person,
        household=household,
        hardship=hardship,
        category=category,
        description=description.strip(),
        amount_requested=amount,
        is_urgent=is_urgent,
        proposer=actor,
        **workflow_initial(ReliefApplication, today=day),
    )
    if household is not None:
        from warmhome.assistance.levels import RELIEF
        from warmhome.assistance.models import Level
        from warmhome.assistance.services_levels import household_level_raise

        household_level_raise(
            household=household,
            level=Level.YELLOW,
            source=RELIEF,
            reference=str(application.pk),
            reason=_("%(application)s：%(hardship)s")
            % {"application": application, "hardship": application.get_hardship_display()},
        )
    return application


@attributed_service
@transaction.atomic
def application_transition(
    *,
    actor: Any,
    application: ReliefApplication,
    transition: str,
    comment: str = "",
    fields: dict[str, Any] | None = None,
    expected_version: int | None = None,
) -> ReliefApplication:
    """Take a step that moves no money (submit, forward, reject, ratify, refuse)."""
    from warmhome.assistance.workflow import MONEY_TRANSITIONS

    if transition in MONEY_TRANSITIONS:
        raise ValueError(f"{transition!r} moves money: use its own service.")
    transition_apply(
        actor=actor,
        record=application,
        transition=transition,
        comment=comment,
        fields=fields,
        expected_version=expected_version,
    )
    return application


@attributed_service
@transaction.atomic
def application_approve(
    *,
    actor: Any,
    application: ReliefApplication,
    amount_approved: Any,
    comment: str = "",
    meeting_ref: str = "",
    attendees: str = "",
    decision: str = "",
    expected_version: int | None = None,
) -> ReliefApplication:
    """Approve an application at the street (small amounts) or the district meeting, and commit
    the amount in the budget; "余额不足" when the budget cannot carry it."""
    amount = positive_money(amount_approved)
    transition = "street_approve" if application.state == "street" else "district_approve"
    if amount > application.amount_requested:
        raise ValidationError(_("批准金额不能超过申请金额。"))
    if transition == "street_approve" and amount > _policy_yuan("relief.street_decides_up_to"):
        raise ValidationError(
            _("超过街道可直接批准的金额（%(limit)s 元），请报区妇联研究决定。")
            % {"limit": yuan(_policy_yuan("relief.street_decides_up_to"))}
        )
    budget = _locked(budget_for(application).pk)
    fields: dict[str, Any] = {"amount_approved": amount}
    if transition == "district_approve":
        fields.update(meeting_ref=meeting_ref, attendees=attendees, decision=decision)
    transition_apply(
        actor=actor,
        record=application,
        transition=transition,
        comment=comment,
        fields=fields,
        expected_version=expected_version,
    )
    _check_limits(
        application_pk=application.pk,
        person=application.person,
        household=application.household,
        year=application.year,
        amount=amount,
    )
    _move(
        budget=budget,
        kind=LedgerKind.COMMIT,
        org=application.org,
        actor=actor,
        committed=amount,
        application=application,
        decision_ref=meeting_ref,
    )
    application.amount_approved = amount
    application.budget = budget
    application.save(update_fields=["amount_approved", "budget", "updated_at"])
    return application


def _payment_fields(method: str, voucher_number: str, amount: Decimal) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    if method not in PaymentMethod.values:
        errors["method"] = [_("请选择发放方式。")]
    if not voucher_number.strip():
        errors["voucher_number"] = [_("请填写凭证号。")]
    if errors:
        raise ValidationError(errors)
    return {"method": method, "voucher_number": voucher_number.strip(), "amount_approved": amount}


def _record_disbursement(
    *,
    actor: Any,
    application: ReliefApplication,
    amount: Decimal,
    method: str,
    voucher_number: str,
    paid_on: datetime.date,
    recipient_confirmed: bool,
    confirmation_note: str,
) -> Disbursement:
    return Disbursement.objects.create(
        application=application,
        amount=amount,
        method=method,
        voucher_number=voucher_number.strip(),
        paid_by=actor,
        paid_on=paid_on,
        recipient_confirmed=recipient_confirmed,
        confirmation_note=confirmation_note.strip()[:200],
    )


@attributed_service
@transaction.atomic
def application_disburse(
    *,
    actor: Any,
    application: ReliefApplication,
    method: str,
    voucher_number: str,
    paid_on: datetime.date | None = None,
    recipient_confirmed: bool = False,
    confirmation_note: str = "",
    expected_version: int | None = None,
) -> Disbursement:
    """Pay an approved application: its commitment becomes payment, with the voucher."""
    if application.budget_id is None or application.amount_approved is None:
        raise ValidationError(_("该申请尚未批准，不能发放。"))
    amount = application.amount_approved
    budget = _locked(application.budget_id)
    transition_apply(
        actor=actor,
        record=application,
        transition="disburse",
        fields=_payment_fields(method, voucher_number, amount),
        expected_version=expected_version,
    )
    _move(
        budget=budget,
        kind=LedgerKind.PAY,
        org=application.org,
        actor=actor,
        committed=-amount,
        paid=amount,
        application=application,
        note=voucher_number,
    )
    return _record_disbursement(
        actor=actor,
        application=application,
        amount=amount,
        method=method,
        voucher_number=voucher_number,
        paid_on=paid_on or timezone.localdate(),
        recipient_confirmed=recipient_confirmed,
        confirmation_note=confirmation_note,
    )


@attributed_service
@transaction.atomic
def application_urgent_pay(
    *,
    actor: Any,
    application: ReliefApplication,
    amount: Any,
    method: str,
    voucher_number: str,
    paid_on: datetime.date | None = None,
    recipient_confirmed: bool = False,
    confirmation_note: str = "",
    comment: str = "",
    expected_version: int | None = None,
) -> Disbursement:
    """Pay an urgent application first (救急解难), within the urgent cap; ratified afterwards."""
    value = positive_money(amount)
    if not application.is_urgent:
        raise ValidationError(_("该申请不是救急解难申请，请按一般程序审批。"))
    urgent_max = _policy_yuan("relief.urgent_max")
    if value > urgent_max:
        raise ValidationError(
            _("救急先行发放不能超过 %(limit)s 元。") % {"limit": yuan(urgent_max)}
        )
    if value > application.amount_requested:
        raise ValidationError(_("发放金额不能超过申请金额。"))
    budget = _locked(budget_for(application).pk)
    transition_apply(
        actor=actor,
        record=application,
        transition="urgent_pay",
        comment=comment,
        fields=_payment_fields(method, voucher_number, value),
        expected_version=expected_version,
    )
    _check_limits(
        application_pk=application.pk,
        person=application.person,
        household=application.household,
        year=application.year,
        amount=value,
    )
    _move(
        budget=budget,
        kind=LedgerKind.URGENT_PAY,
        org=application.org,
        actor=actor,
        paid=value,
        application=application,
        note=voucher_number,
    )
    application.amount_approved = value
    application.budget = budget
    application.save(update_fields=["amount_approved", "budget", "updated_at"])
    return _record_disbursement(
        actor=actor,
        application=application,
        amount=value,
        method=method,
        voucher_number=voucher_number,
        paid_on=paid_on or timezone.localdate(),
        recipient_confirmed=recipient_confirmed,
        confirmation_note=confirmation_note,
    )


@attributed_service
@transaction.atomic
def application_cancel(
    *,
    actor: Any,
    application: ReliefApplication,
    reason: str,
    expected_version: int | None = None,
) -> ReliefApplication:
    """Cancel an approved, unpaid application and release its commitment."""
    if application.budget_id is None or application.amount_approved is None:
        raise ValidationError(_("该申请尚未批准，不能取消。"))
    budget = _locked(application.budget_id)
    transition_apply(
        actor=actor,
        record=application,
        transition="cancel",
        comment=reason,
        expected_version=expected_version,
    )
    _move(
        budget=budget,
        kind=LedgerKind.RELEASE,
        org=application.org,
        actor=actor,
        committed=-application.amount_approved,
        application=application,
        note=reason,
    )
    return application


@attributed_service
@transaction.atomic
def application_return(
    *,
    actor: Any,
    application: ReliefApplication,
    reason: str,
    expected_version: int | None = None,
) -> ReliefApplication:
    """Record that the money paid came back (a refused ratification, a mistake): it is
    available again."""
    disbursement = Disbursement.objects.filter(application=application).first()
    if application.budget_id is None or disbursement is None:
        raise ValidationError(_("该申请没有发放记录，不能退回。"))
    budget = _locked(application.budget_id)
    transition_apply(
        actor=actor,
        record=application,
        transition="return_funds",
        comment=reason,
        expected_version=expected_version,
    )
    returned = disbursement.amount - disbursement.returned_amount
    _move(
        budget=budget,
        kind=LedgerKind.RETURN,
        org=application.org,
        actor=actor,
        paid=-returned,
        application=application,
        note=reason,
    )
    disbursement.returned_amount = disbursement.amount
    disbursement.save(update_fields=["returned_amount", "updated_at"])
    return application
