"""To-do: the follow-ups a responsible helper owes (applications come through the workflow
engine's own source)."""

import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from warmhome.assistance.models import LEVEL_SEVERITY, AssistancePlan, HouseholdLevel, Level
from warmhome.assistance.selectors import level_interval_days
from warmhome.core.todo import TodoItem, register
from warmhome.people.rendering import render_person

SOURCE = "assistance.followups"
#: follow-ups due within this many calendar days appear ahead of time
HORIZON_DAYS = 3
LIMIT = 50


def followup_items(user: Any) -> list[TodoItem]:
    """One item per open plan of which ``user`` is the helper, due soon or overdue."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    today = timezone.localdate()
    plans = list(
        AssistancePlan.objects.visible_to(user, "assistance.view")
        .open()
        .filter(helper=user, next_followup_on__lte=today + datetime.timedelta(days=HORIZON_DAYS))
        .select_related("person", "person__org", "category")
        .order_by("next_followup_on", "pk")[:LIMIT]
    )
    levels: dict[int, str] = {}
    household_ids = [plan.household_id for plan in plans if plan.household_id]
    for household_id, code in (
        HouseholdLevel.objects.filter(household_id__in=household_ids)
        .active()
        .values_list("household_id", "level")
    ):
        current = levels.get(household_id)
        if current is None or LEVEL_SEVERITY[Level(code)] > LEVEL_SEVERITY[Level(current)]:
            levels[household_id] = code
    items = []
    for plan in plans:
        due = plan.next_followup_on
        if due is None:
            continue
        shown = render_person(plan.person, viewer=user, context="list")
        code = levels.get(plan.household_id or 0)
        detail = _("%(category)s · 期限 %(due)s") % {
            "category": plan.category.name,
            "due": due.isoformat(),
        }
        if code is not None:
            detail = _("%(level)s — 每 %(days)s 个工作日回访 · %(rest)s") % {
                "level": Level(code).label,
                "days": level_interval_days(code),
                "rest": detail,
            }
        items.append(
            TodoItem(
                title=_("帮扶回访：%(name)s") % {"name": shown.name},
                url=plan.get_absolute_url(),
                source=SOURCE,
                due=due,
                overdue=due < today,
                detail=detail,
            )
        )
    return items


register(SOURCE, followup_items)
