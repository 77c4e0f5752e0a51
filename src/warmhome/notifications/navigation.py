from django.utils.translation import gettext_lazy as _

from warmhome.core.navigation import MenuEntry, register

register(
    MenuEntry(
        key="notifications_outbox",
        label=_("消息发送队列"),
        url_name="notifications:message_outbox",
        action="notifications.view_outbox",
        group=_("系统管理"),
        order=950,
        icon="send",
    )
)
