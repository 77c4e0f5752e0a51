from django.utils.translation import gettext_lazy as _

from warmhome.core.actions import register

register("people.view", _("查看人员信息"))
register("people.change", _("维护人员信息"))
register("people.export", _("导出人员信息"))
register("people.view_sensitive", _("查看完整证件号和电话"))
register("people.shield", _("设置受保护人员"))
