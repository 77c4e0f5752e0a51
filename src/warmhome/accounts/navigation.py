from django.utils.translation import gettext_lazy as _

from warmhome.core.navigation import MenuEntry, register

_ADMIN = _("系统管理")

register(
    MenuEntry(
        key="users",
        label=_("用户账号"),
        url_name="accounts:user_list",
        action="accounts.manage_users",
        group=_ADMIN,
        order=900,
        icon="users",
    )
)
register(
    MenuEntry(
        key="roles",
        label=_("角色授权"),
        url_name="accounts:role_list",
        action="accounts.manage_roles",
        group=_ADMIN,
        order=910,
        icon="shield",
    )
)
register(
    MenuEntry(
        key="posts",
        label=_("用户岗位"),
        url_name="accounts:post_list",
        action="accounts.manage_posts",
        group=_ADMIN,
        order=920,
        icon="id-badge",
    )
)
register(
    MenuEntry(
        key="audit",
        label=_("审计日志"),
        url_name="core:audit_list",
        action="audit.view",
        group=_ADMIN,
        order=930,
        icon="list-check",
    )
)
