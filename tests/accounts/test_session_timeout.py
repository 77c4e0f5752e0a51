"""Idle sessions end after SESSION_IDLE_TIMEOUT: pages ask to sign in again, the API says 401."""

import time
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import Personas
from warmhome.accounts.middleware import LAST_ACTIVITY_KEY
from warmhome.accounts.models import User
from warmhome.core.models import AuditEntry

HOME_URL = reverse("core:home")
EXPIRED_MESSAGE = "由于长时间未操作，您已自动退出，请重新登录。"


@pytest.fixture
def cadre(personas: Personas) -> User:
    return personas.community_a1_cadre


def idle_for(client: Client, seconds: float) -> None:
    session = client.session
    session[LAST_ACTIVITY_KEY] = int(time.time() - seconds)
    session.save()


def test_session_idle_for_thirty_one_minutes_goes_to_login_with_next_and_chinese_message(
    client: Client, cadre: User
) -> None:
    client.force_login(cadre)
    idle_for(client, 31 * 60)

    response = client.get(HOME_URL + "?tab=todo")

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login") + "?next=%2Fwork%2F%3Ftab%3Dtodo"
    assert "_auth_user_id" not in client.session
    login_page = client.get(response["Location"]).content.decode()
    assert EXPIRED_MESSAGE in login_page


def test_session_expiry_is_an_audit_line(client: Client, cadre: User) -> None:
    client.force_login(cadre)
    idle_for(client, 31 * 60)

    client.get(HOME_URL)

    entry = AuditEntry.objects.get(event="session_expired")
    assert entry.actor_username == cadre.username
    assert entry.detail["idle_seconds"] >= 31 * 60


def test_idle_api_session_gets_json_401(client: Client, cadre: User) -> None:
    client.force_login(cadre)
    idle_for(client, 31 * 60)

    response = client.get("/api/accounts/me")

    assert response.status_code == 401
    assert response.json() == {"detail": "会话已过期，请重新登录。"}
    assert "_auth_user_id" not in client.session


def test_idle_htmx_request_redirects_the_whole_page(client: Client, cadre: User) -> None:
    client.force_login(cadre)
    idle_for(client, 31 * 60)

    response = client.get(HOME_URL, headers={"HX-Request": "true"})

    assert response["HX-Redirect"].startswith(reverse("accounts:login") + "?next=")


def test_session_used_within_the_timeout_stays_signed_in(client: Client, cadre: User) -> None:
    client.force_login(cadre)
    idle_for(client, 29 * 60)

    assert client.get(HOME_URL).status_code == 200
    # The visit restarted the clock.
    assert time.time() - client.session[LAST_ACTIVITY_KEY] < 5
    assert not AuditEntry.objects.filter(event="session_expired").exists()


def test_timeout_follows_the_setting(client: Client, cadre: User, settings) -> None:
    settings.SESSION_IDLE_TIMEOUT = timedelta(minutes=5)
    client.force_login(cadre)
    idle_for(client, 6 * 60)

    assert client.get(HOME_URL).status_code == 302


def test_sign_in_starts_the_clock(client: Client, cadre: User) -> None:
    client.force_login(cadre)

    assert time.time() - client.session[LAST_ACTIVITY_KEY] < 5


def test_expired_visitor_of_the_public_portal_just_carries_on_signed_out(
    client: Client, cadre: User
) -> None:
    client.force_login(cadre)
    idle_for(client, 31 * 60)

    response = client.get(reverse("portal:index"))

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
