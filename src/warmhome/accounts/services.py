"""Writing accounts, roles and posts."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from warmhome.accounts.default_roles import DEFAULT_ROLES
from warmhome.accounts.models import Post, Role, User
from warmhome.core import actions as action_registry
from warmhome.orgs.models import OrgUnit


def _validate_role_actions(*, admin_duty: str, actions: list[str]) -> None:
    unknown = [code for code in actions if not action_registry.is_registered(code)]
    if unknown:
        raise ValidationError(
            {"actions": _("未知的动作：%(codes)s") % {"codes": "、".join(sorted(unknown))}}
        )
    duties = {action_registry.get(code).admin_duty for code in actions} - {""}
    if len(duties) > 1 or (duties and duties != {admin_duty}):
        raise ValidationError(
            {
                "actions": _(
                    "系统管理、安全管理和审计管理的权限必须分属不同角色（三员分立），"
                    "且只能授予相应职责的管理员角色。"
                )
            }
        )


@transaction.atomic
def roles_ensure_defaults() -> int:
    """Create the default roles that do not exist yet; return how many were created."""
    created = 0
    for spec in DEFAULT_ROLES:
        if Role.objects.filter(code=spec["code"]).exists():
            continue
        actions = [code for code in spec["actions"] if action_registry.is_registered(code)]
        Role.objects.create(
            code=spec["code"],
            name=str(spec["name"]),
            description=str(spec.get("description", "")),
            admin_duty=spec.get("admin_duty", ""),
            requires_two_factor=spec.get("requires_two_factor", False),
            actions=actions,
        )
        created += 1
    return created


@transaction.atomic
def post_create(
    *,
    actor: Any,
    user: User,
    org: OrgUnit,
    role: Role,
    title: str = "",
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
) -> Post:
    """Give ``user`` a post; the three administrator duties never meet in one person."""
    if role.admin_duty:
        other_duties = (
            Post.objects.current()
            .filter(user=user)
            .exclude(role__admin_duty__in=["", role.admin_duty])
        )
        if other_duties.exists():
            raise ValidationError(
                _("该用户已担任其他类别的管理员岗位，系统、安全、审计管理员不能由同一人兼任。")
            )
    if Post.objects.filter(user=user, org=org, role=role).exists():
        raise ValidationError(_("该用户在此组织已担任此角色。"))
    if valid_from and valid_to and valid_to < valid_from:
        raise ValidationError({"valid_to": _("任职止日期不能早于任职起日期。")})
    post = Post.objects.create(
        user=user,
        org=org,
        role=role,
        title=title,
        valid_from=valid_from or timezone.localdate(),
        valid_to=valid_to,
    )
    user.forget_grants()
    return post
