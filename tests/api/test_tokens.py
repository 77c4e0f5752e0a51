"""Personal API tokens: issuing, revoking, and the 我的接口令牌 page."""

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from tests.api.conftest import issue_token
from tests.conftest import Personas
from warmhome.accounts.models import ApiToken
from warmhome.accounts.tokens import api_token_issue, api_token_revoke, hash_token
from warmhome.core.models import AuditEntry

# --- services --------------------------------------------------------------------------------


def test_issued_token_is_returned_once_in_clear_and_stored_as_a_hash(personas: Personas):
    token, value = issue_token(personas.street_a_cadre)

    stored = ApiToken.objects.get(pk=token.pk)
    assert value.startswith("wh_")
    assert stored.key_hash == hash_token(value)
    assert stored.key_prefix == value[:8]
    assert value not in json.dumps(list(ApiToken.objects.values()), default=str)
    created = AuditEntry.objects.get(
        kind=AuditEntry.Kind.CREATE, model_label="accounts.ApiToken", object_pk=str(token.pk)
    )
    assert value not in json.dumps(created.after)
    assert stored.key_hash not in json.dumps(created.after)


@pytest.mark.parametrize(
    ("name", "expires_in", "field", "message"),
    [
        ("   ", datetime.timedelta(days=1), "name", "请填写令牌名称，例如用途或对接的系统。"),
        ("x" * 101, datetime.timedelta(days=1), "name", "令牌名称不能超过 100 个字符。"),
        ("对接", datetime.timedelta(days=-1), "expires_at", "过期时间必须晚于现在。"),
    ],
)
def test_issuing_refuses_bad_input_in_chinese_and_creates_nothing(
    personas: Personas, name: str, expires_in: datetime.timedelta, field: str, message: str
):
    user = personas.street_a_cadre

    with pytest.raises(ValidationError) as refused:
        api_token_issue(actor=user, user=user, name=name, expires_at=timezone.now() + expires_in)

    assert refused.value.message_dict == {field: [message]}
    assert not ApiToken.objects.exists()


def test_nobody_issues_a_token_for_someone_else(personas: Personas):
    with pytest.raises(PermissionDenied):
        api_token_issue(
            actor=personas.system_admin,
            user=personas.street_a_cadre,
            name="代办",
            expires_at=None,
        )
    assert not ApiToken.objects.exists()


def test_disabled_account_gets_no_token(personas: Personas):
    user = personas.street_a_cadre
    user.is_active = False
    user.save()

    with pytest.raises(ValidationError, match="该账号已停用"):
        api_token_issue(actor=None, user=user, name="对接", expires_at=None)


def test_revoking_twice_changes_nothing_the_second_time(personas: Personas):
    token, _ = issue_token(personas.street_a_cadre)

    api_token_revoke(actor=personas.street_a_cadre, token=token)
    first = ApiToken.objects.get(pk=token.pk).revoked_at
    api_token_revoke(actor=personas.street_a_cadre, token=token)

    assert first is not None
    assert ApiToken.objects.get(pk=token.pk).revoked_at == first


def test_nobody_revokes_someone_elses_token_through_the_service(personas: Personas):
    token, _ = issue_token(personas.street_a_cadre)

    with pytest.raises(PermissionDenied):
        api_token_revoke(actor=personas.street_b_cadre, token=token)
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


# --- the page --------------------------------------------------------------------------------


@pytest.fixture
def street_a(personas: Personas) -> Client:
    client = Client()
    client.force_login(personas.street_a_cadre)
    return client


def test_token_page_lists_only_the_users_own_tokens(
    personas: Personas, street_a: Client, django_assert_max_num_queries
):
    for number in range(3):
        api_token_issue(
            actor=personas.street_a_cadre,
            user=personas.street_a_cadre,
            name=f"我的令牌{number}",
            expires_at=None,
        )
    api_token_issue(
        actor=personas.street_b_cadre, user=personas.street_b_cadre, name="别人的", expires_at=None
    )

    with django_assert_max_num_queries(10):
        response = street_a.get("/accounts/tokens/")

    html = response.content.decode()
    assert response.status_code == 200
    assert all(f"我的令牌{number}" in html for number in range(3))
    assert "别人的" not in html


def test_creating_a_token_shows_its_value_once(personas: Personas, street_a: Client):
    response = street_a.post("/accounts/tokens/new/", {"name": "统计报表系统", "lifetime_days": 90})

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    value = response.context["value"]
    token = ApiToken.objects.get(user=personas.street_a_cadre)
    assert token.key_hash == hash_token(value)
    assert value in response.content.decode()
    assert abs(token.expires_at - (timezone.now() + datetime.timedelta(days=90))) < (
        datetime.timedelta(minutes=1)
    )
    assert value not in street_a.get("/accounts/tokens/").content.decode()
    me = Client().get("/api/accounts/me", headers={"Authorization": f"Bearer {value}"})
    assert me.json()["username"] == "street_a"


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"name": "", "lifetime_days": 90}, "这个字段是必填项。"),
        ({"name": "对接", "lifetime_days": 7}, "选择一个有效的选项"),
    ],
)
def test_bad_token_form_is_refused_in_chinese_and_creates_nothing(
    street_a: Client, form: dict, message: str
):
    response = street_a.post("/accounts/tokens/new/", form)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ApiToken.objects.exists()


def test_user_revokes_her_own_token_from_the_page(personas: Personas, street_a: Client):
    token, value = issue_token(personas.street_a_cadre)

    response = street_a.post(f"/accounts/tokens/{token.pk}/revoke/", follow=True)

    assert response.status_code == 200
    assert "已撤销接口令牌“对接测试”。" in response.content.decode()
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    refused = Client().get("/api/accounts/me", headers={"Authorization": f"Bearer {value}"})
    assert refused.status_code == 401


def test_revoking_someone_elses_token_answers_404_and_changes_nothing(
    personas: Personas, street_a: Client
):
    token, _ = issue_token(personas.street_b_cadre)

    response = street_a.post(f"/accounts/tokens/{token.pk}/revoke/")

    assert response.status_code == 404
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None
    assert AuditEntry.objects.filter(
        event="access_denied", actor_username="street_a", detail__pk=str(token.pk)
    ).exists()


def test_token_pages_need_a_signed_in_user(db: None):
    response = Client().get("/accounts/tokens/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
