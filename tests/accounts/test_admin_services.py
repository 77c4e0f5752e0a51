"""The administration services: accounts, roles and posts, each checked and audited."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.conftest import Personas, Tree
from tests.factories import TEST_PASSWORD, UserFactory, role
from warmhome.accounts import services
from warmhome.accounts.models import Post, Role, User
from warmhome.core.models import AuditEntry

NEW_PASSWORD = "Spring-garden-2026"


def errors_of(raised: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(raised.value.messages)


# --- users -----------------------------------------------------------------------------------


def test_created_user_must_change_the_initial_password_at_first_login(personas: Personas):
    user = services.user_create(
        actor=personas.system_admin,
        username="wangfang",
        display_name="王芳",
        phone="+86 138-0000-1234",
        email="wangfang@example.org",
        initial_password=NEW_PASSWORD,
    )

    user.refresh_from_db()
    assert user.must_change_password
    assert user.check_password(NEW_PASSWORD)
    assert user.phone == "13800001234"
    assert user.is_active


def test_weak_initial_password_is_refused_with_chinese_reasons_and_nothing_created(
    personas: Personas,
):
    with pytest.raises(ValidationError) as raised:
        services.user_create(
            actor=personas.system_admin,
            username="wangfang",
            display_name="王芳",
            initial_password="wangfang1",
        )

    password_errors = " ".join(raised.value.message_dict["initial_password"])
    assert "密码长度太短" in password_errors or "至少" in password_errors
    assert "不能包含用户名" in password_errors
    assert not User.objects.filter(username="wangfang").exists()


def test_duplicate_username_is_refused_in_chinese_whatever_the_letter_case(personas: Personas):
    with pytest.raises(ValidationError) as raised:
        services.user_create(
            actor=personas.system_admin,
            username="Resident",
            display_name="另一位居民",
            initial_password=NEW_PASSWORD,
        )

    assert raised.value.message_dict["username"] == ["用户名“Resident”已被使用，请换一个。"]
    assert User.objects.filter(username__iexact="resident").count() == 1


def test_bad_phone_email_and_missing_name_are_all_reported_at_once(personas: Personas):
    with pytest.raises(ValidationError) as raised:
        services.user_create(
            actor=personas.system_admin,
            username="lina",
            display_name=" ",
            phone="1234",
            email="not-an-address",
            initial_password=NEW_PASSWORD,
        )

    errors = raised.value.message_dict
    assert errors["display_name"] == ["请填写姓名。"]
    assert errors["email"] == ["电子邮箱“not-an-address”格式不正确。"]
    assert "phone" in errors
    assert not User.objects.filter(username="lina").exists()


def test_user_update_changes_contact_details_but_never_the_username(personas: Personas):
    target = personas.resident

    services.user_update(
        actor=personas.system_admin,
        user=target,
        display_name="李娜",
        phone="13912345678",
        email="",
    )

    target.refresh_from_db()
    assert (target.username, target.display_name, target.phone) == (
        "resident",
        "李娜",
        "13912345678",
    )


def test_disabled_user_holds_no_grants_and_enabling_restores_them(personas: Personas):
    cadre = personas.street_a_cadre
    assert cadre.has_action("orgs.view")

    services.user_disable(actor=personas.system_admin, user=cadre)

    reloaded = User.objects.get(pk=cadre.pk)
    assert not reloaded.is_active
    assert not reloaded.has_action("orgs.view")
    assert not Post.objects.current().filter(user=cadre).exists()

    services.user_enable(actor=personas.system_admin, user=reloaded)

    assert User.objects.get(pk=cadre.pk).has_action("orgs.view")


def test_system_admin_cannot_disable_her_own_account(personas: Personas):
    with pytest.raises(ValidationError) as raised:
        services.user_disable(actor=personas.system_admin, user=personas.system_admin)

    assert errors_of(raised) == "不能停用自己的账号。"
    assert User.objects.get(pk=personas.system_admin.pk).is_active


def test_password_reset_forces_a_change_at_next_sign_in(personas: Personas):
    target = personas.resident

    services.user_password_reset(
        actor=personas.system_admin, user=target, new_password=NEW_PASSWORD
    )

    target.refresh_from_db()
    assert target.check_password(NEW_PASSWORD)
    assert not target.check_password(TEST_PASSWORD)
    assert target.must_change_password


def test_password_reset_refuses_a_weak_password_and_keeps_the_old_one(personas: Personas):
    target = personas.resident

    with pytest.raises(ValidationError) as raised:
        services.user_password_reset(actor=personas.system_admin, user=target, new_password="short")

    assert "new_password" in raised.value.message_dict
    target.refresh_from_db()
    assert target.check_password(TEST_PASSWORD)
    assert not target.must_change_password


def test_password_change_is_audited_without_the_hash(personas: Personas):
    target = personas.resident

    services.user_password_reset(
        actor=personas.system_admin, user=target, new_password=NEW_PASSWORD
    )

    entry = AuditEntry.objects.filter(model_label="accounts.User", object_pk=str(target.pk)).last()
    assert entry is not None
    assert entry.actor_username == "sysadmin"
    assert entry.after["must_change_password"] is True
    assert target.password not in str(entry.after)


# --- roles -----------------------------------------------------------------------------------


def test_role_action_change_shows_before_and_after_in_the_audit_trail(personas: Personas):
    cadre_role = role("community_cadre")
    before = list(cadre_role.actions)

    services.role_update(
        actor=personas.security_admin,
        role=cadre_role,
        name=cadre_role.name,
        description=cadre_role.description,
        actions=["orgs.view"],
    )

    entry = AuditEntry.objects.filter(
        model_label="accounts.Role", object_pk=str(cadre_role.pk), kind=AuditEntry.Kind.UPDATE
    ).last()
    assert entry is not None
    assert entry.actor_username == "secadmin"
    assert entry.before["actions"] == before
    assert entry.after["actions"] == ["orgs.view"]


def test_role_update_takes_effect_for_the_holders(personas: Personas):
    services.role_update(
        actor=personas.security_admin,
        role=role("community_cadre"),
        name="社区妇联干部",
        description="",
        actions=["orgs.view"],
    )

    assert not User.objects.get(pk=personas.community_a1_cadre.pk).has_action("orgs.export")


def test_unknown_action_is_refused_by_name(personas: Personas):
    with pytest.raises(ValidationError) as raised:
        services.role_update(
            actor=personas.security_admin,
            role=role("community_cadre"),
            name="社区妇联干部",
            description="",
            actions=["orgs.view", "orgs.fly"],
        )

    assert raised.value.message_dict["actions"] == ["未知的动作：orgs.fly"]
    assert "orgs.fly" not in Role.objects.get(code="community_cadre").actions


def test_role_create_adds_a_business_role_with_sorted_unique_actions(personas: Personas):
    created = services.role_create(
        actor=personas.security_admin,
        code="grid_worker",
        name="网格员",
        actions=["orgs.view", "orgs.view"],
    )

    assert (created.code, created.admin_duty, created.actions) == ("grid_worker", "", ["orgs.view"])


def test_role_create_refuses_a_bad_or_taken_code(personas: Personas):
    with pytest.raises(ValidationError) as taken:
        services.role_create(
            actor=personas.security_admin, code="resident", name="居民二", actions=[]
        )
    with pytest.raises(ValidationError) as bad:
        services.role_create(actor=personas.security_admin, code="网格", name="网格员", actions=[])

    assert taken.value.message_dict["code"] == ["角色代码“resident”已被使用。"]
    assert "小写字母开头" in bad.value.message_dict["code"][0]


def test_admin_role_must_require_two_factors(personas: Personas):
    with pytest.raises(ValidationError) as raised:
        services.role_update(
            actor=personas.security_admin,
            role=role("audit_admin"),
            name="审计管理员",
            description="",
            actions=["audit.view"],
            requires_two_factor=False,
        )

    assert raised.value.message_dict["requires_two_factor"] == ["管理员角色必须启用双因素认证。"]


# --- posts -----------------------------------------------------------------------------------


def test_post_create_grants_the_role_over_the_subtree(tree: Tree, personas: Personas):
    newcomer = UserFactory(username="newcomer")

    post = services.post_create(
        actor=personas.security_admin,
        user=newcomer,
        org=tree.community_a2,
        role=role("community_cadre"),
        title="主席",
    )

    assert post.valid_from == timezone.localdate()
    assert User.objects.get(pk=newcomer.pk).has_action("orgs.view", tree.community_a2)
    assert not User.objects.get(pk=newcomer.pk).has_action("orgs.view", tree.community_a1)


def test_duplicate_post_is_refused_in_chinese(tree: Tree, personas: Personas):
    with pytest.raises(ValidationError) as raised:
        services.post_create(
            actor=personas.security_admin,
            user=personas.street_a_cadre,
            org=tree.street_a,
            role=role("street_cadre"),
        )

    assert errors_of(raised) == "该用户在此组织已担任此角色。"
    assert Post.objects.filter(user=personas.street_a_cadre).count() == 1


def test_post_end_dates_before_its_start_are_refused(tree: Tree, personas: Personas):
    newcomer = UserFactory(username="newcomer")
    start = timezone.localdate() + datetime.timedelta(days=10)

    with pytest.raises(ValidationError) as raised:
        services.post_create(
            actor=personas.security_admin,
            user=newcomer,
            org=tree.street_a,
            role=role("street_cadre"),
            valid_from=start,
            valid_to=start - datetime.timedelta(days=1),
        )

    assert raised.value.message_dict["valid_to"] == ["任职止日期不能早于任职起日期。"]
    assert not Post.objects.filter(user=newcomer).exists()


def test_disabled_user_cannot_be_given_a_post(tree: Tree, personas: Personas):
    gone = UserFactory(username="gone", is_active=False)

    with pytest.raises(ValidationError) as raised:
        services.post_create(
            actor=personas.security_admin, user=gone, org=tree.street_a, role=role("street_cadre")
        )

    assert "已停用" in errors_of(raised)


def test_ending_a_post_today_stops_it_granting_at_once_and_keeps_the_record(
    tree: Tree, personas: Personas
):
    post = Post.objects.get(user=personas.street_a_cadre)
    today = timezone.localdate()

    services.post_end(actor=personas.security_admin, post=post, on=today)

    post.refresh_from_db()
    assert post.valid_to == today
    assert not User.objects.get(pk=personas.street_a_cadre.pk).has_action("orgs.view")
    assert Post.objects.filter(pk=post.pk).exists()


def test_ending_a_post_later_keeps_it_granting_until_then(tree: Tree, personas: Personas):
    post = Post.objects.get(user=personas.street_a_cadre)
    last_day = timezone.localdate() + datetime.timedelta(days=30)

    services.post_end(actor=personas.security_admin, post=post, on=last_day)

    assert User.objects.get(pk=personas.street_a_cadre.pk).has_action("orgs.view")
    assert (
        Post.objects.current(on=last_day + datetime.timedelta(days=1)).filter(pk=post.pk).count()
        == 0
    )


def test_ending_an_ended_post_or_before_its_start_is_refused(tree: Tree, personas: Personas):
    post = Post.objects.get(user=personas.street_a_cadre)
    post.valid_from = timezone.localdate()
    post.save()

    with pytest.raises(ValidationError) as too_early:
        services.post_end(
            actor=personas.security_admin,
            post=post,
            on=post.valid_from - datetime.timedelta(days=1),
        )
    services.post_end(actor=personas.security_admin, post=post, on=timezone.localdate())
    with pytest.raises(ValidationError) as twice:
        services.post_end(actor=personas.security_admin, post=post, on=timezone.localdate())

    assert "结束日期不能早于任职起日期" in too_early.value.message_dict["on"][0]
    assert errors_of(twice) == "该岗位已经结束。"


def test_reappointment_reopens_the_ended_post_and_the_trail_keeps_the_first_term(
    tree: Tree, personas: Personas
):
    post = Post.objects.get(user=personas.street_a_cadre)
    services.post_end(actor=personas.security_admin, post=post, on=timezone.localdate())

    again = services.post_create(
        actor=personas.security_admin,
        user=personas.street_a_cadre,
        org=tree.street_a,
        role=role("street_cadre"),
    )

    assert again.pk == post.pk
    assert User.objects.get(pk=personas.street_a_cadre.pk).has_action("orgs.view")
    ended = AuditEntry.objects.filter(
        model_label="accounts.Post", object_pk=str(post.pk), kind=AuditEntry.Kind.UPDATE
    ).first()
    assert ended is not None
    assert ended.after["valid_to"] == str(timezone.localdate())
