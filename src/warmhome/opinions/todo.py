"""To-do: opinions whose topic staff should check (follow-ups near or over their deadline come
through the workflow engine's own source)."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from warmhome.core.todo import TodoItem, register
from warmhome.opinions.models import Opinion

SOURCE = "opinions.to_check"


def to_check_items(user: Any) -> list[TodoItem]:
    """One item counting the opinions to be checked that the user may correct."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    if not user.has_action("opinions.change"):
        return []
    count = Opinion.objects.visible_to(user, "opinions.change").to_check().count()
    if not count:
        return []
    return [
        TodoItem(
            title=_("妇情民意待核对分类：%(count)d 条") % {"count": count},
            url=reverse("opinions:opinion_list") + "?check=1",
            source=SOURCE,
            detail=_("模型把握不大的分类，请确认或更正。"),
        )
    ]


register(SOURCE, to_check_items)
