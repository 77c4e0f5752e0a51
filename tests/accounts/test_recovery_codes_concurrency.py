"""One recovery code typed into ten sign-ins at once: exactly one gets in (PostgreSQL row
locks)."""

import pytest
from django.db import connection

from tests.accounts.test_two_factor import with_device
from tests.concurrency import all_at_once
from tests.conftest import Personas
from tests.core.audit_tamper import postgres_only_reason
from warmhome.accounts.models import RecoveryCode
from warmhome.accounts.services import recoverycode_use, recoverycodes_issue

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason=postgres_only_reason,
    ),
    pytest.mark.django_db(transaction=True),
]

CONCURRENT = 10


def test_a_code_used_by_simultaneous_sign_ins_lets_one_in(personas: Personas, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    user = personas.case_worker
    with_device(user)
    code = recoverycodes_issue(actor=user)[0]
    wins, refusals = all_at_once(CONCURRENT, lambda: recoverycode_use(actor=user, code=code))

    assert wins == 1
    assert refusals == ["恢复码不正确或已经用过。"] * (CONCURRENT - 1)
    assert RecoveryCode.objects.filter(user=user, used_at__isnull=False).count() == 1
