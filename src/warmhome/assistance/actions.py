from django.utils.translation import gettext_lazy as _

from warmhome.core.actions import register

register("assistance.view", _("查看帮扶救助记录"))
register("assistance.change", _("维护帮扶计划与回访"))
register("assistance.export", _("导出帮扶救助报表"))
register("assistance.apply", _("提出救助申请（社区）"))
register("assistance.review", _("审核救助申请（街道）"))
register("assistance.decide", _("审批救助申请（区妇联）"))
register("assistance.pay", _("发放救助金（财务）"))
register("assistance.manage_fund", _("管理救助资金预算"))
