"""Fifty approvers and fifty cashiers at once against a budget that funds ten: exactly ten win,
the others hear "余额不足", and the ledger adds up to the cent (PostgreSQL row locks)."""

from decimal import Decimal

import pytest
from django.db import connection

from tests.assistance.conftest import Path, Relief, file, single_mother, to_district
from tests.concurrency import each_at_once
from tests.conftest import Tree
from tests.core.audit_tamper import postgres_only_reason
from warmhome.accounts.models import User
from warmhome.assistance import selectors, services_fund
from warmhome.assistance.models import FundBudget, LedgerEntry, ReliefApplication
from warmhome.people.services import household_member_add

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason=postgres_only_reason,
    ),
    pytest.mark.django_db(transaction=True),
]

CONCURRENT = 50
FUNDED = 10
AMOUNT = Decimal("1000.10")


def _small_budget(relief: Relief, path: Path, tree: Tree) -> FundBudget:
    """Street A's share: exactly ten applications' worth."""
    return services_fund.budget_transfer(
        actor=path.district,
        source=relief.budget,
        target_org=tree.street_a,
        amount=AMOUNT * FUNDED,
        decision_ref="历妇发〔2026〕9号",
    )


def _applications(relief: Relief, path: Path, tree: Tree) -> list[int]:
    pks = []
    for _number in range(CONCURRENT):
        applicant = single_mother(tree.community_a1)
        application = file(relief, path.community, str(AMOUNT), person=applicant, household=None)
        pks.append(to_district(application, path).pk)
    return pks


def _assert_reconciled(budget: FundBudget) -> None:
    budget.refresh_from_db()
    check = selectors.budget_reconciliation(budget)
    assert check.balanced
    assert budget.amount - budget.committed - budget.paid >= 0


def _approve_all_at_once(pks: list[int], path: Path, amount: object) -> tuple[int, list[str]]:
    district_pk = path.district.pk

    def approve(pk: int):
        return lambda: services_fund.application_approve(
            actor=User.objects.get(pk=district_pk),
            application=ReliefApplication.objects.get(pk=pk),
            amount_approved=amount,
            meeting_ref="会议1号",
            attendees="主席",
            decision="同意",
        )

    results, refusals = each_at_once([approve(pk) for pk in pks])
    return len(results), refusals


def test_fifty_concurrent_approvals_against_ten_fundable_approve_exactly_ten(
    relief: Relief, path: Path, tree: Tree
):
    budget = _small_budget(relief, path, tree)
    pks = _applications(relief, path, tree)

    wins, refusals = _approve_all_at_once(pks, path, AMOUNT)

    assert wins == FUNDED
    assert len(refusals) == CONCURRENT - FUNDED
    assert all("余额不足" in message for message in refusals)
    assert ReliefApplication.objects.filter(state="approved").count() == FUNDED
    assert ReliefApplication.objects.filter(state="district").count() == CONCURRENT - FUNDED
    budget.refresh_from_db()
    assert budget.committed == AMOUNT * FUNDED
    assert budget.available == Decimal("0.00")
    assert LedgerEntry.objects.filter(budget=budget, kind="commit").count() == FUNDED
    _assert_reconciled(budget)


def test_fifty_concurrent_urgent_payments_against_ten_fundable_pay_exactly_ten(
    relief: Relief, path: Path, tree: Tree
):
    budget = _small_budget(relief, path, tree)
    pks = []
    for _number in range(CONCURRENT):
        applicant = single_mother(tree.community_a1)
        application = file(
            relief, path.community, str(AMOUNT), person=applicant, household=None, is_urgent=True
        )
        pks.append(application.pk)
    finance_pk = path.finance.pk

    def pay(number: int, pk: int):
        return lambda: services_fund.application_urgent_pay(
            actor=User.objects.get(pk=finance_pk),
            application=ReliefApplication.objects.get(pk=pk),
            amount=AMOUNT,
            method="cash",
            voucher_number=f"XJ-{number:03d}",
        )

    paid, refusals = each_at_once([pay(number, pk) for number, pk in enumerate(pks)])
    wins = len(paid)

    assert wins == FUNDED
    assert all("余额不足" in message for message in refusals)
    assert len(refusals) == CONCURRENT - FUNDED
    budget.refresh_from_db()
    assert budget.paid == Decimal("10001.00")
    assert budget.available == Decimal("0.00")
    _assert_reconciled(budget)


def _funds_for(relief: Relief, path: Path, count: int) -> list:
    """``count`` more funds, each with a budget of its own: approvals on them take different
    budget locks, so only the recipient's lock keeps the yearly limits."""
    funds = []
    for number in range(count):
        fund = services_fund.fund_create(
            actor=path.district, org=relief.fund.org, name=f"专项救助金{number}"
        )
        services_fund.budget_grant(
            actor=path.district,
            fund=fund,
            year=relief.year,
            amount="100000.00",
            decision_ref=f"历妇发〔2026〕{20 + number}号",
        )
        funds.append(fund)
    return funds


def test_concurrent_approvals_on_different_funds_keep_one_persons_yearly_limit(
    relief: Relief, path: Path, tree: Tree
):
    # 8,000 yuan a year per person: of six approvals of 5,000 on six funds, one fits.
    pks = [
        to_district(file(relief, path.community, "5000.00", fund=fund, household=None), path).pk
        for fund in _funds_for(relief, path, 6)
    ]

    wins, refusals = _approve_all_at_once(pks, path, "5000.00")

    assert wins == 1
    assert len(refusals) == 5
    assert all("超过个人年度救助上限" in message for message in refusals)
    assert selectors.relief_received(
        person=relief.person, household=None, year=relief.year
    ).person_total == Decimal("5000.00")


def test_concurrent_approvals_for_household_members_keep_the_households_yearly_limit(
    relief: Relief, path: Path, tree: Tree
):
    # 12,000 yuan a year per household: of six members' approvals of 5,000, two fit.
    members = [relief.person]
    for _number in range(5):
        member = single_mother(tree.community_a1)
        household_member_add(
            actor=path.community, household=relief.household, person=member, relationship="child"
        )
        members.append(member)
    funds = _funds_for(relief, path, 6)
    pks = [
        to_district(file(relief, path.community, "5000.00", fund=fund, person=member), path).pk
        for fund, member in zip(funds, members, strict=True)
    ]

    wins, refusals = _approve_all_at_once(pks, path, "5000.00")

    assert wins == 2
    assert len(refusals) == 4
    assert all("超过家庭年度救助上限" in message for message in refusals)
    assert selectors.relief_received(
        person=relief.person, household=relief.household, year=relief.year
    ).household_total == Decimal("10000.00")
