"""The review path of a relief application (一事一议) and its urgent path (救急解难).

community → street → (street decides small amounts | district meeting decides) → approved →
paid; urgent: paid first by finance, ratified by the district afterwards. Transitions that move
money are taken only through ``assistance.services_fund``, which locks the budget first.
"""

from django.utils.translation import gettext_lazy as _

from warmhome.core.workflows import DueRule, State, Transition, TransitionField, Workflow, register

REVIEW_DUE = DueRule("relief.review_working_days", "working")
RATIFY_DUE = DueRule("relief.ratify_working_days", "working")

_MEETING_FIELDS = (
    TransitionField("meeting_ref", _("会议纪要编号"), store_on_record=True),
    TransitionField("attendees", _("参会人员"), store_on_record=True),
    TransitionField("decision", _("决定意见"), store_on_record=True),
)
_AMOUNT = TransitionField("amount_approved", _("批准金额"))
_PAYMENT_FIELDS = (
    TransitionField("method", _("发放方式")),
    TransitionField("voucher_number", _("凭证号")),
    _AMOUNT,
)

#: the transitions that move money (taken through ``services_fund`` only)
MONEY_TRANSITIONS = frozenset(
    {"street_approve", "district_approve", "disburse", "urgent_pay", "cancel", "return_funds"}
)

RELIEF_APPLICATION = register(
    Workflow(
        key="relief_application",
        label=_("救助申请"),
        initial="community",
        initial_due=REVIEW_DUE,
        states=(
            State("community", _("待社区提交")),
            State("street", _("待街道审核")),
            State("district", _("待区妇联研究决定")),
            State("approved", _("已批准待发放")),
            State("urgent_paid", _("救急已发放待追认")),
            State("unratified", _("未予追认待追回")),
            State("paid", _("已发放")),
            State("rejected", _("未批准"), final=True),
            State("cancelled", _("已取消"), final=True),
            State("returned", _("已退回"), final=True),
        ),
        transitions=(
            Transition(
                "community_submit",
                _("社区提交"),
                sources=("community",),
                target="street",
                action="assistance.apply",
                due=REVIEW_DUE,
            ),
            Transition(
                "community_withdraw",
                _("撤回申请"),
                sources=("community",),
                target="cancelled",
                action="assistance.apply",
                comment_required=True,
            ),
            Transition(
                "street_approve",
                _("街道批准"),
                sources=("street",),
                target="approved",
                action="assistance.review",
                fields=(_AMOUNT,),
            ),
            Transition(
                "street_forward",
                _("街道审核通过，报区妇联"),
                sources=("street",),
                target="district",
                action="assistance.review",
                due=REVIEW_DUE,
            ),
            Transition(
                "street_reject",
                _("街道不予通过"),
                sources=("street",),
                target="rejected",
                action="assistance.review",
                comment_required=True,
            ),
            Transition(
                "district_approve",
                _("区妇联研究批准"),
                sources=("district",),
                target="approved",
                action="assistance.decide",
                fields=(*_MEETING_FIELDS, _AMOUNT),
            ),
            Transition(
                "district_reject",
                _("区妇联研究不予批准"),
                sources=("district",),
                target="rejected",
                action="assistance.decide",
                comment_required=True,
                fields=_MEETING_FIELDS,
            ),
            Transition(
                "disburse",
                _("发放"),
                sources=("approved",),
                target="paid",
                action="assistance.pay",
                fields=_PAYMENT_FIELDS,
            ),
            Transition(
                "cancel",
                _("取消（释放额度）"),
                sources=("approved",),
                target="cancelled",
                action="assistance.decide",
                comment_required=True,
            ),
            Transition(
                "urgent_pay",
                _("救急先行发放"),
                sources=("community", "street", "district"),
                target="urgent_paid",
                action="assistance.pay",
                fields=_PAYMENT_FIELDS,
                due=RATIFY_DUE,
            ),
            Transition(
                "ratify",
                _("区妇联追认"),
                sources=("urgent_paid",),
                target="paid",
                action="assistance.decide",
                fields=_MEETING_FIELDS,
            ),
            Transition(
                "ratify_refuse",
                _("不予追认"),
                sources=("urgent_paid",),
                target="unratified",
                action="assistance.decide",
                comment_required=True,
                fields=_MEETING_FIELDS,
                due=REVIEW_DUE,
            ),
            Transition(
                "return_funds",
                _("退回救助金"),
                sources=("paid", "unratified"),
                target="returned",
                action="assistance.pay",
                comment_required=True,
            ),
        ),
    )
)

#: states whose approved amount counts against the budget and the yearly limits
COUNTED_STATES = ("approved", "urgent_paid", "unratified", "paid")
#: states in which an application is still open for decision
PENDING_STATES = ("community", "street", "district")
