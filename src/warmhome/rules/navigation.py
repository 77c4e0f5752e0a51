from django.utils.translation import gettext_lazy as _

from warmhome.core.navigation import MenuEntry, register

_RULES = _("规则与日历")

register(
    MenuEntry(
        key="rules_policies",
        label=_("政策参数"),
        url_name="rules:policy_list",
        action="rules.view",
        group=_RULES,
        order=800,
        icon="adjustments",
    )
)
register(
    MenuEntry(
        key="rules_calendar",
        label=_("节假日安排"),
        url_name="rules:calendarday_list",
        action="rules.view",
        group=_RULES,
        order=810,
        icon="calendar",
    )
)
