"""The channels that carry a message out of the platform (SMS, e-mail), behind one interface.

Which class serves a channel is a setting::

    NOTIFICATIONS_CHANNELS = {
        "sms": "warmhome.notifications.channels.HttpSmsChannel",
        "email": "warmhome.notifications.channels.EmailChannel",
    }

Both default to ``LogChannel``, which only writes the message to the log (the demo and
development need no gateway). The SMS gateway adapter reads ``NOTIFICATIONS_SMS_GATEWAY``
(``URL``, ``TOKEN``, ``TEMPLATE``, ``TIMEOUT`` in seconds) and POSTs JSON::

    {"phone": "13800000000", "template": "<TEMPLATE>",
     "params": {"subject": "...", "body": "...", "link": "..."}}

with ``Authorization: Bearer <TOKEN>``; any answer but 2xx is a failure.
"""

import json
import logging
import urllib.error
import urllib.request
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from warmhome.notifications.models import Message

logger = logging.getLogger(__name__)

DEFAULT_CHANNELS = {
    Message.Channel.SMS: "warmhome.notifications.channels.LogChannel",
    Message.Channel.EMAIL: "warmhome.notifications.channels.LogChannel",
}


class ChannelError(Exception):
    """Delivery failed this time; the worker tries again later."""


class PermanentChannelError(ChannelError):
    """Delivery can never succeed (no phone number, no address): no retry."""


class Channel(Protocol):
    def send(self, message: Message) -> None:
        """Deliver ``message`` or raise ``ChannelError``."""


class LogChannel:
    """Writes the message to the log instead of sending it."""

    def send(self, message: Message) -> None:
        logger.info(
            "notification %s to user %s via %s: %s",
            message.pk,
            message.recipient_id,
            message.channel,
            message.subject,
        )


class EmailChannel:
    """E-mail through Django's default mailer (SMTP in production)."""

    def send(self, message: Message) -> None:
        address = message.recipient.email
        if not address:
            raise PermanentChannelError(_("接收人没有登记电子邮箱。"))
        body = message.body
        if message.link:
            body = f"{body}\n\n{message.link}"
        try:
            send_mail(
                subject=message.subject,
                message=body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[address],
            )
        except OSError as error:
            raise ChannelError(_("邮件服务器未能接收：%(error)s") % {"error": error}) from error


class HttpSmsChannel:
    """SMS through an HTTP gateway configured by ``NOTIFICATIONS_SMS_GATEWAY``."""

    def __init__(self, config: dict[str, Any] | None = None) -> None:
        self.config = config or getattr(settings, "NOTIFICATIONS_SMS_GATEWAY", {})

    def send(self, message: Message) -> None:
        url = self.config.get("URL", "")
        if not url:
            raise ChannelError(_("短信网关地址未配置（NOTIFICATIONS_SMS_GATEWAY 的 URL）。"))
        phone = getattr(message.recipient, "phone", "")
        if not phone:
            raise PermanentChannelError(_("接收人没有登记手机号。"))
        payload = {
            "phone": phone,
            "template": self.config.get("TEMPLATE", ""),
            "params": {"subject": message.subject, "body": message.body, "link": message.link},
        }
        request = urllib.request.Request(  # noqa: S310 - the URL is an administrator's setting
            url,
            data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Authorization": f"Bearer {self.config.get('TOKEN', '')}",
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(  # noqa: S310
                request, timeout=float(self.config.get("TIMEOUT", 10))
            ) as response:
                status = response.status
        except urllib.error.HTTPError as error:
            raise ChannelError(
                _("短信网关拒绝发送（HTTP %(status)s）。") % {"status": error.code}
            ) from error
        except (urllib.error.URLError, OSError) as error:
            raise ChannelError(_("无法连接短信网关：%(error)s") % {"error": error}) from error
        if not 200 <= status < 300:
            raise ChannelError(_("短信网关拒绝发送（HTTP %(status)s）。") % {"status": status})


def channel_for(name: str) -> Channel:
    """The configured channel instance for ``name`` (``sms`` or ``email``)."""
    configured = {**DEFAULT_CHANNELS, **getattr(settings, "NOTIFICATIONS_CHANNELS", {})}
    try:
        path = configured[name]
    except KeyError as missing:
        raise PermanentChannelError(_("未知的消息渠道：%(name)s") % {"name": name}) from missing
    channel: Channel = import_string(path)()
    return channel
