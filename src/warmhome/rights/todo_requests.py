"""To-do of help requests: the user's own requests near their deadline or overdue, and the
overdue requests of the units below that were escalated to the user's organisation."""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from warmhome.core.todo import TodoItem, register
from warmhome.core.workflows import get_workflow
from warmhome.rights.models import RequestReview
from warmhome.rights.selectors_requests import due_for_handler, escalated_to
from warmhome.rights.workflow_requests import HANDLE

SOURCE = "rights.requests"


def help_request_items(user: Any) -> list[TodoItem]:
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    today = timezone.localdate()
    workflow = get_workflow("help_request")
    items = []
    for request in due_for_handler(user, today=today):
        due = request.due_at
        if due is None:
            continue
        values = {"state": workflow.state_label(request.state), "due": due.isoformat()}
        items.append(
            TodoItem(
                title=_("求助信访：%(record)s") % {"record": request.todo_title()},
                url=request.get_absolute_url(),
                source=SOURCE,
                due=due,
                overdue=due < today,
                detail=(
                    _("已逾期（期限 %(due)s），当前状态：%(state)s") % values
                    if due < today
                    else _("将于 %(due)s 到期，当前状态：%(state)s") % values
                ),
            )
        )
    for escalation in escalated_to(user, today=today):
        request = escalation.request
        items.append(
            TodoItem(
                title=_("逾期督办：%(record)s（%(org)s）")
                % {"record": request.todo_title(), "org": escalation.from_org.name},
                url=request.get_absolute_url(),
                source=SOURCE,
                due=escalation.due_on,
                overdue=True,
                detail=_("%(stage)s，期限 %(due)s")
                % {"stage": escalation.get_stage_display(), "due": escalation.due_on.isoformat()},
            )
        )
    items.extend(_review_items(user, today))
    return items


def _review_items(user: Any, today: Any) -> list[TodoItem]:
    """Reviews and re-reviews the user's organisations must decide."""
    pending = (
        RequestReview.objects.visible_to(user, HANDLE)
        .pending()
        .select_related("request")
        .order_by("due_on", "pk")[:50]
    )
    return [
        TodoItem(
            title=review.todo_title(),
            url=review.request.get_absolute_url(),
            source=SOURCE,
            due=review.due_on,
            overdue=review.due_on < today,
            detail=_("请在 %(due)s 前作出意见") % {"due": review.due_on.isoformat()},
        )
        for review in pending
    ]


register(SOURCE, help_request_items)
