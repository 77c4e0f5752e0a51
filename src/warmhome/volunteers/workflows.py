"""The two workflows of the volunteers app: hand-entered hours and certificate corrections."""

from django.utils.translation import gettext_lazy as _

from warmhome.core.workflows.definitions import State, Transition, Workflow, register

SERVICE_RECORD = register(
    Workflow(
        key="volunteers.service_record",
        label=_("志愿服务时长"),
        initial="pending",
        states=(
            State("pending", _("待审核")),
            State("approved", _("已认定")),
            State("rejected", _("未通过"), final=True),
            State("revoked", _("已撤销"), final=True),
        ),
        transitions=(
            Transition(
                "approve",
                _("审核通过"),
                sources=("pending",),
                target="approved",
                action="volunteers.approve_hours",
            ),
            Transition(
                "reject",
                _("退回"),
                sources=("pending",),
                target="rejected",
                action="volunteers.approve_hours",
                comment_required=True,
            ),
            Transition(
                "revoke",
                _("撤销记录"),
                sources=("approved",),
                target="revoked",
                action="volunteers.approve_hours",
                comment_required=True,
            ),
        ),
    )
)

#: states whose time is taken: a new record may not overlap these
HOLDING_STATES = ("pending", "approved")
#: states that count towards totals, star levels and certificates
COUNTED_STATES = ("approved",)

CERTIFICATE_CORRECTION = register(
    Workflow(
        key="volunteers.certificate_correction",
        label=_("证明更正申请"),
        initial="requested",
        states=(
            State("requested", _("待处理")),
            State("confirmed", _("已更正"), final=True),
            State("refused", _("不予更正"), final=True),
        ),
        transitions=(
            Transition(
                "confirm",
                _("确认更正"),
                sources=("requested",),
                target="confirmed",
                action="volunteers.certify",
            ),
            Transition(
                "refuse",
                _("不予更正"),
                sources=("requested",),
                target="refused",
                action="volunteers.certify",
                comment_required=True,
            ),
        ),
    )
)
