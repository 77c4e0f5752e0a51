"""Reading messages: a user reads only her own; the outbox is for system administrators."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext as _

from warmhome.notifications.models import Message

OUTBOX_ACTION = "notifications.view_outbox"


def inbox_for(user: Any) -> models.QuerySet[Message]:
    """``user``'s in-app messages, newest first."""
    return Message.objects.filter(recipient=user, channel=Message.Channel.IN_APP)


def unread_count(user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return inbox_for(user).filter(read_at__isnull=True).count()


def outbox_problems(user: Any) -> models.QuerySet[Message]:
    """Messages that failed or died, for holders of ``notifications.view_outbox``."""
    if not user.has_action(OUTBOX_ACTION):
        raise PermissionDenied(_("您没有查看消息发送队列的权限。"))
    return (
        Message.objects.filter(status__in=(Message.Status.FAILED, Message.Status.DEAD))
        .select_related("recipient")
        .order_by("-created_at", "-pk")
    )
