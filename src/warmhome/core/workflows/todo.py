"""The to-do source "due soon / overdue" over every workflow record the user may act on."""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from warmhome.core.todo import TodoItem, register
from warmhome.core.workflows.definitions import get_workflow
from warmhome.core.workflows.selectors import records_due_for, workflow_models

SOURCE = "core.workflows"


def _title(record: Any) -> str:
    # A module whose records name a person renders the title through the person renderer.
    todo_title = getattr(record, "todo_title", None)
    return str(todo_title()) if callable(todo_title) else str(record)


def _url(record: Any) -> str:
    get_url = getattr(record, "get_absolute_url", None)
    return str(get_url()) if callable(get_url) else ""


def workflow_due_items(user: Any) -> list[TodoItem]:
    """One item per record due within ``WORKFLOW_DUE_SOON_DAYS`` or overdue."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    today = timezone.localdate()
    items = []
    for model in workflow_models():
        workflow = get_workflow(model.workflow_key)
        for record in records_due_for(user, model, today=today):
            due = record.due_at
            if due is None:  # filtered out by the query already
                continue
            overdue = due < today
            values = {"state": workflow.state_label(record.state), "due": due.isoformat()}
            items.append(
                TodoItem(
                    title=_("%(workflow)s：%(record)s")
                    % {"workflow": workflow.label, "record": _title(record)},
                    url=_url(record),
                    source=SOURCE,
                    due=due,
                    overdue=overdue,
                    detail=(
                        _("已逾期（期限 %(due)s），当前状态：%(state)s") % values
                        if overdue
                        else _("将于 %(due)s 到期，当前状态：%(state)s") % values
                    ),
                )
            )
    return items


register(SOURCE, workflow_due_items)
