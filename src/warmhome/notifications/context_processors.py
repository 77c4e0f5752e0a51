from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

from warmhome.notifications.selectors import unread_count


def notifications(request: HttpRequest) -> dict[str, Any]:
    """The unread count for the bell, counted only if a template shows it."""
    user = getattr(request, "user", None)
    count: Callable[[], int] = lambda: unread_count(user)  # noqa: E731
    return {"unread_message_count": count}
