"""To-do items: hand-entered hours waiting for approval, correction requests waiting for a
decision (one summary line each, pointing at the filtered list; one query for both)."""

from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from warmhome.core.todo import TodoItem, register
from warmhome.volunteers.models import CertificateCorrection, ServiceRecord


def _waiting(user: Any) -> dict[str, int]:
    """``{"pending": hours records to approve, "requested": corrections to decide}``."""
    counted = [
        model.objects.visible_to(user, action)
        .filter(state=state)
        .values("state")
        .annotate(waiting=Count("pk"))
        .order_by()
        for model, action, state in (
            (ServiceRecord, "volunteers.approve_hours", "pending"),
            (CertificateCorrection, "volunteers.certify", "requested"),
        )
        if user.has_action(action)
    ]
    if not counted:
        return {}
    first, *others = counted
    rows = first.union(*others, all=True).order_by() if others else first
    return {row["state"]: row["waiting"] for row in rows}


def volunteer_todo_items(user: Any) -> list[TodoItem]:
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    waiting = _waiting(user)
    items = []
    if waiting.get("pending"):
        items.append(
            TodoItem(
                title=_("%(count)d 条志愿服务时长待审核") % {"count": waiting["pending"]},
                url=f"{reverse('volunteers:record_list')}?state=pending",
                source="volunteers.hours",
            )
        )
    if waiting.get("requested"):
        items.append(
            TodoItem(
                title=_("%(count)d 件志愿服务记录证明更正申请待处理")
                % {"count": waiting["requested"]},
                url=reverse("volunteers:correction_list"),
                source="volunteers.corrections",
            )
        )
    return items


register("volunteers", volunteer_todo_items)
