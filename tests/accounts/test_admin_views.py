"""The administration pages: users, roles and posts."""

import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from openpyxl import load_workbook

from tests.api.conftest import bearer, issue_token
from tests.conftest import Personas, Tree
from tests.factories import TEST_PASSWORD, UserFactory, role, user_with_post
from warmhome.accounts.models import Post, Role, User
from warmhome.core.models import AuditEntry

NEW_PASSWORD = "Spring-garden-2026"


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def sysadmin_client(personas: Personas) -> Client:
    return signed_in(personas.system_admin)


@pytest.fixture
def secadmin_client(personas: Personas) -> Client:
    return signed_in(personas.security_admin)


# --- who may open what -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["user_list", "user_create", "role_list", "role_create", "post_list", "post_create"],
)
def test_administration_pages_answer_404_to_a_cadre_and_log_it(personas: Personas, name: str):
    response = signed_in(personas.district_staff).get(reverse(f"accounts:{name}"))

    assert response.status_code == 404
    assert AuditEntry.objects.filter(
        event="access_denied", actor_username="district", detail__path=reverse(f"accounts:{name}")
    ).exists()


def test_administration_pages_send_strangers_to_sign_in(client: Client, db: None):
    response = client.get(reverse("accounts:user_list"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


# --- users -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("admin", "name", "with_pk"),
    [
        ("system_admin", "user_create", False),
        ("system_admin", "user_update", True),
        ("system_admin", "user_password_reset", True),
        ("security_admin", "role_create", False),
        ("security_admin", "post_create", False),
    ],
)
def test_administration_forms_open_in_chinese_for_their_admin(
    personas: Personas, admin: str, name: str, with_pk: bool
):
    args = [personas.resident.pk] if with_pk else []

    response = signed_in(getattr(personas, admin)).get(reverse(f"accounts:{name}", args=args))

    assert response.status_code == 200
    assert "Select an option" not in response.content.decode()
    assert 'lang="zh-hans"' in response.content.decode()


def test_account_opened_by_the_admin_must_change_its_password_after_signing_in(
    sysadmin_client: Client,
):
    sysadmin_client.post(
        reverse("accounts:user_create"),
        {
            "username": "wangfang",
            "display_name": "王芳",
            "initial_password": NEW_PASSWORD,
            "initial_password_confirm": NEW_PASSWORD,
        },
    )
    newcomer = Client()
    newcomer.post(reverse("accounts:login"), {"username": "wangfang", "password": NEW_PASSWORD})

    response = newcomer.get(reverse("core:home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:password_change"))


def test_user_list_searches_by_username_or_name(sysadmin_client: Client, personas: Personas):
    UserFactory(username="wangfang", display_name="王芳")

    by_name = sysadmin_client.get(reverse("accounts:user_list"), {"q": "王芳"})
    by_username = sysadmin_client.get(reverse("accounts:user_list"), {"q": "WANGF"})

    # Persona names are random and may themselves be 王芳: every hit must match, ours among them.
    named = {user.username: user.display_name for user in by_name.context["users"]}
    assert "wangfang" in named
    assert all("王芳" in display_name for display_name in named.values())
    assert len(named) < User.objects.count()
    assert [user.username for user in by_username.context["users"]] == ["wangfang"]
    assert "王芳" in by_name.content.decode()


def test_user_list_filters_disabled_accounts(sysadmin_client: Client, personas: Personas):
    UserFactory(username="gone", is_active=False)

    disabled = sysadmin_client.get(reverse("accounts:user_list"), {"status": "disabled"})
    active = sysadmin_client.get(reverse("accounts:user_list"), {"status": "active"})

    assert [user.username for user in disabled.context["users"]] == ["gone"]
    assert "gone" not in {user.username for user in active.context["users"]}
    assert "已停用" in disabled.content.decode()


def test_user_list_runs_a_fixed_number_of_queries(
    sysadmin_client: Client, tree: Tree, personas: Personas, django_assert_max_num_queries
):
    for number in range(30):
        user_with_post(f"cadre{number}", tree.community_a2, "community_cadre")

    with django_assert_max_num_queries(12):
        response = sysadmin_client.get(reverse("accounts:user_list"))

    assert response.status_code == 200
    assert len(response.context["users"]) == 39


def test_user_create_page_opens_an_account_that_must_change_its_password(
    sysadmin_client: Client,
):
    response = sysadmin_client.post(
        reverse("accounts:user_create"),
        {
            "username": "wangfang",
            "display_name": "王芳",
            "phone": "13800001234",
            "email": "",
            "initial_password": NEW_PASSWORD,
            "initial_password_confirm": NEW_PASSWORD,
        },
    )

    assert response.status_code == 302
    created = User.objects.get(username="wangfang")
    assert created.must_change_password
    assert created.check_password(NEW_PASSWORD)
    listing = sysadmin_client.get(response["Location"]).content.decode()
    assert "已创建账号“wangfang”，首次登录时须修改初始密码。" in listing


def test_user_create_page_shows_chinese_errors_and_keeps_what_was_typed(
    sysadmin_client: Client,
):
    response = sysadmin_client.post(
        reverse("accounts:user_create"),
        {
            "username": "wangfang",
            "display_name": "王芳",
            "phone": "12345",
            "initial_password": "wangfang-short",
            "initial_password_confirm": "wangfang-short",
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "密码不能包含用户名。" in page
    assert "手机号" in page
    assert response.context["form"]["username"].value() == "wangfang"
    assert response.context["form"]["display_name"].value() == "王芳"
    assert "wangfang-short" not in page
    assert not User.objects.filter(username="wangfang").exists()


def test_user_create_page_refuses_mismatched_passwords(sysadmin_client: Client):
    response = sysadmin_client.post(
        reverse("accounts:user_create"),
        {
            "username": "wangfang",
            "display_name": "王芳",
            "initial_password": NEW_PASSWORD,
            "initial_password_confirm": NEW_PASSWORD + "x",
        },
    )

    assert "两次输入的密码不一致。" in response.content.decode()
    assert not User.objects.filter(username="wangfang").exists()


def test_user_update_page_saves_contact_details(sysadmin_client: Client, personas: Personas):
    url = reverse("accounts:user_update", args=[personas.resident.pk])
    assert sysadmin_client.get(url).context["form"]["display_name"].value()

    response = sysadmin_client.post(
        url, {"display_name": "李娜", "phone": "0531-86012345", "email": "lina@example.org"}
    )

    assert response.status_code == 302
    personas.resident.refresh_from_db()
    assert (personas.resident.display_name, personas.resident.phone) == ("李娜", "0531-86012345")


def test_user_update_page_of_a_missing_user_is_404(sysadmin_client: Client):
    assert sysadmin_client.get(reverse("accounts:user_update", args=[999999])).status_code == 404


def test_disable_and_enable_are_post_only(sysadmin_client: Client, personas: Personas):
    url = reverse("accounts:user_disable", args=[personas.resident.pk])

    assert sysadmin_client.get(url).status_code == 405
    assert User.objects.get(pk=personas.resident.pk).is_active


def test_disabled_user_cannot_sign_in_her_posts_grant_nothing_and_her_token_fails(
    sysadmin_client: Client, personas: Personas
):
    cadre = personas.street_a_cadre
    _token, value = issue_token(cadre)
    assert Client().get("/api/accounts/me", headers=bearer(value)).status_code == 200
    session = signed_in(cadre)

    response = sysadmin_client.post(reverse("accounts:user_disable", args=[cadre.pk]))

    assert response.status_code == 302
    sign_in = Client().post(
        reverse("accounts:login"), {"username": cadre.username, "password": TEST_PASSWORD}
    )
    assert sign_in.status_code == 200
    assert "用户名或密码错误。" in sign_in.content.decode()
    assert not User.objects.get(pk=cadre.pk).has_action("orgs.view")
    assert Client().get("/api/accounts/me", headers=bearer(value)).status_code == 401
    # The session she already had ends with the account.
    assert session.get(reverse("core:home")).status_code == 302


def test_enabling_a_disabled_user_lets_her_sign_in_again(
    sysadmin_client: Client, personas: Personas
):
    cadre = personas.street_a_cadre
    sysadmin_client.post(reverse("accounts:user_disable", args=[cadre.pk]))

    sysadmin_client.post(reverse("accounts:user_enable", args=[cadre.pk]))

    sign_in = Client().post(
        reverse("accounts:login"), {"username": cadre.username, "password": TEST_PASSWORD}
    )
    assert sign_in.status_code == 302


def test_disabling_oneself_is_refused_with_a_message(sysadmin_client: Client, personas: Personas):
    response = sysadmin_client.post(
        reverse("accounts:user_disable", args=[personas.system_admin.pk]), follow=True
    )

    assert "不能停用自己的账号。" in response.content.decode()
    assert User.objects.get(pk=personas.system_admin.pk).is_active


def test_password_reset_page_sets_a_temporary_password(sysadmin_client: Client, personas: Personas):
    url = reverse("accounts:user_password_reset", args=[personas.resident.pk])

    response = sysadmin_client.post(
        url, {"new_password": NEW_PASSWORD, "new_password_confirm": NEW_PASSWORD}
    )

    assert response.status_code == 302
    resident = User.objects.get(pk=personas.resident.pk)
    assert resident.check_password(NEW_PASSWORD)
    assert resident.must_change_password


def test_password_reset_page_refuses_a_weak_password_in_chinese(
    sysadmin_client: Client, personas: Personas
):
    url = reverse("accounts:user_password_reset", args=[personas.resident.pk])

    response = sysadmin_client.post(
        url, {"new_password": "abcdefghij", "new_password_confirm": "abcdefghij"}
    )

    assert response.status_code == 200
    assert "至少 3 类" in response.content.decode()
    assert User.objects.get(pk=personas.resident.pk).check_password(TEST_PASSWORD)


def test_user_roster_exports_to_excel_with_the_filters_and_is_logged(
    sysadmin_client: Client, personas: Personas
):
    UserFactory(username="wangfang", display_name="=HYPERLINK(1)")

    response = sysadmin_client.get(reverse("accounts:user_export"), {"q": "wangfang"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[0][:2] == ("用户名", "姓名")
    assert rows[1][:2] == ("wangfang", "'=HYPERLINK(1)")
    assert len(rows) == 2
    logged = AuditEntry.objects.get(event="export", actor_username="sysadmin")
    assert logged.detail["what"] == "accounts.User"
    assert logged.detail["rows"] == 1


def test_user_roster_export_needs_its_own_action(personas: Personas):
    client = signed_in(personas.security_admin)

    assert client.get(reverse("accounts:user_export")).status_code == 404
    assert not AuditEntry.objects.filter(event="export").exists()


# --- roles -----------------------------------------------------------------------------------


def test_role_list_shows_the_admin_duties(secadmin_client: Client, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        response = secadmin_client.get(reverse("accounts:role_list"))

    page = response.content.decode()
    assert response.status_code == 200
    assert len(response.context["roles"]) == Role.objects.count()
    for label in ("系统管理员", "安全管理员", "审计管理员", "业务角色"):
        assert label in page


def test_role_edit_page_groups_the_actions_by_app_with_chinese_labels(secadmin_client: Client):
    response = secadmin_client.get(reverse("accounts:role_update", args=[role("street_cadre").pk]))

    page = response.content.decode()
    groups = {group.label for group in response.context["actions_form"].action_groups()}
    assert {"组织网络", "账号与岗位", "审计日志"} <= groups
    assert "查看审计日志" in page
    assert response.context["actions_form"]["actions"].value() == role("street_cadre").actions


def test_role_edit_page_saves_the_checked_actions(secadmin_client: Client):
    street_cadre = role("street_cadre")

    response = secadmin_client.post(
        reverse("accounts:role_update", args=[street_cadre.pk]),
        {"name": "街道妇联干部", "description": "", "actions": ["orgs.view"]},
    )

    assert response.status_code == 302
    assert role("street_cadre").actions == ["orgs.view"]


def test_role_edit_page_refuses_audit_view_for_a_business_role(secadmin_client: Client):
    street_cadre = role("street_cadre")
    before = list(street_cadre.actions)

    response = secadmin_client.post(
        reverse("accounts:role_update", args=[street_cadre.pk]),
        {"name": "街道妇联干部", "description": "", "actions": ["orgs.view", "audit.view"]},
    )

    assert response.status_code == 200
    assert "业务角色不能授予管理员权限：查看审计日志（audit.view）。" in response.content.decode()
    assert role("street_cadre").actions == before


def test_role_edit_page_of_ones_own_role_warns_and_refuses(secadmin_client: Client):
    own = role("security_admin")
    url = reverse("accounts:role_update", args=[own.pk])

    page = secadmin_client.get(url).content.decode()
    response = secadmin_client.post(
        url,
        {
            "name": own.name,
            "requires_two_factor": "on",
            "actions": [*own.actions, "accounts.manage_users"],
        },
    )

    assert "您不能修改它" in page
    assert "不能修改自己所担任的角色" in response.content.decode()
    assert role("security_admin").actions == own.actions


def test_role_create_page_adds_a_role(secadmin_client: Client):
    response = secadmin_client.post(
        reverse("accounts:role_create"),
        {"code": "grid_worker", "name": "网格员", "admin_duty": "", "actions": ["orgs.view"]},
    )

    assert response.status_code == 302
    assert role("grid_worker").actions == ["orgs.view"]


# --- posts -----------------------------------------------------------------------------------


@pytest.fixture
def street_a_security_admin(tree: Tree) -> User:
    return user_with_post("secadmin_a", tree.street_a, "security_admin")


def test_post_list_shows_only_posts_within_the_admins_scope(
    tree: Tree, personas: Personas, street_a_security_admin: User, django_assert_max_num_queries
):
    for number in range(20):
        user_with_post(f"cadre{number}", tree.community_a2, "community_cadre")
    client = signed_in(street_a_security_admin)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("accounts:post_list"))

    orgs = {post.org for post in response.context["posts"]}
    assert orgs <= {tree.street_a, tree.community_a1, tree.grid_a1, tree.community_a2}
    assert personas.street_b_cadre.username not in response.content.decode()
    # 20 new, the street-A cadre and admin, the community-A1 cadre and the resident
    assert len(response.context["posts"]) == 24


def test_post_list_shows_ended_posts_on_request(
    tree: Tree, personas: Personas, secadmin_client: Client
):
    post = Post.objects.get(user=personas.street_a_cadre)
    secadmin_client.post(
        reverse("accounts:post_end", args=[post.pk]), {"on": timezone.localdate().isoformat()}
    )

    current = secadmin_client.get(reverse("accounts:post_list"))
    ended = secadmin_client.get(reverse("accounts:post_list"), {"status": "ended"})

    assert post not in current.context["posts"]
    assert list(ended.context["posts"]) == [post]


def test_post_create_offers_only_the_admins_organisations(
    tree: Tree, street_a_security_admin: User
):
    response = signed_in(street_a_security_admin).get(reverse("accounts:post_create"))

    offered = set(response.context["form"].fields["org"].queryset)
    assert offered == {tree.street_a, tree.community_a1, tree.grid_a1, tree.community_a2}


def test_sending_the_same_post_form_twice_creates_one_post(
    tree: Tree, personas: Personas, secadmin_client: Client
):
    data = {
        "user": personas.resident.pk,
        "org": tree.community_a2.pk,
        "role": role("community_cadre").pk,
        "title": "委员",
    }

    first = secadmin_client.post(reverse("accounts:post_create"), data)
    second = secadmin_client.post(reverse("accounts:post_create"), data)

    assert first.status_code == 302
    assert second.status_code == 200
    assert "该用户在此组织已担任此角色。" in second.content.decode()
    assert Post.objects.filter(user=personas.resident, org=tree.community_a2).count() == 1


def test_post_create_page_refuses_a_second_admin_duty_in_chinese(
    tree: Tree, personas: Personas, secadmin_client: Client
):
    response = secadmin_client.post(
        reverse("accounts:post_create"),
        {"user": personas.audit_admin.pk, "org": tree.district.pk, "role": role("system_admin").pk},
    )

    assert "系统、安全、审计管理员不能由同一人兼任" in response.content.decode()
    assert Post.objects.filter(user=personas.audit_admin).count() == 1


def test_post_end_page_ends_the_post_from_the_chosen_day(
    personas: Personas, secadmin_client: Client
):
    post = Post.objects.get(user=personas.street_a_cadre)
    url = reverse("accounts:post_end", args=[post.pk])
    last_day = timezone.localdate() + datetime.timedelta(days=5)

    assert secadmin_client.get(url).status_code == 200
    response = secadmin_client.post(url, {"on": last_day.isoformat()})

    assert response.status_code == 302
    post.refresh_from_db()
    assert post.valid_to == last_day


def test_post_end_page_refuses_a_missing_date_in_chinese(
    personas: Personas, secadmin_client: Client
):
    post = Post.objects.get(user=personas.street_a_cadre)

    response = secadmin_client.post(reverse("accounts:post_end", args=[post.pk]), {"on": ""})

    assert response.status_code == 200
    assert "这个字段是必填项" in response.content.decode()
    post.refresh_from_db()
    assert post.valid_to is None


def test_the_list_offers_an_authenticator_reset_only_where_there_is_one(
    sysadmin_client: Client, personas: Personas
):
    TOTPDevice.objects.create(user=personas.case_worker, name="phone", confirmed=True)
    reset_url = reverse("accounts:user_two_factor_reset", args=[personas.case_worker.pk])

    page = sysadmin_client.get(reverse("accounts:user_list")).content.decode()
    assert page.count("重置验证器") == 1
    assert reset_url in page

    response = sysadmin_client.post(reset_url, follow=True)

    assert "已重置“case_worker”的验证器" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=personas.case_worker).exists()
    again = sysadmin_client.post(reset_url, follow=True)
    assert "尚未设置验证器应用" in again.content.decode()


def test_a_cadre_cannot_reset_an_authenticator(personas: Personas):
    TOTPDevice.objects.create(user=personas.case_worker, name="phone", confirmed=True)
    cadre = signed_in(personas.street_a_cadre)

    response = cadre.post(reverse("accounts:user_two_factor_reset", args=[personas.case_worker.pk]))

    assert response.status_code in (403, 404)
    assert TOTPDevice.objects.filter(user=personas.case_worker).exists()
