from django.utils.translation import gettext_lazy as _

from warmhome.core.navigation import MenuEntry, register

register(
    MenuEntry(
        key="activities",
        label=_("活动管理"),
        url_name="activities:activity_list",
        action="activities.view",
        group=_("活动与志愿服务"),
        order=40,
        icon="calendar-event",
    )
)
