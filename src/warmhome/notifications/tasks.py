"""Background delivery of messages (run by ``warmhome worker``)."""

from django.tasks import task

from warmhome.notifications.services import message_deliver, messages_send_due


@task()
def message_deliver_task(message_id: int) -> str:
    """Try to deliver one message."""
    return message_deliver(message_id=message_id)


@task()
def messages_send_due_task() -> int:
    """Deliver every message whose retry is due (for a periodic scheduler)."""
    return messages_send_due()
