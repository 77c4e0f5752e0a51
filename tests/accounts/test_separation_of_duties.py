"""三员分立: the system, security and audit administrators cannot do one another's work.

The system administrator manages accounts; the security administrator manages roles and posts;
the audit administrator only reads the audit trail. Each rule is checked in the service (so the
API and commands obey it too) and in the pages (which answer 404 to the others).
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from tests.conftest import Personas, Tree
from tests.factories import UserFactory, role, user_with_post
from warmhome.accounts import services
from warmhome.accounts.models import Post, Role, User
from warmhome.core.models import AuditEntry

NEW_PASSWORD = "Spring-garden-2026"
AUDIT_URL = "/work/audit/"


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def denial_logged(username: str, service: str) -> bool:
    return AuditEntry.objects.filter(
        kind=AuditEntry.Kind.SECURITY,
        event="permission_denied",
        actor_username=username,
        detail__service=service,
    ).exists()


def create_user(actor: User) -> User:
    return services.user_create(
        actor=actor, username="newcomer", display_name="新同志", initial_password=NEW_PASSWORD
    )


def change_role(actor: User) -> Role:
    cadre = role("community_cadre")
    return services.role_update(
        actor=actor, role=cadre, name=cadre.name, description="", actions=["orgs.view"]
    )


def give_post(actor: User, tree: Tree, user: User) -> Post:
    return services.post_create(
        actor=actor, user=user, org=tree.community_a2, role=role("community_cadre")
    )


# --- system administrator --------------------------------------------------------------------


def test_system_admin_can_create_a_user(personas: Personas):
    user = create_user(personas.system_admin)

    assert user.must_change_password


def test_system_admin_cannot_change_a_role_and_the_refusal_is_audited(personas: Personas):
    before = list(role("community_cadre").actions)

    with pytest.raises(PermissionDenied, match="管理角色授权"):
        change_role(personas.system_admin)

    assert role("community_cadre").actions == before
    assert denial_logged("sysadmin", "role_update")


def test_system_admin_cannot_give_a_post(tree: Tree, personas: Personas):
    with pytest.raises(PermissionDenied):
        give_post(personas.system_admin, tree, personas.resident)

    assert not Post.objects.filter(user=personas.resident, org=tree.community_a2).exists()
    assert denial_logged("sysadmin", "post_create")


def test_system_admin_cannot_open_the_role_post_or_audit_pages(personas: Personas):
    client = signed_in(personas.system_admin)

    assert client.get(reverse("accounts:user_list")).status_code == 200
    assert client.get(reverse("accounts:role_list")).status_code == 404
    assert client.get(reverse("accounts:post_list")).status_code == 404
    assert client.get(reverse("accounts:post_create")).status_code == 404
    assert client.get(AUDIT_URL).status_code == 404


# --- security administrator ------------------------------------------------------------------


def test_security_admin_can_change_roles_and_posts(tree: Tree, personas: Personas):
    change_role(personas.security_admin)
    give_post(personas.security_admin, tree, personas.resident)

    assert role("community_cadre").actions == ["orgs.view"]
    assert Post.objects.filter(user=personas.resident, org=tree.community_a2).exists()


def test_security_admin_cannot_create_users(personas: Personas):
    with pytest.raises(PermissionDenied, match="管理用户账号"):
        create_user(personas.security_admin)

    assert not User.objects.filter(username="newcomer").exists()
    assert denial_logged("secadmin", "user_create")


def test_security_admin_cannot_disable_or_reset_accounts(personas: Personas):
    with pytest.raises(PermissionDenied):
        services.user_disable(actor=personas.security_admin, user=personas.resident)
    with pytest.raises(PermissionDenied):
        services.user_password_reset(
            actor=personas.security_admin, user=personas.resident, new_password=NEW_PASSWORD
        )

    assert User.objects.get(pk=personas.resident.pk).is_active


def test_security_admin_cannot_open_the_user_or_audit_pages(personas: Personas):
    client = signed_in(personas.security_admin)

    assert client.get(reverse("accounts:role_list")).status_code == 200
    assert client.get(reverse("accounts:post_list")).status_code == 200
    assert client.get(reverse("accounts:user_list")).status_code == 404
    assert client.get(reverse("accounts:user_create")).status_code == 404
    assert client.get(AUDIT_URL).status_code == 404


def test_nobody_grants_herself_a_post(tree: Tree, personas: Personas):
    with pytest.raises(PermissionDenied, match="不能给自己安排岗位"):
        give_post(personas.security_admin, tree, personas.security_admin)

    assert Post.objects.filter(user=personas.security_admin).count() == 1


def test_nobody_edits_the_actions_of_a_role_she_holds(personas: Personas):
    own_role = role("security_admin")
    before = list(own_role.actions)

    with pytest.raises(PermissionDenied, match="不能修改自己所担任的角色"):
        services.role_update(
            actor=personas.security_admin,
            role=own_role,
            name=own_role.name,
            description="",
            actions=[*before, "accounts.manage_users"],
        )

    assert role("security_admin").actions == before


def test_nobody_ends_her_own_post(personas: Personas):
    own_post = Post.objects.get(user=personas.security_admin)

    with pytest.raises(PermissionDenied, match="不能结束自己的岗位"):
        services.post_end(actor=personas.security_admin, post=own_post, on=own_post.valid_from)


# --- audit administrator ---------------------------------------------------------------------


def test_audit_admin_can_read_the_audit_page(personas: Personas):
    assert signed_in(personas.audit_admin).get(AUDIT_URL).status_code == 200


def test_audit_admin_cannot_change_anything(tree: Tree, personas: Personas):
    auditor = personas.audit_admin

    for attempt in (
        lambda: create_user(auditor),
        lambda: change_role(auditor),
        lambda: give_post(auditor, tree, personas.resident),
        lambda: services.user_disable(actor=auditor, user=personas.resident),
    ):
        with pytest.raises(PermissionDenied):
            attempt()

    assert not User.objects.filter(username="newcomer").exists()
    assert User.objects.get(pk=personas.resident.pk).is_active


def test_audit_admin_cannot_open_any_administration_page(personas: Personas):
    client = signed_in(personas.audit_admin)

    for name in ("user_list", "user_create", "role_list", "role_create", "post_list"):
        assert client.get(reverse(f"accounts:{name}")).status_code == 404, name


# --- duties never meet -----------------------------------------------------------------------


def test_one_person_cannot_hold_system_and_security_posts(tree: Tree, personas: Personas):
    with pytest.raises(ValidationError, match="不能由同一人兼任"):
        services.post_create(
            actor=personas.security_admin,
            user=personas.system_admin,
            org=tree.district,
            role=role("security_admin"),
        )

    assert not Post.objects.filter(user=personas.system_admin, role__code="security_admin")


def test_a_future_audit_post_also_blocks_a_system_post(tree: Tree, personas: Personas):
    import datetime

    from django.utils import timezone

    newcomer = UserFactory(username="newcomer")
    services.post_create(
        actor=personas.security_admin,
        user=newcomer,
        org=tree.district,
        role=role("audit_admin"),
        valid_from=timezone.localdate() + datetime.timedelta(days=7),
    )

    with pytest.raises(ValidationError, match="不能由同一人兼任"):
        services.post_create(
            actor=personas.security_admin,
            user=newcomer,
            org=tree.district,
            role=role("system_admin"),
        )


def test_a_business_role_cannot_be_given_audit_view(personas: Personas):
    cadre = role("street_cadre")

    with pytest.raises(ValidationError) as raised:
        services.role_update(
            actor=personas.security_admin,
            role=cadre,
            name=cadre.name,
            description="",
            actions=[*cadre.actions, "audit.view"],
        )

    assert raised.value.message_dict["actions"] == [
        "业务角色不能授予管理员权限：查看审计日志（audit.view）。"
    ]
    assert "audit.view" not in role("street_cadre").actions


def test_an_administrator_role_cannot_mix_duties(personas: Personas):
    with pytest.raises(ValidationError) as raised:
        services.role_create(
            actor=personas.security_admin,
            code="super_auditor",
            name="超级审计",
            admin_duty="audit",
            actions=["audit.view", "accounts.manage_users"],
            requires_two_factor=True,
        )

    assert "三员分立" in raised.value.message_dict["actions"][0]
    assert "管理用户账号（accounts.manage_users）" in raised.value.message_dict["actions"][0]
    assert not Role.objects.filter(code="super_auditor").exists()


# --- scope of the security administrator -----------------------------------------------------


@pytest.fixture
def street_a_security_admin(tree: Tree) -> User:
    return user_with_post("secadmin_a", tree.street_a, "security_admin")


def test_street_a_security_admin_cannot_give_posts_in_street_b(
    tree: Tree, personas: Personas, street_a_security_admin: User
):
    with pytest.raises(PermissionDenied, match="千佛山街道"):
        services.post_create(
            actor=street_a_security_admin,
            user=personas.resident,
            org=tree.street_b,
            role=role("street_cadre"),
        )

    assert not Post.objects.filter(user=personas.resident, org=tree.street_b).exists()


def test_street_a_security_admin_gets_an_error_for_a_street_b_post_form(
    tree: Tree, personas: Personas, street_a_security_admin: User
):
    response = signed_in(street_a_security_admin).post(
        reverse("accounts:post_create"),
        {"user": personas.resident.pk, "org": tree.street_b.pk, "role": role("street_cadre").pk},
    )

    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    assert not Post.objects.filter(user=personas.resident, org=tree.street_b).exists()


def test_street_a_security_admin_gets_404_for_ending_a_street_b_post(
    personas: Personas, street_a_security_admin: User
):
    street_b_post = Post.objects.get(user=personas.street_b_cadre)
    client = signed_in(street_a_security_admin)

    url = reverse("accounts:post_end", args=[street_b_post.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"on": "2026-01-01"}).status_code == 404
    street_b_post.refresh_from_db()
    assert street_b_post.is_active
    assert street_b_post.valid_to is None
