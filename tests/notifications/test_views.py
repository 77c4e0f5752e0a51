from typing import Any

from django.urls import reverse

from tests.conftest import Personas
from warmhome.accounts.models import Role
from warmhome.notifications.models import Message
from warmhome.notifications.services import notify


def test_message_list_shows_only_own_messages_within_a_few_queries(
    personas: Personas, client: Any, django_assert_max_num_queries: Any
) -> None:
    for number in range(20):
        notify(recipients=[personas.resident], subject=f"给居民的消息{number}", body="内容")
    notify(recipients=[personas.street_a_cadre], subject="给街道干部的消息", body="内容")
    client.force_login(personas.resident)
    with django_assert_max_num_queries(15):
        page = client.get(reverse("notifications:message_list"))
    text = page.content.decode()
    assert page.status_code == 200
    assert text.count('data-testid="message"') == 20
    assert "给街道干部的消息" not in text


def test_opening_a_message_marks_it_read_and_follows_its_link(
    personas: Personas, client: Any
) -> None:
    [message] = notify(
        recipients=[personas.resident], subject="请查看", body="", link="/work/orgs/"
    )
    client.force_login(personas.resident)
    response = client.post(reverse("notifications:message_read", args=[message.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/work/orgs/"
    message.refresh_from_db()
    assert message.read_at is not None


def test_foreign_link_is_not_followed(personas: Personas, client: Any) -> None:
    [message] = notify(
        recipients=[personas.resident], subject="x", body="", link="https://evil.example/"
    )
    client.force_login(personas.resident)
    response = client.post(reverse("notifications:message_read", args=[message.pk]))
    assert response["Location"] == reverse("notifications:message_list")


def test_someone_elses_message_cannot_be_marked_read(personas: Personas, client: Any) -> None:
    [message] = notify(recipients=[personas.street_a_cadre], subject="x", body="")
    client.force_login(personas.resident)
    response = client.post(reverse("notifications:message_read", args=[message.pk]))
    assert response.status_code == 404
    message.refresh_from_db()
    assert message.read_at is None


def test_mark_all_read_clears_the_bell(personas: Personas, client: Any) -> None:
    notify(recipients=[personas.resident], subject="一", body="")
    notify(recipients=[personas.resident], subject="二", body="")
    client.force_login(personas.resident)
    client.post(reverse("notifications:message_read_all"))
    assert not Message.objects.filter(read_at__isnull=True).exists()
    page = client.get(reverse("notifications:message_list")).content.decode()
    assert "bg-red text-red-fg" not in page


def test_outbox_shows_failed_and_dead_messages_to_its_holders_only(
    personas: Personas, client: Any, django_assert_max_num_queries: Any
) -> None:
    sent, dead = notify(
        recipients=[personas.resident, personas.street_a_cadre],
        subject="发送失败的通知",
        body="",
        channels=("sms",),
    )
    Message.objects.filter(pk=dead.pk).update(
        status=Message.Status.DEAD, attempts=5, last_error="短信网关拒绝发送（HTTP 503）。"
    )
    Message.objects.filter(pk=sent.pk).update(status=Message.Status.SENT)
    client.force_login(personas.resident)
    assert client.get(reverse("notifications:message_outbox")).status_code == 403

    role = Role.objects.get(code="system_admin")
    role.actions = [*role.actions, "notifications.view_outbox"]
    role.save()
    client.force_login(personas.system_admin)
    with django_assert_max_num_queries(15):
        page = client.get(reverse("notifications:message_outbox"))
    text = page.content.decode()
    assert page.status_code == 200
    assert text.count('data-testid="outbox-row"') == 1
    assert "短信网关拒绝发送（HTTP 503）。" in text
