from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "warmhome.notifications"
    label = "notifications"
    verbose_name = _("消息通知")

    def ready(self) -> None:
        from warmhome.notifications import actions, navigation

        del actions, navigation
