"""The two paths an opinion can take after intake: a follow-up handed to someone with a
deadline, and a proposal (提案 / 建议) carried by a deputy or member to the government."""

from django.utils.translation import gettext_lazy as _

from warmhome.core.workflows import DueRule, State, Transition, TransitionField, Workflow, register

RESPONSE_DUE = DueRule("opinions.followup_working_days", "working")

FOLLOWUP = register(
    Workflow(
        key="opinion_followup",
        label=_("妇情民意交办"),
        initial="assigned",
        initial_due=RESPONSE_DUE,
        states=(
            State("assigned", _("办理中")),
            State("done", _("已办结"), final=True),
            State("cancelled", _("已撤销"), final=True),
        ),
        transitions=(
            Transition(
                "respond",
                _("答复办理结果"),
                sources=("assigned",),
                target="done",
                action="opinions.change",
                fields=(TransitionField("outcome", _("办理结果"), store_on_record=True),),
            ),
            Transition(
                "cancel",
                _("撤销交办"),
                sources=("assigned",),
                target="cancelled",
                action="opinions.change",
                comment_required=True,
            ),
        ),
    )
)

PROPOSAL = register(
    Workflow(
        key="opinion_proposal",
        label=_("提案与建议"),
        initial="draft",
        states=(
            State("draft", _("起草中")),
            State("submitted", _("已提交待答复")),
            State("replied", _("已答复"), final=True),
            State("withdrawn", _("已撤回"), final=True),
        ),
        transitions=(
            Transition(
                "submit",
                _("提交"),
                sources=("draft",),
                target="submitted",
                action="opinions.change",
            ),
            Transition(
                "record_reply",
                _("登记答复与落实情况"),
                sources=("submitted",),
                target="replied",
                action="opinions.change",
                fields=(
                    TransitionField("reply", _("政府部门答复"), store_on_record=True),
                    TransitionField("changes", _("落实情况"), required=False, store_on_record=True),
                ),
            ),
            Transition(
                "withdraw",
                _("撤回"),
                sources=("draft", "submitted"),
                target="withdrawn",
                action="opinions.change",
                comment_required=True,
            ),
        ),
    )
)
