from django.utils.translation import gettext_lazy as _

from warmhome.core.navigation import MenuEntry, register

_GROUP = _("维权与反家暴")

for _entry in (
    MenuEntry(
        key="rights_cases",
        label=_("反家暴个案"),
        url_name="rights:case_list",
        action="rights.view",
        group=_GROUP,
        order=60,
        icon="shield-lock",
    ),
    MenuEntry(
        key="rights_counts",
        label=_("反家暴个案统计"),
        url_name="rights:counts",
        action="rights.view_counts",
        group=_GROUP,
        order=61,
        icon="chart-bar",
    ),
    MenuEntry(
        key="rights_break_glass",
        label=_("紧急查阅记录"),
        url_name="rights:break_glass_report",
        action="rights.supervise",
        group=_GROUP,
        order=62,
        icon="alert-triangle",
    ),
):
    register(_entry)
