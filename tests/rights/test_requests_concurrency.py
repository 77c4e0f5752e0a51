"""Ten clicks at once on "转办" of one request: exactly one transfer, the others refused
clearly (PostgreSQL row locks)."""

import pytest
from django.db import connection

from tests.concurrency import all_at_once
from tests.conftest import Personas, Tree
from tests.core.audit_tamper import postgres_only_reason
from tests.factories import help_request
from warmhome.rights import services_requests as services
from warmhome.rights.models import HelpRequest, RequestTransfer

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason=postgres_only_reason,
    ),
    pytest.mark.django_db(transaction=True),
]

CONCURRENT = 10


def test_simultaneous_transfers_of_one_request_move_it_once(tree: Tree, personas: Personas):
    made = help_request(tree.community_a1)
    version = made.version

    def click() -> None:
        services.help_request_transfer(
            actor=personas.street_a_cadre,
            request=HelpRequest.objects.get(pk=made.pk),
            to_org=tree.community_a2,
            reason="现居甲二社区",
            expected_version=version,
        )

    wins, refusals = all_at_once(CONCURRENT, click)

    assert wins == 1
    assert len(refusals) == CONCURRENT - 1
    assert all("刷新页面" in message for message in refusals)
    assert RequestTransfer.objects.filter(request_id=made.pk).count() == 1
    assert HelpRequest.objects.get(pk=made.pk).org == tree.community_a2
