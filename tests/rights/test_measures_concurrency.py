"""Ten case workers file the same protection-order application at once, and ten accept it:
one application, one acceptance; the others hear why (PostgreSQL row locks on the case)."""

import pytest
from django.db import connection

from tests.concurrency import all_at_once
from tests.conftest import Tree
from tests.core.audit_tamper import postgres_only_reason
from tests.factories import dv_case
from tests.rights.conftest import Station
from warmhome.rights import services_orders as so
from warmhome.rights.models import OrderEventKind, ProtectionOrder, ProtectionOrderEvent

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason=postgres_only_reason,
    ),
    pytest.mark.django_db(transaction=True),
]

CONCURRENT = 10


def test_simultaneous_applications_and_acceptances_each_happen_once(tree: Tree, station: Station):
    case = dv_case(tree.community_a1, workers=[station.worker])

    def apply() -> None:
        so.protection_order_apply(
            actor=station.worker,
            case=case,
            applicant_kind="victim",
            court="历下区人民法院",
            measures_requested=["forbid_violence"],
        )

    wins, refusals = all_at_once(CONCURRENT, apply)
    assert wins == 1
    assert len(refusals) == CONCURRENT - 1
    assert all("尚未裁定" in message for message in refusals)
    order = ProtectionOrder.objects.get()

    wins, refusals = all_at_once(
        CONCURRENT, lambda: so.protection_order_accept(actor=station.worker, order=order)
    )
    assert wins == 1
    assert all("不能登记受理" in message for message in refusals)
    accepted = ProtectionOrderEvent.objects.filter(kind=OrderEventKind.ACCEPTED)
    assert accepted.count() == 1
