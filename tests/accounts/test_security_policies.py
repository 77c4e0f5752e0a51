"""The sign-in rules are rows of the policy table: an administrator's change takes effect with
the next request (lockout, password age, idle timeout), unless the deployment's environment
overrides the rule."""

import datetime
import time

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import Personas, Tree
from tests.factories import TEST_PASSWORD, user_with_post
from warmhome.accounts.middleware import LAST_ACTIVITY_KEY
from warmhome.rules.services import policy_set

HOME_URL = reverse("core:home")
LOGIN_URL = reverse("accounts:login")


@pytest.fixture
def rule(tree: Tree):
    """Enter a new value of a sign-in rule, in force from yesterday, as the security
    administrator (who maintains them)."""
    admin = user_with_post("rules_secadmin", tree.district, "security_admin")

    def enter(key: str, value: int) -> None:
        policy_set(
            actor=admin,
            key=key,
            value=value,
            valid_from=timezone.localdate() - datetime.timedelta(days=1),
            basis="本单位安全管理制度（测试）",
        )

    return enter


def test_the_lockout_follows_its_rules(personas: Personas, rule) -> None:
    rule("security.lockout_failures", 2)
    rule("security.lockout_minutes", 7)
    client = Client()
    credentials = {"username": "community_a1", "password": "wrong-password"}

    first = client.post(LOGIN_URL, credentials)
    second = client.post(LOGIN_URL, credentials)
    third = client.post(LOGIN_URL, {**credentials, "password": TEST_PASSWORD})

    assert (first.status_code, second.status_code, third.status_code) == (200, 429, 429)
    page = third.content.decode()
    assert "由于连续 2 次登录失败" in page
    assert "约 7 分钟后" in page


def test_the_password_age_follows_its_rule(client: Client, personas: Personas, rule) -> None:
    rule("security.password_max_age_days", 30)
    user = personas.community_a1_cadre
    user.password_changed_at = timezone.now() - datetime.timedelta(days=31)
    user.save()
    client.force_login(user)

    response = client.get(HOME_URL, follow=True)

    assert response.redirect_chain[-1][0].startswith(reverse("accounts:password_change"))
    assert "您的密码已使用超过 30 天，请先修改密码。" in response.content.decode()


def test_the_idle_timeout_follows_its_rule(client: Client, personas: Personas, rule) -> None:
    client.force_login(personas.community_a1_cadre)
    session = client.session
    session[LAST_ACTIVITY_KEY] = int(time.time() - 6 * 60)
    session.save()
    assert client.get(HOME_URL).status_code == 200  # 6 minutes: within the default 30

    rule("security.session_idle_minutes", 5)
    session = client.session
    session[LAST_ACTIVITY_KEY] = int(time.time() - 6 * 60)
    session.save()

    assert client.get(HOME_URL).status_code == 302


def test_the_environment_overrides_the_rule(
    client: Client, personas: Personas, rule, settings
) -> None:
    rule("security.password_max_age_days", 30)
    settings.PASSWORD_MAX_AGE_DAYS = 0  # WARMHOME_PASSWORD_MAX_AGE_DAYS=0: the rule is off
    user = personas.community_a1_cadre
    user.password_changed_at = timezone.now() - datetime.timedelta(days=31)
    user.save()
    client.force_login(user)

    assert client.get(HOME_URL).status_code == 200
