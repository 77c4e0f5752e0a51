"""The activity workflow: draft → published → under way → finished → summarised, or cancelled."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from warmhome.core.workflows import State, Transition, Workflow, register

CHANGE = "activities.change"


def _summary_written(actor: Any, record: Any, fields: dict[str, Any]) -> str | None:
    if not (record.summary or "").strip():
        return str(_("请先填写活动总结，再标记为已总结。"))
    if record.kind.code == "salon" and not (record.minutes or "").strip():
        return str(_("沙龙活动请先填写沙龙纪要。"))
    return None


ACTIVITY = register(
    Workflow(
        key="activity",
        label=_("活动"),
        initial="draft",
        states=(
            State("draft", _("草稿")),
            State("published", _("已发布")),
            State("under_way", _("进行中")),
            State("finished", _("已结束")),
            State("summarised", _("已总结"), final=True),
            State("cancelled", _("已取消"), final=True),
        ),
        transitions=(
            Transition("publish", _("发布"), sources=("draft",), target="published", action=CHANGE),
            Transition(
                "start", _("开始活动"), sources=("published",), target="under_way", action=CHANGE
            ),
            Transition(
                "finish",
                _("结束活动"),
                sources=("published", "under_way"),
                target="finished",
                action=CHANGE,
            ),
            Transition(
                "summarise",
                _("完成总结"),
                sources=("finished",),
                target="summarised",
                action=CHANGE,
                guard=_summary_written,
            ),
            Transition(
                "cancel",
                _("取消活动"),
                sources=("draft", "published", "under_way"),
                target="cancelled",
                action=CHANGE,
                comment_required=True,
            ),
        ),
    )
)

#: states in which people may sign up and check in
OPEN_STATES = ("published", "under_way")
#: states in which the organiser may still edit the activity's facts
EDITABLE_STATES = ("draft", "published", "under_way", "finished")
