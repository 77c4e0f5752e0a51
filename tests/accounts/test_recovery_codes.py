"""Recovery codes: one-time codes that stand in for the authenticator app when the phone is
not at hand; issued with the app, shown once, stored only as keyed hashes."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from tests.accounts.test_two_factor import sign_in, with_device
from tests.conftest import Personas
from warmhome.accounts.models import RecoveryCode
from warmhome.accounts.selectors import recoverycodes_left
from warmhome.accounts.services import (
    RECOVERY_CODE_COUNT,
    recoverycode_use,
    recoverycodes_issue,
    user_two_factor_reset,
)
from warmhome.core.models import AuditEntry

HOME_URL = reverse("core:home")
RECOVERY_URL = reverse("accounts:two_factor_recovery")
CODES_URL = reverse("accounts:recovery_codes")


def test_a_set_holds_ten_distinct_codes_stored_only_as_keyed_hashes(personas: Personas) -> None:
    user = personas.case_worker
    with_device(user)

    codes = recoverycodes_issue(actor=user)

    assert len(set(codes)) == RECOVERY_CODE_COUNT
    assert all(len(code) == 11 and code[5] == "-" for code in codes)
    stored = list(RecoveryCode.objects.filter(user=user).values_list("code_hash", flat=True))
    assert len(stored) == RECOVERY_CODE_COUNT
    for code in codes:
        assert not any(code.replace("-", "") in value for value in stored)
    assert AuditEntry.objects.filter(
        event="recovery_codes_issue", actor_username=user.username
    ).exists()


def test_codes_need_an_authenticator_app(personas: Personas) -> None:
    with pytest.raises(ValidationError, match="请先设置验证器应用"):
        recoverycodes_issue(actor=personas.case_worker)


def test_a_code_works_once_typed_in_any_case_and_with_spaces(personas: Personas) -> None:
    user = personas.case_worker
    device = with_device(user)
    code = recoverycodes_issue(actor=user)[3]

    used = recoverycode_use(actor=user, code=f" {code.upper().replace('-', ' ')} ")

    assert used == device
    assert recoverycodes_left(user) == RECOVERY_CODE_COUNT - 1
    with pytest.raises(ValidationError, match="恢复码不正确或已经用过"):
        recoverycode_use(actor=user, code=code)
    outcomes = list(
        AuditEntry.objects.filter(event="two_factor", actor_username=user.username)
        .order_by("seq")
        .values_list("outcome", flat=True)
    )
    assert outcomes == ["success", "failure"]


def test_a_new_set_voids_the_old_one(personas: Personas) -> None:
    user = personas.case_worker
    with_device(user)
    old = recoverycodes_issue(actor=user)

    recoverycodes_issue(actor=user)

    with pytest.raises(ValidationError, match="恢复码不正确或已经用过"):
        recoverycode_use(actor=user, code=old[0])


def test_another_users_code_is_refused(personas: Personas) -> None:
    with_device(personas.case_worker)
    with_device(personas.system_admin)
    theirs = recoverycodes_issue(actor=personas.system_admin)[0]

    with pytest.raises(ValidationError, match="恢复码不正确或已经用过"):
        recoverycode_use(actor=personas.case_worker, code=theirs)


def test_wrong_codes_are_throttled_like_wrong_app_codes(personas: Personas, settings) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 1000  # every failure locks for a long while
    user = personas.case_worker
    with_device(user)
    good = recoverycodes_issue(actor=user)[0]

    with pytest.raises(ValidationError, match="恢复码不正确"):
        recoverycode_use(actor=user, code="aaaaa-aaaaa")
    with pytest.raises(ValidationError, match="错误次数过多"):
        recoverycode_use(actor=user, code=good)

    assert recoverycodes_left(user) == RECOVERY_CODE_COUNT  # the good one was not spent


def test_resetting_the_app_removes_its_codes(personas: Personas) -> None:
    user = personas.case_worker
    with_device(user)
    recoverycodes_issue(actor=user)

    user_two_factor_reset(actor=personas.system_admin, user=user)

    assert not RecoveryCode.objects.filter(user=user).exists()


@pytest.mark.usefixtures("two_factors_on")
def test_signing_in_with_a_recovery_code(client: Client, personas: Personas) -> None:
    user = personas.case_worker
    with_device(user)
    code = recoverycodes_issue(actor=user)[0]
    sign_in(client, user)
    verify = client.get(reverse("accounts:two_factor_verify"), {"next": HOME_URL})
    assert RECOVERY_URL in verify.content.decode()

    wrong = client.post(RECOVERY_URL, {"code": "12", "next": HOME_URL})
    response = client.post(RECOVERY_URL, {"code": code, "next": HOME_URL}, follow=True)

    assert "恢复码为 10 位字母和数字" in wrong.content.decode()
    assert response.redirect_chain == [(HOME_URL, 302)]
    assert "已使用一个恢复码，还剩 9 个" in response.content.decode()


@pytest.mark.usefixtures("two_factors_on")
def test_new_codes_are_shown_once_and_only_to_a_verified_session(
    client: Client, personas: Personas
) -> None:
    user = personas.case_worker
    with_device(user)
    code = recoverycodes_issue(actor=user)[0]
    sign_in(client, user)

    unverified = client.get(CODES_URL)
    assert unverified.status_code == 302
    assert unverified["Location"].startswith(reverse("accounts:two_factor_verify"))

    client.post(RECOVERY_URL, {"code": code, "next": HOME_URL})
    issued = client.post(CODES_URL, {"next": HOME_URL}, follow=True)
    shown = issued.context["codes"]
    again = client.get(CODES_URL)

    assert len(shown) == RECOVERY_CODE_COUNT
    assert all(shown_code in issued.content.decode() for shown_code in shown)
    assert again.context["codes"] is None
    assert "您还有 10 个未使用的恢复码" in again.content.decode()
