"""To-do for the station head: open cases whose latest assessment is high risk."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from warmhome.core.todo import TodoItem, register
from warmhome.rights.selectors import high_risk_open_count


def rights_todo_items(user: Any) -> list[TodoItem]:
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    if not user.has_action("rights.supervise"):
        return []
    count = high_risk_open_count(user)
    if not count:
        return []
    return [
        TodoItem(
            title=_("%(count)d 件高风险反家暴个案在办") % {"count": count},
            url=f"{reverse('rights:case_list')}?band=high",
            source="rights.high_risk",
        )
    ]


register("rights", rights_todo_items)
