"""The relief fund's money path: filing, approval, payment, urgent relief, limits, the ledger."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.assistance.conftest import (
    Path,
    Relief,
    approve_at_district,
    file,
    set_policy,
    single_mother,
    to_district,
    totals,
)
from tests.conftest import Tree
from warmhome.assistance import selectors, services_fund
from warmhome.assistance.models import (
    Disbursement,
    FundBudget,
    HouseholdLevel,
    LedgerEntry,
    LedgerKind,
    ReliefApplication,
)
from warmhome.assistance.money import money
from warmhome.core.workflows import TransitionNotPermittedError
from warmhome.core.workflows.selectors import timeline

pytestmark = pytest.mark.django_db


def test_the_whole_path_commits_then_pays_and_the_ledger_reconciles(relief: Relief, path: Path):
    application = file(relief, path.community)
    assert application.state == "community"
    to_district(application, path)
    approve_at_district(application, path, "2500.00")

    application.refresh_from_db()
    assert application.state == "approved"
    assert application.amount_approved == Decimal("2500.00")
    assert application.meeting_ref == "主席办公会〔2026〕3号"
    assert totals(relief.budget) == (Decimal("100000.00"), Decimal("2500.00"), Decimal("0.00"))

    services_fund.application_disburse(
        actor=path.finance,
        application=application,
        method="transfer",
        voucher_number="PZ-2026-001",
        recipient_confirmed=True,
        confirmation_note="本人签字",
    )
    application.refresh_from_db()
    assert application.state == "paid"
    assert totals(relief.budget) == (Decimal("100000.00"), Decimal("0.00"), Decimal("2500.00"))
    assert [entry.kind for entry in relief.budget.entries.order_by("pk")] == [
        LedgerKind.GRANT,
        LedgerKind.COMMIT,
        LedgerKind.PAY,
    ]
    assert selectors.budget_reconciliation(relief.budget).balanced
    steps = [str(entry.transition) for entry in timeline(application)]
    assert steps == ["社区提交", "街道审核通过，报区妇联", "区妇联研究批准", "发放"]


def test_street_approves_small_amounts_itself_but_not_large_ones(relief: Relief, path: Path):
    small = file(relief, path.community, "800.00")
    services_fund.application_transition(
        actor=path.community, application=small, transition="community_submit"
    )
    services_fund.application_approve(actor=path.street, application=small, amount_approved="800")
    assert small.state == "approved"

    large = file(relief, path.community, "1500.00")
    services_fund.application_transition(
        actor=path.community, application=large, transition="community_submit"
    )
    with pytest.raises(ValidationError, match="超过街道可直接批准的金额"):
        services_fund.application_approve(
            actor=path.street, application=large, amount_approved="1500"
        )
    large.refresh_from_db()
    assert large.state == "street"


def test_a_community_cadre_cannot_decide_at_the_district(relief: Relief, path: Path):
    application = to_district(file(relief, path.community), path)
    with pytest.raises(TransitionNotPermittedError):
        services_fund.application_approve(
            actor=path.community, application=application, amount_approved="100"
        )
    assert totals(relief.budget)[1] == Decimal("0.00")


def test_approval_beyond_the_available_balance_is_refused_as_insufficient(
    relief: Relief, path: Path, tree: Tree
):
    services_fund.budget_transfer(
        actor=path.district,
        source=relief.budget,
        target_org=tree.street_a,
        amount="1000.00",
        decision_ref="历妇发〔2026〕2号",
    )
    application = to_district(file(relief, path.community, "1200.00"), path)
    with pytest.raises(ValidationError, match="余额不足"):
        approve_at_district(application, path)
    application.refresh_from_db()
    assert application.state == "district"
    assert LedgerEntry.objects.filter(application=application).count() == 0


def test_an_application_draws_on_its_streets_allocation(relief: Relief, path: Path, tree: Tree):
    street_budget = services_fund.budget_transfer(
        actor=path.district,
        source=relief.budget,
        target_org=tree.street_a,
        amount="5000.00",
        decision_ref="历妇发〔2026〕2号",
    )
    application = approve_at_district(to_district(file(relief, path.community), path), path)
    assert application.budget == street_budget
    assert totals(street_budget) == (Decimal("5000.00"), Decimal("3000.00"), Decimal("0.00"))
    assert totals(relief.budget) == (Decimal("95000.00"), Decimal("0.00"), Decimal("0.00"))
    for budget in (street_budget, relief.budget):
        assert selectors.budget_reconciliation(budget).balanced


def test_an_application_over_the_persons_yearly_limit_is_refused_with_the_reason(
    relief: Relief, path: Path
):
    first = approve_at_district(to_district(file(relief, path.community, "5000.00"), path), path)
    assert first.state == "approved"
    with pytest.raises(ValidationError) as refused:
        file(relief, path.community, "4000.00", hardship="schooling")
    message = " ".join(refused.value.messages)
    assert "超过个人年度救助上限" in message
    assert "5,000.00" in message
    assert "8,000.00" in message
    assert ReliefApplication.objects.count() == 1


def test_the_household_limit_counts_every_member(relief: Relief, path: Path, tree: Tree):
    from warmhome.people.services import household_member_add

    daughter = single_mother(tree.community_a1)
    household_member_add(
        actor=None, household=relief.household, person=daughter, relationship="child"
    )
    for who in (relief.person, daughter):
        approve_at_district(
            to_district(file(relief, path.community, "5000.00", person=who), path), path
        )
    with pytest.raises(ValidationError, match="超过家庭年度救助上限"):
        file(relief, path.community, "2500.00", person=daughter)


def test_a_hardship_outside_the_funds_rules_is_refused(relief: Relief, path: Path):
    set_policy("relief.eligible_hardships", "illness,schooling")
    with pytest.raises(ValidationError) as refused:
        file(relief, path.community, hardship="accident")
    assert "不在救助金的救助范围内" in " ".join(refused.value.messages)


def test_urgent_relief_is_paid_first_and_ratified_afterwards(relief: Relief, path: Path):
    application = file(relief, path.community, "1500.00", is_urgent=True)
    services_fund.application_urgent_pay(
        actor=path.finance,
        application=application,
        amount="1500.00",
        method="cash",
        voucher_number="XJ-001",
        recipient_confirmed=True,
    )
    application.refresh_from_db()
    assert application.state == "urgent_paid"
    assert application.due_at is not None
    assert totals(relief.budget) == (Decimal("100000.00"), Decimal("0.00"), Decimal("1500.00"))

    services_fund.application_transition(
        actor=path.district,
        application=application,
        transition="ratify",
        fields={"meeting_ref": "主席办公会〔2026〕4号", "attendees": "主席", "decision": "追认"},
    )
    application.refresh_from_db()
    assert application.state == "paid"
    assert application.due_at is None
    assert selectors.budget_reconciliation(relief.budget).balanced


def test_urgent_relief_beyond_its_cap_is_refused(relief: Relief, path: Path):
    with pytest.raises(ValidationError, match="救急解难先行发放不能超过"):
        file(relief, path.community, "2500.00", is_urgent=True)
    ordinary = file(relief, path.community, "2500.00")
    with pytest.raises(ValidationError, match="不是救急解难申请"):
        services_fund.application_urgent_pay(
            actor=path.finance,
            application=ordinary,
            amount="1000",
            method="cash",
            voucher_number="XJ-002",
        )


def test_unratified_relief_is_returned_and_available_again(relief: Relief, path: Path):
    application = file(relief, path.community, "1000.00", is_urgent=True)
    services_fund.application_urgent_pay(
        actor=path.finance,
        application=application,
        amount="1000",
        method="cash",
        voucher_number="X1",
    )
    services_fund.application_transition(
        actor=path.district,
        application=application,
        transition="ratify_refuse",
        comment="不符合救助条件",
        fields={"meeting_ref": "会议5号", "attendees": "主席", "decision": "不予追认"},
    )
    services_fund.application_return(
        actor=path.finance, application=application, reason="受助人已退回现金"
    )
    application.refresh_from_db()
    assert application.state == "returned"
    assert totals(relief.budget) == (Decimal("100000.00"), Decimal("0.00"), Decimal("0.00"))
    assert Disbursement.objects.get(application=application).returned_amount == Decimal("1000.00")
    assert selectors.budget_reconciliation(relief.budget).balanced


def test_cancelling_an_approved_application_releases_its_commitment(relief: Relief, path: Path):
    application = approve_at_district(to_district(file(relief, path.community), path), path)
    services_fund.application_cancel(
        actor=path.district, application=application, reason="已获其他救助"
    )
    assert application.state == "cancelled"
    assert totals(relief.budget)[1] == Decimal("0.00")
    assert selectors.budget_reconciliation(relief.budget).balanced


def test_a_disbursement_interrupted_after_the_ledger_write_leaves_nothing(
    relief: Relief, path: Path, monkeypatch: pytest.MonkeyPatch
):
    application = approve_at_district(to_district(file(relief, path.community), path), path)
    before_totals = totals(relief.budget)
    before_entries = LedgerEntry.objects.count()

    def power_cut(**kwargs):
        assert LedgerEntry.objects.filter(kind=LedgerKind.PAY).exists()  # the ledger was written
        raise RuntimeError("power cut")

    monkeypatch.setattr(services_fund, "_record_disbursement", power_cut)
    with pytest.raises(RuntimeError):
        services_fund.application_disburse(
            actor=path.finance, application=application, method="cash", voucher_number="PZ-9"
        )
    application = ReliefApplication.objects.get(pk=application.pk)
    assert application.state == "approved"
    assert totals(relief.budget) == before_totals
    assert LedgerEntry.objects.count() == before_entries
    assert not Disbursement.objects.exists()
    assert [str(entry.transition) for entry in timeline(application)][-1] == "区妇联研究批准"


def test_amounts_add_up_to_the_cent_without_float(relief: Relief, path: Path, tree: Tree):
    small = services_fund.fund_create(actor=path.district, org=tree.district, name="小额测试资金")
    budget = services_fund.budget_grant(
        actor=path.district, fund=small, year=relief.year, amount="0.10", decision_ref="1号"
    )
    services_fund.budget_top_up(
        actor=path.district, budget=budget, amount="0.20", decision_ref="2号"
    )
    budget.refresh_from_db()
    assert budget.amount == Decimal("0.30")
    assert selectors.budget_reconciliation(budget).amount == Decimal("0.30")
    assert isinstance(budget.amount, Decimal)
    with pytest.raises(TypeError):
        money(0.1)
    assert money("0.10") + money("0.20") == money("0.30")


def test_budget_rows_refuse_negative_balances_in_the_database(relief: Relief):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        FundBudget.objects.filter(pk=relief.budget.pk).update(committed=Decimal("100000.01"))


def test_only_fund_managers_set_budgets(relief: Relief, path: Path):
    with pytest.raises(PermissionDenied):
        services_fund.budget_top_up(
            actor=path.street, budget=relief.budget, amount="1", decision_ref="x"
        )


def test_filing_for_a_household_marks_it_yellow(relief: Relief, path: Path):
    application = file(relief, path.community)
    level = HouseholdLevel.objects.get(household=relief.household)
    assert level.level == "yellow"
    assert level.reference == str(application.pk)


def test_approvers_see_what_the_household_received_this_year(relief: Relief, path: Path):
    first = approve_at_district(to_district(file(relief, path.community, "1000.00"), path), path)
    second = file(relief, path.community, "2000.00", hardship="schooling")
    received = selectors.received_this_year(second)
    assert received.relief_total == Decimal("1000.00")
    assert [line.amount for line in received.lines] == [first.amount_approved]
