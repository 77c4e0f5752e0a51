"""Account actions, split by the three separated administrator duties (三员分立)."""

from django.utils.translation import gettext_lazy as _

from warmhome.core.actions import register

# System administrator: accounts exist and work.
register("accounts.manage_users", _("管理用户账号"), admin_duty="system")
register("accounts.export", _("导出用户名册"), admin_duty="system")
register("core.view_jobs", _("查看后台任务"), admin_duty="system")
# Security administrator: who may do what, where.
register("accounts.manage_roles", _("管理角色授权"), admin_duty="security")
register("accounts.manage_posts", _("管理用户岗位"), admin_duty="security")
# Audit administrator: reads the trail, changes nothing.
register("audit.view", _("查看审计日志"), admin_duty="audit")
register("audit.export", _("导出审计日志"), admin_duty="audit")
