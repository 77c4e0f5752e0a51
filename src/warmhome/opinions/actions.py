from django.utils.translation import gettext_lazy as _

from warmhome.core.actions import register

register("opinions.view", _("查看妇情民意"))
register("opinions.submit", _("反映妇情民意（代表、执委、委员履职）"))
register("opinions.change", _("核对分类、交办与跟踪妇情民意"))
register("opinions.classify", _("维护关键词规则与训练分类模型"))
register("opinions.report", _("编写与印发妇情民意分析报告"))
register("opinions.export", _("导出妇情民意"))
