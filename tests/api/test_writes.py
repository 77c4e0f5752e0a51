"""What a writing API operation gets from the project's auth and error handlers.

The project exposes no writing operation yet, so these run against ``tests/api/probe_urls.py``,
an API object built exactly like ``warmhome.api.site.api``.
"""

import json

import pytest
from django.conf import settings
from django.test import Client

from tests.api.conftest import bearer, issue_token
from tests.conftest import Personas
from warmhome.core.models import AuditEntry

pytestmark = pytest.mark.urls("tests.api.probe_urls")

PAYLOAD = json.dumps({"name": "张三", "count": 1})


def test_session_post_without_csrf_token_is_refused_in_chinese(personas: Personas):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.street_a_cadre)

    response = client.post("/probe/echo", PAYLOAD, content_type="application/json")

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert AuditEntry.objects.filter(event="csrf_failed", actor_username="street_a").exists()


def test_session_post_with_csrf_token_is_accepted(personas: Personas):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.street_a_cadre)
    csrf = "abcdefghijklmnopqrstuvwxyzABCDEF"  # any 32 letters make a well-formed secret
    client.cookies[settings.CSRF_COOKIE_NAME] = csrf

    response = client.post(
        "/probe/echo", PAYLOAD, content_type="application/json", headers={"X-CSRFToken": csrf}
    )

    assert response.status_code == 200
    assert response.json() == {"who": "street_a", "name": "张三"}


def test_token_post_needs_no_csrf_token(personas: Personas):
    _, value = issue_token(personas.street_a_cadre)
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        "/probe/echo", PAYLOAD, content_type="application/json", headers=bearer(value)
    )

    assert response.status_code == 200
    assert response.json()["who"] == "street_a"


def test_anonymous_post_gets_401_not_a_csrf_error(db: None):
    response = Client(enforce_csrf_checks=True).post(
        "/probe/echo", PAYLOAD, content_type="application/json"
    )

    assert response.status_code == 401
    assert response.json() == {"detail": "未登录或登录已失效。"}


def test_bad_body_gets_422_with_a_chinese_summary(personas: Personas):
    _, value = issue_token(personas.street_a_cadre)

    response = Client().post(
        "/probe/echo",
        json.dumps({"count": "many"}),
        content_type="application/json",
        headers=bearer(value),
    )

    assert response.status_code == 422
    body = response.json()
    assert body["detail"].startswith("请求参数有误：")
    assert "请求体 payload.name：缺少此项" in body["detail"]
    assert "请求体 payload.count：应为整数" in body["detail"]


def test_service_validation_error_gets_400_with_field_messages(personas: Personas):
    _, value = issue_token(personas.street_a_cadre)

    response = Client().post("/probe/invalid", headers=bearer(value))

    assert response.status_code == 400
    assert response.json() == {
        "detail": "名称不能为空。；手机号应为 11 位数字。",
        "errors": {"name": ["名称不能为空。"], "phone": ["手机号应为 11 位数字。"]},
    }


def test_service_validation_error_without_field_gets_400(personas: Personas):
    _, value = issue_token(personas.street_a_cadre)

    response = Client().post("/probe/invalid-plain", headers=bearer(value))

    assert response.status_code == 400
    assert response.json() == {
        "detail": "救助金预算不足，不能发放。",
        "errors": {"__all__": ["救助金预算不足，不能发放。"]},
    }


def test_permission_denied_gets_403_and_an_audit_line(personas: Personas):
    _, value = issue_token(personas.street_a_cadre)

    response = Client().post("/probe/forbidden", headers=bearer(value))

    assert response.status_code == 403
    assert response.json() == {"detail": "您没有审批救助申请的权限。"}
    event = AuditEntry.objects.get(event="permission_denied")
    assert event.actor_username == "street_a"
    assert event.detail["path"] == "/probe/forbidden"


def test_unexpected_error_gets_a_chinese_500_without_internals(personas: Personas, caplog):
    _, value = issue_token(personas.street_a_cadre)

    response = Client(raise_request_exception=False).get("/probe/crash", headers=bearer(value))

    assert response.status_code == 500
    assert "boom" not in response.content.decode()
    assert response.json()["detail"].startswith("服务器内部错误")
    assert "boom" in caplog.text
