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
    MenuEntry(
        key="rights_requests",
        label=_("求助信访"),
        url_name="rights:helprequest_list",
        action="rights.request_view",
        group=_GROUP,
        order=55,
        icon="message-report",
    ),
    MenuEntry(
        key="rights_consultations",
        label=_("法律咨询"),
        url_name="rights:consultation_list",
        action="rights.request_view",
        group=_GROUP,
        order=56,
        icon="scale",
    ),
    MenuEntry(
        key="rights_request_stats",
        label=_("求助信访统计"),
        url_name="rights:helprequest_stats",
        action="rights.request_export",
        group=_GROUP,
        order=57,
        icon="chart-pie",
    ),
):
    register(_entry)
