"""Sending messages: ``notify`` records them and hands delivery to the worker.

In-app messages exist as soon as the transaction commits. SMS and e-mail are delivered by the
background worker after the commit, so the request that caused them never waits for a gateway
and a rolled-back request sends nothing. A failed delivery is retried with exponential back-off
(``NOTIFICATIONS_RETRY_BASE_SECONDS`` × 2^(attempt−1)) until ``NOTIFICATIONS_MAX_ATTEMPTS``;
then the message is dead and shows on the outbox page.
"""

import datetime
import logging
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from warmhome.notifications.channels import ChannelError, PermanentChannelError, channel_for
from warmhome.notifications.models import Message

logger = logging.getLogger(__name__)

DEFAULT_MAX_ATTEMPTS = 5
DEFAULT_RETRY_BASE_SECONDS = 60


def max_attempts() -> int:
    return int(getattr(settings, "NOTIFICATIONS_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS))


def retry_delay(attempts: int) -> datetime.timedelta:
    """How long to wait after the ``attempts``-th failed try."""
    base = int(getattr(settings, "NOTIFICATIONS_RETRY_BASE_SECONDS", DEFAULT_RETRY_BASE_SECONDS))
    return datetime.timedelta(seconds=base * 2 ** max(0, attempts - 1))


def _enqueue(message_ids: Sequence[int], run_after: datetime.datetime | None = None) -> None:
    from warmhome.notifications.tasks import message_deliver_task

    task = message_deliver_task
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return  # ``warmhome notifications send-due`` picks it up
        task = task.using(run_after=run_after)
    for message_id in message_ids:
        try:
            task.enqueue(message_id)
        except Exception:
            # The row stays pending with its due time: send-due delivers it later.
            logger.exception("Could not enqueue delivery of message %s", message_id)


@transaction.atomic
def notify(
    *,
    recipients: Iterable[Any],
    subject: str,
    body: str,
    link: str = "",
    channels: Sequence[str] = (Message.Channel.IN_APP,),
) -> list[Message]:
    """Send ``subject``/``body`` to each recipient on each channel, delivering after commit."""
    unknown = set(channels) - set(Message.Channel.values)
    if unknown:
        raise ValueError(f"Unknown notification channels: {sorted(unknown)}")
    now = timezone.now()
    created: list[Message] = []
    for recipient in recipients:
        for channel in dict.fromkeys(channels):
            in_app = channel == Message.Channel.IN_APP
            created.append(
                Message.objects.create(
                    recipient=recipient,
                    channel=channel,
                    subject=subject[:200],
                    body=body,
                    link=link[:500],
                    status=Message.Status.SENT if in_app else Message.Status.PENDING,
                    sent_at=now if in_app else None,
                    next_attempt_at=None if in_app else now,
                )
            )
    outgoing = [message.pk for message in created if message.status == Message.Status.PENDING]
    if outgoing:
        transaction.on_commit(lambda: _enqueue(outgoing))
    return created


@transaction.atomic
def _message_claim(*, message_id: int) -> tuple[Message | None, str]:
    """Take one due message for a try: count the attempt and push its due time back.

    The pushed due time is the back-off of this attempt: a second worker skips the message
    while it is being sent, and if this worker dies mid-send, the message is retried then.
    """
    message = (
        Message.objects.select_for_update().select_related("recipient").filter(pk=message_id)
    ).first()
    if message is None:
        return None, ""
    now = timezone.now()
    due = message.status in (Message.Status.PENDING, Message.Status.FAILED)
    if not due or (message.next_attempt_at is not None and message.next_attempt_at > now):
        return None, str(message.status)
    message.attempts += 1
    message.next_attempt_at = now + retry_delay(message.attempts)
    message.save(update_fields=["attempts", "next_attempt_at"])
    return message, str(message.status)


@transaction.atomic
def _message_record(*, message: Message, error: str = "", permanent: bool = False) -> str:
    """Record the outcome of a try: sent, failed (to retry at the claimed time) or dead."""
    if not error:
        message.status = Message.Status.SENT
        message.sent_at = timezone.now()
        message.next_attempt_at = None
    elif permanent or message.attempts >= max_attempts():
        message.status = Message.Status.DEAD
        message.next_attempt_at = None
    else:
        message.status = Message.Status.FAILED
        retry_at = message.next_attempt_at
        transaction.on_commit(lambda: _enqueue([message.pk], run_after=retry_at))
    message.last_error = error[:2000]
    message.save(update_fields=["status", "sent_at", "next_attempt_at", "last_error"])
    return str(message.status)


def message_deliver(*, message_id: int) -> str:
    """Try to deliver one due message once; return its status afterwards.

    Two short transactions around the send: no lock is held while a gateway answers.
    """
    message, status = _message_claim(message_id=message_id)
    if message is None:
        return status
    try:
        channel_for(message.channel).send(message)
    except ChannelError as error:
        return _message_record(
            message=message, error=str(error), permanent=isinstance(error, PermanentChannelError)
        )
    except Exception as error:  # a bug in a channel must not lose the message
        logger.exception("Channel %s crashed on message %s", message.channel, message.pk)
        reason = _("渠道内部错误：%(error)s") % {"error": error.__class__.__name__}
        return _message_record(message=message, error=reason)
    return _message_record(message=message)


def messages_send_due(*, now: datetime.datetime | None = None, limit: int = 500) -> int:
    """Deliver every message whose (re)try is due; return how many were tried."""
    moment = now or timezone.now()
    due = list(
        Message.objects.filter(
            status__in=(Message.Status.PENDING, Message.Status.FAILED),
            next_attempt_at__lte=moment,
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    for message_id in due:
        message_deliver(message_id=message_id)
    return len(due)


@transaction.atomic
def message_mark_read(*, actor: Any, message_id: int) -> Message:
    """Mark one of ``actor``'s in-app messages read (404 for anyone else's)."""
    from django.shortcuts import get_object_or_404

    message = get_object_or_404(
        Message, pk=message_id, recipient=actor, channel=Message.Channel.IN_APP
    )
    if message.read_at is None:
        message.read_at = timezone.now()
        message.save(update_fields=["read_at"])
    return message


@transaction.atomic
def message_mark_all_read(*, actor: Any) -> int:
    """Mark all of ``actor``'s unread in-app messages read; return how many."""
    return Message.objects.filter(
        recipient=actor, channel=Message.Channel.IN_APP, read_at__isnull=True
    ).update(read_at=timezone.now())
