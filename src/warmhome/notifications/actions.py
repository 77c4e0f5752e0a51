from django.utils.translation import gettext_lazy as _

from warmhome.core.actions import register

register("notifications.view_outbox", _("查看消息发送队列"), admin_duty="system")
