"""The rights demo: help requests at every stage, synthetic cases with measures, one order
expiring soon in the to-do (one load for the module)."""

from io import StringIO

import pytest
from django.core.management import call_command

from warmhome.accounts.models import User
from warmhome.core.todo import items_for
from warmhome.rights.models import CaseStatus, DvCase, HelpRequest, OrderState, ProtectionOrder

pytestmark = pytest.mark.django_db


def test_the_demo_has_cases_with_measures_and_an_expiring_order_in_the_to_do(
    loaded_demo: str,
) -> None:
    assert DvCase.objects.count() == 3
    assert DvCase.objects.filter(status=CaseStatus.CLOSED).count() == 1
    states = set(ProtectionOrder.objects.values_list("state", flat=True))
    assert {OrderState.ISSUED, OrderState.ACCEPTED} <= states
    for username in ("case_worker", "dv_station_head"):
        sources = [item.source for item in items_for(User.objects.get(username=username))]
        assert "rights.order_expiring" in sources

    call_command("demo", "load", stdout=StringIO())
    assert DvCase.objects.count() == 3


def test_the_demo_has_help_requests_at_every_stage_from_every_channel(loaded_demo: str) -> None:
    states = set(HelpRequest.objects.values_list("state", flat=True))
    assert {"received", "accepted", "handling", "replied", "closed", "not_accepted"} <= states
    assert set(HelpRequest.objects.values_list("channel", flat=True)) == {
        "hotline",
        "visit",
        "letter",
        "online",
        "referral",
    }
    assert HelpRequest.objects.filter(escalations__isnull=False).exists()
    count = HelpRequest.objects.count()
    assert count >= 30
    call_command("demo", "load", stdout=StringIO())
    assert HelpRequest.objects.count() == count
