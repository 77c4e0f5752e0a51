"""Password hashing, rules, the forced change at first sign-in and the 90-day age."""

from datetime import timedelta

import pytest
from django.contrib.auth.hashers import get_hasher
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import Personas
from tests.factories import TEST_PASSWORD, UserFactory
from warmhome import settings as project_settings
from warmhome.accounts.models import User
from warmhome.accounts.services import password_set
from warmhome.core.models import AuditEntry

CHANGE_URL = reverse("accounts:password_change")
HOME_URL = reverse("core:home")
NEW_PASSWORD = "Spring-rain-2026"


def change_password(client: Client, new: str = NEW_PASSWORD, *, old: str = TEST_PASSWORD, **kw):
    data = {"old_password": old, "new_password1": new, "new_password2": new, **kw}
    return client.post(CHANGE_URL, data)


@pytest.fixture
def admin_created(db: None) -> User:
    return UserFactory(username="newcomer", must_change_password=True)


def test_argon2_is_the_first_password_hasher_and_hashes_new_passwords(settings, db) -> None:
    # tests/conftest.py swaps in MD5 for speed; the project's own list is put back here.
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    assert project_settings.PASSWORD_HASHERS[0].endswith(".Argon2PasswordHasher")

    user = UserFactory(username="hashed")

    assert get_hasher().algorithm == "argon2"
    assert user.password.startswith("argon2$")
    assert user.check_password(TEST_PASSWORD)


def test_admin_created_account_must_change_password_at_first_sign_in(
    client: Client, admin_created: User
) -> None:
    response = client.post(
        reverse("accounts:login"), {"username": "newcomer", "password": TEST_PASSWORD}
    )
    response = client.get(response["Location"])

    assert response.status_code == 302
    assert response["Location"].startswith(CHANGE_URL + "?next=")
    page = client.get(response["Location"]).content.decode()
    assert "须先设置自己的密码才能继续使用" in page
    assert "首次登录或密码被重置后须先修改密码" in page


def test_every_workbench_page_leads_to_the_forced_change_until_it_is_done(
    client: Client, admin_created: User
) -> None:
    client.force_login(admin_created)

    assert client.get(HOME_URL)["Location"] == f"{CHANGE_URL}?next=%2Fwork%2F"
    assert client.get(reverse("orgs:orgunit_list")).status_code == 302
    # The public portal stays open.
    assert client.get(reverse("portal:index")).status_code == 200

    response = change_password(client, next=HOME_URL)

    assert response.status_code == 302
    assert response["Location"] == HOME_URL
    assert client.get(HOME_URL).status_code == 200


def test_changing_the_password_clears_the_forced_change_and_restarts_its_age(
    client: Client, admin_created: User
) -> None:
    client.force_login(admin_created)

    change_password(client)

    admin_created.refresh_from_db()
    assert admin_created.must_change_password is False
    assert timezone.now() - admin_created.password_changed_at < timedelta(minutes=1)
    assert admin_created.check_password(NEW_PASSWORD)
    # Still signed in: the session follows the new password.
    assert client.get(HOME_URL).status_code == 200
    assert AuditEntry.objects.filter(
        event="password_change", actor_username="newcomer", outcome="success"
    ).exists()


def test_api_call_before_the_forced_change_gets_a_json_error(
    client: Client, admin_created: User
) -> None:
    client.force_login(admin_created)

    response = client.get("/api/accounts/me")

    assert response.status_code == 403
    assert response.json() == {"detail": "请先修改密码。"}


def test_password_older_than_the_maximum_age_must_be_changed(
    client: Client, personas: Personas, settings
) -> None:
    settings.PASSWORD_MAX_AGE_DAYS = 90
    user = personas.community_a1_cadre
    user.password_changed_at = timezone.now() - timedelta(days=91)
    user.save()
    client.force_login(user)

    response = client.get(HOME_URL, follow=True)

    assert response.redirect_chain[-1][0].startswith(CHANGE_URL)
    assert "您的密码已使用超过 90 天，请先修改密码。" in response.content.decode()


def test_password_younger_than_the_maximum_age_needs_no_change(
    client: Client, personas: Personas
) -> None:
    user = personas.community_a1_cadre
    user.password_changed_at = timezone.now() - timedelta(days=89)
    user.save()
    client.force_login(user)

    assert client.get(HOME_URL).status_code == 200


def test_maximum_age_zero_switches_the_age_rule_off(
    client: Client, personas: Personas, settings
) -> None:
    settings.PASSWORD_MAX_AGE_DAYS = 0
    user = personas.community_a1_cadre
    user.password_changed_at = timezone.now() - timedelta(days=900)
    user.save()
    client.force_login(user)

    assert client.get(HOME_URL).status_code == 200


@pytest.mark.parametrize(
    ("new_password", "message"),
    [
        ("Ab-1234", "此密码太短，至少要包含 10 个字符。"),
        ("abcdefghijkl", "密码须包含小写字母、大写字母、数字、其他符号中的至少 3 类。"),
        ("newcomer-2026-X", "密码不能包含用户名。"),
        ("Password123", "这个密码太常见了。"),
    ],
    ids=["too-short", "too-few-classes", "contains-username", "too-common"],
)
def test_new_password_breaking_a_rule_is_refused_in_chinese_and_nothing_changes(
    client: Client, admin_created: User, new_password: str, message: str
) -> None:
    client.force_login(admin_created)

    response = change_password(client, new_password)

    assert response.status_code == 200
    assert message in response.content.decode()
    admin_created.refresh_from_db()
    assert admin_created.check_password(TEST_PASSWORD)
    assert admin_created.must_change_password is True


def test_wrong_current_password_is_refused_and_nothing_changes(
    client: Client, admin_created: User
) -> None:
    client.force_login(admin_created)

    response = change_password(client, old="Not-my-password-1")

    assert "当前密码不正确。" in response.content.decode()
    admin_created.refresh_from_db()
    assert admin_created.check_password(TEST_PASSWORD)


def test_new_passwords_that_differ_are_refused(client: Client, admin_created: User) -> None:
    client.force_login(admin_created)

    response = client.post(
        CHANGE_URL,
        {"old_password": TEST_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": "x"},
    )

    assert "两次输入的新密码不一致。" in response.content.decode()


def test_new_password_equal_to_the_current_one_is_refused(
    client: Client, admin_created: User
) -> None:
    client.force_login(admin_created)

    response = change_password(client, TEST_PASSWORD)

    assert "新密码不能与当前密码相同。" in response.content.decode()
    admin_created.refresh_from_db()
    assert admin_created.must_change_password is True


def test_voluntary_change_page_lists_the_rules(client: Client, personas: Personas) -> None:
    client.force_login(personas.community_a1_cadre)

    page = client.get(CHANGE_URL).content.decode()

    assert "须先设置自己的密码" not in page
    assert "密码不能包含用户名。" in page
    assert "至少 3 类" in page


def test_nobody_sets_another_users_own_password(personas: Personas) -> None:
    with pytest.raises(PermissionDenied):
        password_set(actor=personas.system_admin, user=personas.resident, new_password=NEW_PASSWORD)


def test_password_set_applies_the_rules_itself(personas: Personas) -> None:
    with pytest.raises(ValidationError) as refused:
        password_set(actor=personas.resident, user=personas.resident, new_password="short")

    assert "此密码太短，至少要包含 10 个字符。" in refused.value.messages
