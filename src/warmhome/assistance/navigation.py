from django.utils.translation import gettext_lazy as _

from warmhome.core.navigation import MenuEntry, register

_GROUP = _("帮扶救助")

for entry in (
    MenuEntry(
        key="assistance_plans",
        label=_("帮扶计划"),
        url_name="assistance:plan_list",
        action="assistance.view",
        group=_GROUP,
        order=40,
        icon="heart-handshake",
    ),
    MenuEntry(
        key="assistance_coverage",
        label=_("帮扶覆盖情况"),
        url_name="assistance:coverage",
        action="assistance.view",
        group=_GROUP,
        order=41,
        icon="chart-bar",
    ),
    MenuEntry(
        key="assistance_levels",
        label=_("家庭风险等级"),
        url_name="assistance:level_list",
        action="assistance.view",
        group=_GROUP,
        order=42,
        icon="alert-triangle",
    ),
    MenuEntry(
        key="assistance_applications",
        label=_("救助申请"),
        url_name="assistance:application_list",
        action="assistance.view",
        group=_GROUP,
        order=43,
        icon="file-text",
    ),
    MenuEntry(
        key="assistance_budgets",
        label=_("救助金预算与台账"),
        url_name="assistance:budget_list",
        action="assistance.view",
        group=_GROUP,
        order=44,
        icon="wallet",
    ),
    MenuEntry(
        key="assistance_reports",
        label=_("救助金使用报表"),
        url_name="assistance:fund_use",
        action="assistance.export",
        group=_GROUP,
        order=45,
        icon="report",
    ),
):
    register(entry)
