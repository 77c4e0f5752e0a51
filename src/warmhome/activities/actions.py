from django.utils.translation import gettext_lazy as _

from warmhome.core.actions import register

register("activities.view", _("查看活动"))
register("activities.change", _("组织活动（创建、发布、总结、代为报名）"))
register("activities.attendance", _("活动签到签退"))
register("activities.export", _("导出活动名单"))
