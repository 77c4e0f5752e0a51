"""The path of a help request (DOMAIN.md §5) and the policy keys of its deadlines.

received → accepted (or not accepted with a reason, or transferred to another organisation and
received there) → handling (extended once with a reason, approved by the level above) → replied
→ follow-up call: closed with the requester's satisfaction, or reopened when she is not
satisfied.

The deadlines (accept within 15 days, handle within 60, extend ≤ 30; calendar or working days)
are the ``petition.*`` policy keys; ``rights.services_requests`` writes them to ``due_at``
itself instead of declaring ``DueRule``s, because the handling deadline runs from the day of
acceptance and an extension adds to the running deadline, and because the reminders follow
their own horizon (``rights.request_alert_days``) and escalate to the level above
(``rights.todo_requests``) instead of the engine's generic due list.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _

from warmhome.core.workflows import State, Transition, TransitionField, Workflow, register
from warmhome.orgs.models import OrgUnit
from warmhome.rules.policies import DAYS, PolicySpec
from warmhome.rules.policies import register as register_policy

HANDLE = "rights.request_handle"

register_policy(
    PolicySpec(
        "rights.request_alert_days",
        _("求助信访事项到期提醒天数"),
        DAYS,
        "int",
        3,
        _("[assumed] 待区妇联确定"),
        _("受理或办理期限前这么多天起，在待办中提醒承办单位。"),
        minimum=0,
        maximum=30,
        group=_("信访与维权"),
    )
)


def _extension_approved_above(actor: Any, record: Any, fields: dict[str, Any]) -> str | None:
    """An extension is approved by the level above the organisation handling the request."""
    parent = OrgUnit.objects.get_parent(record.org)
    if parent is not None and not actor.has_action(HANDLE, parent):
        return str(_("延期须由上一级组织批准：您没有上级组织的办理权限。"))
    return None


def _only_when_unsatisfied(actor: Any, record: Any, fields: dict[str, Any]) -> str | None:
    if fields.get("satisfaction") != "unsatisfied":
        return str(_("只有求助人不满意时才能重新办理。"))
    return None


def _only_by_a_review(actor: Any, record: Any, fields: dict[str, Any]) -> str | None:
    """Each review decision "redo" (recorded first, in the same transaction) allows one redo."""
    from django.contrib.contenttypes.models import ContentType

    from warmhome.core.models import TransitionLog

    ordered = record.reviews.filter(decision="redo").count()
    done = TransitionLog.objects.filter(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        transition="redo",
    ).count()
    if ordered <= done:
        return str(_("只有复查（复核）意见才能责令重新办理。"))
    return None


_SATISFACTION = TransitionField("satisfaction", _("满意度"))
_NOTE = TransitionField("followup_note", _("回访记录"), required=False)

HELP_REQUEST = register(
    Workflow(
        key="help_request",
        label=_("求助信访"),
        initial="received",
        states=(
            State("received", _("已登记待受理")),
            State("accepted", _("已受理待办理")),
            State("handling", _("办理中")),
            State("replied", _("已答复待回访")),
            State("closed", _("已办结"), final=True),
            State("not_accepted", _("不予受理"), final=True),
        ),
        transitions=(
            Transition(
                "accept", _("受理"), sources=("received",), target="accepted", action=HANDLE
            ),
            Transition(
                "not_accept",
                _("不予受理"),
                sources=("received",),
                target="not_accepted",
                action=HANDLE,
                comment_required=True,
            ),
            Transition(
                "transfer",
                _("转办"),
                sources=("received", "accepted"),
                target="received",
                action=HANDLE,
                comment_required=True,
                fields=(TransitionField("to_org", _("转入单位")),),
            ),
            Transition(
                "start", _("开始办理"), sources=("accepted",), target="handling", action=HANDLE
            ),
            Transition(
                "extend",
                _("延期"),
                sources=("handling",),
                target="handling",
                action=HANDLE,
                comment_required=True,
                fields=(TransitionField("days", _("延期天数")),),
                guard=_extension_approved_above,
            ),
            Transition(
                "reply",
                _("答复"),
                sources=("accepted", "handling"),
                target="replied",
                action=HANDLE,
                fields=(
                    TransitionField("reply_text", _("答复内容")),
                    TransitionField("reply_channel", _("答复方式")),
                    TransitionField("outcome", _("办理结果")),
                ),
            ),
            Transition(
                "close",
                _("回访并办结"),
                sources=("replied",),
                target="closed",
                action=HANDLE,
                fields=(_SATISFACTION, _NOTE),
            ),
            Transition(
                "reopen",
                _("回访不满意，重新办理"),
                sources=("replied",),
                target="handling",
                action=HANDLE,
                comment_required=True,
                fields=(_SATISFACTION, _NOTE),
                guard=_only_when_unsatisfied,
            ),
            # Taken by the unit that decides a review (rights.services_reviews), never a step
            # of the request's own page.
            Transition(
                "redo",
                _("复查（复核）责令重新办理"),
                sources=("replied", "closed"),
                target="handling",
                action=HANDLE,
                comment_required=True,
                fields=(TransitionField("review", _("复查（复核）")),),
                guard=_only_by_a_review,
                reopens=True,
            ),
        ),
    )
)

OPEN_STATES = ("received", "accepted", "handling", "replied")
#: the states whose deadline runs (a replied request waits for the follow-up call only)
DUE_STATES = ("received", "accepted", "handling")
