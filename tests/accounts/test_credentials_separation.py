"""三员分立 for credentials: the system administrator may not reset a security or audit
administrator's password or authenticator (she could then sign in as one); those are reset on
the server with ``warmhome credentials``, audited with the operating-system user. Nor may she
disable or enable such an account (silencing the auditor who watches her)."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.test_two_factor import with_device
from tests.conftest import Personas
from tests.factories import user_with_post
from warmhome.accounts.models import User
from warmhome.accounts.services import (
    post_end,
    user_disable,
    user_enable,
    user_password_reset,
    user_two_factor_reset,
)
from warmhome.core.models import AuditEntry

NEW_PASSWORD = "Spring-garden-2026"


@pytest.mark.parametrize("persona", ["security_admin", "audit_admin"])
def test_the_system_administrator_cannot_take_over_another_duty(
    personas: Personas, persona: str
) -> None:
    target = getattr(personas, persona)
    with_device(target)

    with pytest.raises(ValidationError, match="三员分立"):
        user_password_reset(actor=personas.system_admin, user=target, new_password=NEW_PASSWORD)
    with pytest.raises(ValidationError, match="warmhome credentials"):
        user_two_factor_reset(actor=personas.system_admin, user=target)

    target.refresh_from_db()
    assert not target.check_password(NEW_PASSWORD)
    assert TOTPDevice.objects.filter(user=target).exists()


def test_business_users_and_fellow_system_administrators_are_reset_as_before(
    tree, personas: Personas
) -> None:
    colleague = user_with_post("sysadmin2", tree.district, "system_admin")
    for user in (personas.case_worker, colleague):
        with_device(user)
        user_password_reset(actor=personas.system_admin, user=user, new_password=NEW_PASSWORD)
        user_two_factor_reset(actor=personas.system_admin, user=user)
        user.refresh_from_db()
        assert user.check_password(NEW_PASSWORD)
        assert not TOTPDevice.objects.filter(user=user).exists()


def test_the_server_command_resets_them_and_names_who_ran_it(personas: Personas) -> None:
    auditor = personas.audit_admin
    with_device(auditor)
    out = io.StringIO()

    call_command("credentials", auditor.username, "--password", "--two-factor", stdout=out)

    printed = out.getvalue()
    password = printed.split("：", 1)[1].split()[0]
    auditor.refresh_from_db()
    assert auditor.check_password(password)
    assert auditor.must_change_password
    assert not TOTPDevice.objects.filter(user=auditor).exists()
    event = AuditEntry.objects.get(event="credentials_reset")
    assert event.detail["user"] == auditor.username
    assert event.detail["password"]
    assert event.detail["two_factor"]
    assert "os_user" in event.detail
    assert password not in str(event.detail)


def test_the_server_command_says_what_is_missing(personas: Personas) -> None:
    with pytest.raises(CommandError, match="--password"):
        call_command("credentials", personas.audit_admin.username)
    with pytest.raises(CommandError, match="没有用户名"):
        call_command("credentials", "nobody-here", "--password")
    # both steps or neither: no authenticator to remove, so no new password either
    before = personas.audit_admin.password
    with pytest.raises(CommandError, match="尚未设置验证器"):
        call_command("credentials", personas.audit_admin.username, "--password", "--two-factor")
    personas.audit_admin.refresh_from_db()
    assert personas.audit_admin.password == before


def test_the_user_list_says_why_in_chinese(personas: Personas) -> None:
    from django.test import Client
    from django.urls import reverse

    with_device(personas.audit_admin)
    client = Client()
    client.force_login(personas.system_admin)

    response = client.post(
        reverse("accounts:user_two_factor_reset", args=[personas.audit_admin.pk]), follow=True
    )

    assert "系统管理员不能重置其密码或验证器（三员分立）" in response.content.decode()
    assert TOTPDevice.objects.filter(user=personas.audit_admin).exists()


@pytest.mark.parametrize("persona", ["security_admin", "audit_admin"])
def test_the_system_administrator_cannot_disable_or_enable_another_duty(
    personas: Personas, persona: str
) -> None:
    target = getattr(personas, persona)

    with pytest.raises(ValidationError, match="三员分立"):
        user_disable(actor=personas.system_admin, user=target)
    User.objects.filter(pk=target.pk).update(is_active=False)  # disabled on the server
    target.refresh_from_db()
    with pytest.raises(ValidationError, match="结束其岗位"):
        user_enable(actor=personas.system_admin, user=target)

    assert not User.objects.get(pk=target.pk).is_active


def test_once_a_security_administrator_ends_the_post_the_account_is_disabled_as_any(
    tree, personas: Personas
) -> None:
    auditor = personas.audit_admin
    (post,) = auditor.current_posts()

    post_end(actor=personas.security_admin, post=post, on=timezone.localdate())
    user_disable(actor=personas.system_admin, user=auditor)

    assert not User.objects.get(pk=auditor.pk).is_active
    assert not User.objects.get(pk=auditor.pk).has_action("audit.view")


def test_the_disable_button_says_why_and_changes_nothing(personas: Personas) -> None:
    client = Client()
    client.force_login(personas.system_admin)

    response = client.post(
        reverse("accounts:user_disable", args=[personas.audit_admin.pk]), follow=True
    )

    assert "系统管理员不能停用或启用（三员分立）" in response.content.decode()
    assert User.objects.get(pk=personas.audit_admin.pk).is_active
