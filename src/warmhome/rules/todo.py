"""The to-do item that asks for next year's holiday arrangement."""

import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from warmhome.core.todo import TodoItem, register
from warmhome.rules.workdays import years_missing


def calendar_missing_items(user: Any) -> list[TodoItem]:
    """For users who maintain the calendar: each year a deadline may reach that has no data."""
    if not user.has_action("rules.manage"):
        return []
    today = timezone.localdate()
    items = []
    for year in years_missing(today):
        first_day = datetime.date(year, 1, 1)
        items.append(
            TodoItem(
                title=_("请录入 %(year)s 年节假日安排") % {"year": year},
                url=f"{reverse('rules:calendarday_list')}?year={year}",
                source="rules.calendar",
                due=first_day,
                overdue=today >= first_day,
                detail=_(
                    "按国务院办公厅公布的放假安排录入节假日和调休上班日；"
                    "录入前，涉及该年的工作日期限只按周末估算。"
                ),
            )
        )
    return items


register("rules.calendar", calendar_missing_items)
