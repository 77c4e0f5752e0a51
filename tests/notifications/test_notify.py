import datetime
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.tasks import default_task_backend
from django.urls import reverse
from django.utils import timezone

from tests.conftest import Personas
from warmhome.notifications.channels import ChannelError, HttpSmsChannel
from warmhome.notifications.models import Message
from warmhome.notifications.services import (
    message_deliver,
    messages_send_due,
    notify,
    retry_delay,
)

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
DUMMY = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
EMAIL = "warmhome.notifications.channels.EmailChannel"
SMS = "warmhome.notifications.channels.HttpSmsChannel"
FAILING = "tests.notifications.test_notify.FailingChannel"


class FailingChannel:
    calls = 0

    def send(self, message: Message) -> None:
        FailingChannel.calls += 1
        raise ChannelError("网关暂时不可用")


def test_in_app_message_is_created_at_once_and_counted_in_the_bell(
    personas: Personas, client: Any
) -> None:
    resident = personas.resident
    [message] = notify(recipients=[resident], subject="您的申请已受理", body="请留意后续通知。")
    assert message.channel == Message.Channel.IN_APP
    assert message.status == Message.Status.SENT
    client.force_login(resident)
    page = client.get(reverse("core:home"))
    bell = page.content.decode()
    assert 'data-testid="notification-bell"' in bell
    assert '<span class="badge bg-red text-red-fg">1</span>' in bell


def test_email_is_sent_after_commit_through_the_default_mailer(
    personas: Personas,
    settings: Any,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.TASKS = IMMEDIATE
    settings.NOTIFICATIONS_CHANNELS = {"email": EMAIL}
    recipient = personas.resident
    recipient.email = "resident@example.org"
    recipient.save()
    with django_capture_on_commit_callbacks(execute=True):
        messages = notify(
            recipients=[recipient],
            subject="活动提醒",
            body="明天上午九点在社区活动室。",
            link="/work/",
            channels=("in_app", "email"),
        )
        assert mailoutbox == []  # nothing leaves before the commit
    assert len(messages) == 2
    assert [mail.to for mail in mailoutbox] == [["resident@example.org"]]
    assert mailoutbox[0].subject == "活动提醒"
    assert "/work/" in mailoutbox[0].body
    email = Message.objects.get(channel="email")
    assert email.status == Message.Status.SENT
    assert email.attempts == 1


def test_email_without_address_dies_at_once_with_a_chinese_reason(
    personas: Personas, settings: Any
) -> None:
    settings.NOTIFICATIONS_CHANNELS = {"email": EMAIL}
    personas.resident.email = ""
    personas.resident.save()
    [message] = notify(recipients=[personas.resident], subject="提醒", body="", channels=("email",))
    assert message_deliver(message_id=message.pk) == Message.Status.DEAD
    message.refresh_from_db()
    assert message.last_error == "接收人没有登记电子邮箱。"


class _Gateway(BaseHTTPRequestHandler):
    received: list[dict[str, Any]] = []
    status = 200

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        _Gateway.received.append(
            {
                "body": json.loads(self.rfile.read(length)),
                "authorization": self.headers["Authorization"],
            }
        )
        self.send_response(_Gateway.status)
        self.end_headers()
        self.wfile.write(b'{"ok": true}')

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def gateway() -> Iterator[str]:
    _Gateway.received = []
    _Gateway.status = 200
    server = HTTPServer(("127.0.0.1", 0), _Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/sms/send"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_sms_adapter_posts_json_with_token_and_template_to_the_gateway(
    personas: Personas, settings: Any, gateway: str
) -> None:
    settings.NOTIFICATIONS_CHANNELS = {"sms": SMS}
    settings.NOTIFICATIONS_SMS_GATEWAY = {
        "URL": gateway,
        "TOKEN": "s3cret",
        "TEMPLATE": "SMS_0001",
        "TIMEOUT": 5,
    }
    personas.resident.phone = "13800138000"
    personas.resident.save()
    [message] = notify(
        recipients=[personas.resident], subject="审核通过", body="请到社区领取。", channels=("sms",)
    )
    assert message_deliver(message_id=message.pk) == Message.Status.SENT
    [call] = _Gateway.received
    assert call["authorization"] == "Bearer s3cret"
    assert call["body"] == {
        "phone": "13800138000",
        "template": "SMS_0001",
        "params": {"subject": "审核通过", "body": "请到社区领取。", "link": ""},
    }


def test_sms_gateway_refusal_is_a_failure_with_the_http_status(
    personas: Personas, gateway: str
) -> None:
    _Gateway.status = 503
    personas.resident.phone = "13800138000"
    [message] = notify(recipients=[personas.resident], subject="提醒", body="", channels=("sms",))
    with pytest.raises(ChannelError, match="HTTP 503"):
        HttpSmsChannel({"URL": gateway, "TOKEN": "t"}).send(message)


def test_failed_delivery_backs_off_exponentially_then_dies(
    personas: Personas, settings: Any
) -> None:
    settings.NOTIFICATIONS_CHANNELS = {"sms": FAILING}
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    settings.NOTIFICATIONS_RETRY_BASE_SECONDS = 60
    FailingChannel.calls = 0
    [message] = notify(recipients=[personas.resident], subject="提醒", body="", channels=("sms",))
    delays = []
    for _ in range(3):
        before = timezone.now()
        status = message_deliver(message_id=message.pk)
        message.refresh_from_db()
        if message.next_attempt_at:
            delays.append(round((message.next_attempt_at - before).total_seconds() / 60))
            # Not due yet: another try now does nothing.
            assert message_deliver(message_id=message.pk) == Message.Status.FAILED
            Message.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    assert delays == [1, 2]
    assert status == Message.Status.DEAD
    assert message.attempts == 3
    assert FailingChannel.calls == 3
    assert message.last_error == "网关暂时不可用"
    assert retry_delay(4) == datetime.timedelta(minutes=8)


def test_notify_in_a_rolled_back_transaction_sends_nothing(
    personas: Personas,
    settings: Any,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.TASKS = IMMEDIATE
    settings.NOTIFICATIONS_CHANNELS = {"email": EMAIL}
    personas.resident.email = "resident@example.org"
    personas.resident.save()

    def failing_request() -> None:
        with transaction.atomic():
            notify(
                recipients=[personas.resident], subject="x", body="", channels=("in_app", "email")
            )
            raise RuntimeError("the request failed")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        failing_request()
    assert callbacks == []
    assert mailoutbox == []
    assert not Message.objects.exists()


def test_notify_only_enqueues_so_the_request_never_waits_for_a_channel(
    personas: Personas, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.TASKS = DUMMY
    settings.NOTIFICATIONS_CHANNELS = {"sms": FAILING}
    FailingChannel.calls = 0
    default_task_backend.clear()
    with django_capture_on_commit_callbacks(execute=True):
        [message] = notify(recipients=[personas.resident], subject="x", body="", channels=("sms",))
    assert FailingChannel.calls == 0
    message.refresh_from_db()
    assert message.status == Message.Status.PENDING
    [enqueued] = default_task_backend.results
    assert enqueued.task.name == "message_deliver_task"
    assert enqueued.args == [message.pk]


def test_send_due_command_delivers_pending_and_due_retries_only(
    personas: Personas, settings: Any
) -> None:
    settings.NOTIFICATIONS_CHANNELS = {"email": "warmhome.notifications.channels.LogChannel"}
    due, later = notify(
        recipients=[personas.resident, personas.street_a_cadre],
        subject="x",
        body="",
        channels=("email",),
    )
    Message.objects.filter(pk=later.pk).update(
        status=Message.Status.FAILED, next_attempt_at=timezone.now() + datetime.timedelta(hours=1)
    )
    call_command("notifications", "send-due")
    due.refresh_from_db()
    later.refresh_from_db()
    assert due.status == Message.Status.SENT
    assert later.status == Message.Status.FAILED
    assert messages_send_due() == 0


def test_unknown_channel_is_refused(personas: Personas) -> None:
    with pytest.raises(ValueError, match="fax"):
        notify(recipients=[personas.resident], subject="x", body="", channels=("fax",))


def test_a_failed_try_enqueues_its_retry_for_the_back_off_time(
    personas: Personas, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.TASKS = DUMMY
    settings.NOTIFICATIONS_CHANNELS = {"sms": FAILING}
    [message] = notify(recipients=[personas.resident], subject="x", body="", channels=("sms",))
    default_task_backend.clear()
    with django_capture_on_commit_callbacks(execute=True):
        message_deliver(message_id=message.pk)
    message.refresh_from_db()
    [retry] = default_task_backend.results
    assert retry.args == [message.pk]
    assert retry.task.run_after == message.next_attempt_at


class CrashingChannel:
    def send(self, message: Message) -> None:
        raise KeyError("bug")


def test_a_crashing_channel_keeps_the_message_for_a_retry(
    personas: Personas, settings: Any
) -> None:
    settings.NOTIFICATIONS_CHANNELS = {"email": "tests.notifications.test_notify.CrashingChannel"}
    [message] = notify(recipients=[personas.resident], subject="x", body="", channels=("email",))
    assert message_deliver(message_id=message.pk) == Message.Status.FAILED
    message.refresh_from_db()
    assert message.last_error == "渠道内部错误：KeyError"
