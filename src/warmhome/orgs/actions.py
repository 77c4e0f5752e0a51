from django.utils.translation import gettext_lazy as _

from warmhome.core.actions import register

register("orgs.view", _("查看组织"))
register("orgs.change", _("维护组织"))
register("orgs.export", _("导出组织"))
register("orgs.manage_checklist", _("维护组织建设阶段标准"))
