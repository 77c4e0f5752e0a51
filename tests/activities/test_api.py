import datetime
import json

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from tests.conftest import Personas, Tree
from tests.factories import activity, person
from warmhome.activities import services
from warmhome.activities.models import Attendance, SignUpStatus
from warmhome.activities.tokens import qr_token
from warmhome.people.services import person_shield

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post(client: Client, url: str, body: dict):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_the_list_holds_the_streets_activities_only(tree: Tree, personas: Personas):
    own = activity(tree.community_a1)
    activity(tree.community_b1)

    payload = _client(personas.street_a_cadre).get("/api/activities/activities").json()

    assert [item["id"] for item in payload["items"]] == [own.pk]
    assert payload["items"][0]["state_name"] == "已发布"


def test_the_detail_lists_sign_ups_masked_for_a_shielded_person(tree: Tree, personas: Personas):
    made = activity(tree.community_a1)
    victim = person(tree.community_a1, "张秀梅")
    services.signup_create(actor=None, activity=made, person=victim)
    person_shield(actor=None, person=victim, reason="家暴案件")

    response = _client(personas.community_a1_cadre).get(f"/api/activities/activities/{made.pk}")

    assert response.status_code == 200
    assert response.json()["signups"][0]["name"] == "（受保护人员）"
    assert "张秀梅" not in response.content.decode()


def test_sign_up_and_cancel_through_the_api_promote_the_waiting(tree: Tree, personas: Personas):
    made = activity(tree.community_a1, capacity=1)
    client = _client(personas.community_a1_cadre)
    first = _post(
        client,
        f"/api/activities/activities/{made.pk}/signups",
        {"person_id": person(tree.community_a1).pk},
    )
    second = _post(
        client,
        f"/api/activities/activities/{made.pk}/signups",
        {"person_id": person(tree.community_a1).pk},
    )

    cancelled = _post(client, f"/api/activities/signups/{first.json()['id']}/cancel", {})

    assert second.json()["status"] == SignUpStatus.WAITING
    assert second.json()["waiting_position"] == 1
    assert cancelled.json()["status"] == SignUpStatus.CANCELLED
    assert made.signups.get(pk=second.json()["id"]).status == SignUpStatus.CONFIRMED


def test_sign_up_of_an_unknown_or_hidden_person_is_a_clear_400(tree: Tree, personas: Personas):
    made = activity(tree.community_a1)
    response = _post(
        _client(personas.community_a1_cadre),
        f"/api/activities/activities/{made.pk}/signups",
        {"person_id": person(tree.community_b1).pk},
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "未找到该人员，或您无权为其报名。"


def test_sign_up_after_the_window_is_a_clear_400(tree: Tree, personas: Personas):
    now = timezone.now()
    made = activity(
        tree.community_a1,
        starts_at=now + datetime.timedelta(days=1),
        signup_closes_at=now - datetime.timedelta(minutes=1),
    )
    response = _post(
        _client(personas.community_a1_cadre),
        f"/api/activities/activities/{made.pk}/signups",
        {"person_id": person(tree.community_a1).pk},
    )
    assert response.status_code == 400
    assert "报名已截止" in response.json()["detail"]


def test_check_in_with_the_qr_token(tree: Tree, personas: Personas):
    cache.clear()
    made = activity(tree.community_a1)
    client = _client(personas.resident)
    body = {"token": qr_token(made.public_code), "name": "王秀英", "phone": "13800001111"}

    first = _post(client, "/api/activities/check-in", body)
    second = _post(client, "/api/activities/check-in", body)
    bad = _post(client, "/api/activities/check-in", {**body, "token": "x:y:z"})

    assert first.status_code == 200
    assert first.json()["status"] == "checked_in"
    assert second.status_code == 400
    assert "无需重复签到" in second.json()["detail"]
    assert bad.status_code == 400
    assert "二维码无效" in bad.json()["detail"]
    assert Attendance.objects.count() == 1


def test_check_in_to_a_draft_is_refused_like_an_unknown_code(tree: Tree, personas: Personas):
    # what the public check-in page does: a draft has no public link yet
    cache.clear()
    draft = activity(tree.community_a1, state="draft")
    body = {"token": qr_token(draft.public_code), "name": "王秀英", "phone": "13800001111"}

    response = _post(_client(personas.resident), "/api/activities/check-in", body)

    assert response.status_code == 400
    assert "二维码无效" in response.json()["detail"]
    assert not Attendance.objects.exists()


def test_check_in_needs_a_signed_in_caller(tree: Tree):
    made = activity(tree.community_a1)
    body = {"token": qr_token(made.public_code), "name": "王秀英", "phone": "13800001111"}
    response = _post(Client(), "/api/activities/check-in", body)
    assert response.status_code == 401
