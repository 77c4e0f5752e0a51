"""To-do of the rights app: for the station head, open cases whose latest assessment is high
risk; for the case team and the head, the alerts of the measures taken (``measure_todo_items``)."""

import datetime
from typing import Any, cast

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from warmhome.core.todo import TodoItem, register
from warmhome.rights import selectors_measures
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


def measure_todo_items(
    user: Any, today: datetime.date | None = None, now: datetime.datetime | None = None
) -> list[TodoItem]:
    """Alerts to the case team and the station head (never to break-glass readers): protection
    orders about to expire, rulings past due, high-risk cases without recent follow-up."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    if not user.has_action("rights.change"):
        return []
    today = today or timezone.localdate()
    now = now or timezone.now()
    items = []
    for order in selectors_measures.orders_expiring(user, today):
        valid_until = cast(datetime.date, order.valid_until)  # issued orders carry it
        items.append(
            TodoItem(
                title=_("保护令即将到期：%(number)s") % {"number": order.case.number},
                url=reverse("rights:case_detail", args=[order.case_id]),
                source="rights.order_expiring",
                due=valid_until,
                detail=_("有效期至 %(day)s，如需延长请在到期前申请。")
                % {"day": valid_until.isoformat()},
            )
        )
    for order in selectors_measures.orders_ruling_overdue(user, now):
        due_at = timezone.localtime(cast(datetime.datetime, order.ruling_due_at))
        items.append(
            TodoItem(
                title=_("保护令裁定已超期：%(number)s") % {"number": order.case.number},
                url=reverse("rights:case_detail", args=[order.case_id]),
                source="rights.ruling_overdue",
                due=due_at.date(),
                overdue=True,
                detail=_("法院应于 %(moment)s 前裁定，请跟进。")
                % {"moment": due_at.strftime("%Y-%m-%d %H:%M")},
            )
        )
    for stale in selectors_measures.high_risk_without_followup(user, today):
        items.append(
            TodoItem(
                title=_("高风险个案待回访：%(number)s") % {"number": stale.case.number},
                url=reverse("rights:case_detail", args=[stale.case.pk]),
                source="rights.high_risk_followup",
                due=stale.due,
                overdue=stale.due < today,
                detail=_("上次联系 %(day)s") % {"day": stale.last_contact.isoformat()},
            )
        )
    return items


register("rights.measures", measure_todo_items)
