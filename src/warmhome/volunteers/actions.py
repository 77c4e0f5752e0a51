from django.utils.translation import gettext_lazy as _

from warmhome.core.actions import register

register("volunteers.view", _("查看志愿者与服务时长"))
register("volunteers.change", _("维护志愿者、队伍和服务记录"))
register("volunteers.approve_hours", _("审核志愿服务时长"))
register("volunteers.certify", _("出具志愿服务记录证明"))
register("volunteers.export", _("导出志愿者数据"))
# Opens the menu entry of one's own volunteer page; grants sight of no one else's records.
register("volunteers.own", _("查看本人志愿服务"))
