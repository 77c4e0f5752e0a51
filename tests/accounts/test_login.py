"""Signing in and out: wrong password, disabled account, lockout after five failures."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import Personas
from tests.factories import TEST_PASSWORD, UserFactory
from warmhome.core.models import AuditEntry

LOGIN_URL = reverse("accounts:login")
WRONG_LOGIN = "用户名或密码错误。"


def sign_in(client: Client, username: str, password: str = TEST_PASSWORD, **extra: str):
    return client.post(LOGIN_URL, {"username": username, "password": password, **extra})


def security_events(event: str, username: str, outcome: str | None = None) -> list[AuditEntry]:
    entries = AuditEntry.objects.filter(
        kind=AuditEntry.Kind.SECURITY, event=event, actor_username=username
    )
    if outcome is not None:
        entries = entries.filter(outcome=outcome)
    return list(entries)


@pytest.fixture
def resident(personas: Personas):
    return personas.resident


def test_login_page_is_in_chinese_and_tells_the_lockout_rule(client: Client, db: None) -> None:
    response = client.get(LOGIN_URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert "登录工作台" in page
    assert "连续 5 次输入错误，账号将被锁定 15 分钟" in page


def test_correct_password_signs_in_and_is_audited(client: Client, resident) -> None:
    response = sign_in(client, "resident")

    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    assert client.get(reverse("core:home")).status_code == 200
    assert security_events("login", "resident", "success")


def test_wrong_password_gets_chinese_error_without_saying_which_and_an_audit_line(
    client: Client, resident
) -> None:
    response = sign_in(client, "resident", "Not-the-password-1")

    assert response.status_code == 200
    assert WRONG_LOGIN in response.content.decode()
    # What was typed as the username is kept; the password is not sent back.
    assert response.context["form"]["username"].value() == "resident"
    assert "Not-the-password-1" not in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert security_events("login", "resident", "failure")


def test_unknown_username_gets_the_same_message_as_a_wrong_password(client: Client, db) -> None:
    response = sign_in(client, "nobody-here", "Whatever-pass-1")

    assert response.status_code == 200
    assert WRONG_LOGIN in response.content.decode()
    assert security_events("login", "nobody-here", "failure")


def test_disabled_account_gets_the_same_message_as_a_wrong_password(client: Client, db) -> None:
    UserFactory(username="gone", is_active=False)

    response = sign_in(client, "gone")

    assert response.status_code == 200
    assert WRONG_LOGIN in response.content.decode()
    assert "停用" not in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert security_events("login", "gone", "failure")


def test_five_failures_lock_the_account_with_chinese_message_and_audit_line(
    client: Client, resident
) -> None:
    for _attempt in range(4):
        assert sign_in(client, "resident", "Wrong-pass-123").status_code == 200

    response = sign_in(client, "resident", "Wrong-pass-123")

    assert response.status_code == 429
    page = response.content.decode()
    assert "账号已暂时锁定" in page
    assert "由于连续 5 次登录失败，该账号已被暂时锁定" in page
    last_failure = AccessAttempt.objects.get(username="resident").attempt_time
    retry_at = timezone.localtime(last_failure + timedelta(minutes=15))
    assert f"请在 {retry_at:%H:%M} 之后（约 15 分钟后）再试" in page
    assert len(security_events("lockout", "resident")) == 1
    assert len(security_events("login", "resident", "failure")) == 5


def test_locked_account_stays_locked_even_with_the_right_password(client: Client, resident) -> None:
    for _attempt in range(5):
        sign_in(client, "resident", "Wrong-pass-123")

    response = sign_in(client, "resident")

    assert response.status_code == 429
    assert "账号已暂时锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert len(security_events("lockout", "resident")) == 2


def test_lockout_is_by_username_so_colleagues_behind_the_same_address_still_sign_in(
    client: Client, personas: Personas
) -> None:
    for _attempt in range(5):
        sign_in(client, "resident", "Wrong-pass-123")

    response = sign_in(Client(), "community_a1")

    assert response.status_code == 302


def test_lockout_ends_after_fifteen_minutes(client: Client, resident) -> None:
    for _attempt in range(5):
        sign_in(client, "resident", "Wrong-pass-123")
    AccessAttempt.objects.filter(username="resident").update(
        attempt_time=timezone.now() - timedelta(minutes=16)
    )

    response = sign_in(client, "resident")

    assert response.status_code == 302


def test_successful_sign_in_resets_the_failure_count(client: Client, resident) -> None:
    for _attempt in range(4):
        sign_in(client, "resident", "Wrong-pass-123")
    sign_in(client, "resident")
    client.post(reverse("accounts:logout"))

    for _attempt in range(4):
        response = sign_in(client, "resident", "Wrong-pass-123")

    assert response.status_code == 200
    assert sign_in(client, "resident").status_code == 302


def test_sign_in_goes_on_to_the_page_asked_for(client: Client, resident) -> None:
    target = reverse("core:home") + "?tab=todo"

    response = sign_in(client, "resident", next=target)

    assert response["Location"] == target


def test_sign_in_never_redirects_to_another_site(client: Client, resident) -> None:
    response = sign_in(client, "resident", next="https://evil.example/")

    assert response["Location"] == reverse("core:home")


def test_logout_takes_a_post_and_ends_the_session(client: Client, resident) -> None:
    sign_in(client, "resident")

    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("core:home")).status_code == 302
    assert security_events("logout", "resident", "success")
