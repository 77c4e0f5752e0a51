"""The assistance demo: a fund whose ledger reconciles, and applications at every stage."""

from io import StringIO

import pytest
from django.core.management import call_command

from warmhome.assistance.models import FundBudget, ReliefApplication, ReliefFund
from warmhome.assistance.selectors import budget_reconciliation

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_reconciled_fund_and_applications_at_each_stage(loaded_demo: str) -> None:
    assert ReliefFund.objects.count() == 1
    assert all(budget_reconciliation(budget).balanced for budget in FundBudget.objects.all())
    states = set(ReliefApplication.objects.values_list("state", flat=True))
    assert {"paid", "urgent_paid", "district", "community"} <= states

    call_command("demo", "load", stdout=StringIO())
    assert ReliefFund.objects.count() == 1
