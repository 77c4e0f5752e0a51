from django.utils.translation import gettext_lazy as _

from warmhome.core.actions import register

register("rules.view", _("查看政策参数与节假日安排"))
register("rules.manage", _("维护政策参数与节假日安排"))
register(
    "rules.manage_security",
    _("维护登录安全策略（密码期限、登录锁定、会话超时）"),
    admin_duty="security",
)
