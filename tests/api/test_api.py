"""The JSON API: scoping, authentication, and Chinese JSON errors for every bad input."""

import datetime
import json
import time

import pytest
from django.test import Client
from django.utils import timezone

from tests.api.conftest import bearer, issue_token
from tests.conftest import Personas, Tree
from warmhome.accounts.middleware import LAST_ACTIVITY_KEY, session_idle_timeout
from warmhome.accounts.models import ApiToken
from warmhome.core.models import AuditEntry

NOT_SIGNED_IN = "未登录或登录已失效。"
NOT_FOUND = "未找到该记录，或您无权查看。"


def unit_ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {unit["id"] for unit in response.json()}


def security_events(event: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(kind=AuditEntry.Kind.SECURITY, event=event))


# --- scoping ---------------------------------------------------------------------------------


def test_street_a_cadre_lists_her_street_units_only(
    tree: Tree, street_a_client: Client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        response = street_a_client.get("/api/orgs/units")

    assert unit_ids(response) == {
        tree.street_a.pk,
        tree.community_a1.pk,
        tree.grid_a1.pk,
        tree.community_a2.pk,
    }
    street = next(unit for unit in response.json() if unit["id"] == tree.street_a.pk)
    assert street["parent_id"] is None, "the district is outside her scope and is not named"


def test_street_b_unit_by_id_answers_chinese_404_json_and_an_audit_line(
    tree: Tree, personas: Personas, street_a_client: Client
):
    response = street_a_client.get(f"/api/orgs/units/{tree.community_b1.pk}")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": NOT_FOUND}
    [event] = security_events("access_denied")
    assert event.actor_username == personas.street_a_cadre.username
    assert event.detail["pk"] == str(tree.community_b1.pk)


def test_missing_unit_answers_the_same_404_as_a_hidden_one(street_a_client: Client):
    response = street_a_client.get("/api/orgs/units/999999")

    assert response.status_code == 404
    assert response.json() == {"detail": NOT_FOUND}


def test_street_a_cadre_opens_her_own_unit(tree: Tree, street_a_client: Client):
    response = street_a_client.get(f"/api/orgs/units/{tree.community_a1.pk}")

    assert response.status_code == 200
    assert response.json()["name"] == "解放桥社区"
    assert response.json()["parent_id"] == tree.street_a.pk


def test_resident_gets_an_empty_unit_list(personas: Personas, client: Client):
    client.force_login(personas.resident)

    response = client.get("/api/orgs/units")

    assert response.status_code == 200
    assert response.json() == []


def test_me_reports_the_callers_posts_and_actions(personas: Personas, street_a_client: Client):
    response = street_a_client.get("/api/accounts/me")

    assert response.status_code == 200
    body = response.json()
    assert body["username"] == personas.street_a_cadre.username
    assert [post["role_code"] for post in body["posts"]] == ["street_cadre"]
    assert "orgs.view" in body["actions"]


# --- authentication --------------------------------------------------------------------------


def test_anonymous_caller_gets_chinese_401_json(client: Client, tree: Tree):
    for url in ("/api/orgs/units", "/api/accounts/me", f"/api/orgs/units/{tree.street_a.pk}"):
        response = client.get(url)

        assert response.status_code == 401, url
        assert response.json() == {"detail": NOT_SIGNED_IN}
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_bearer_token_honours_the_same_scope_as_the_session(
    tree: Tree, personas: Personas, client: Client
):
    _, value = issue_token(personas.street_a_cadre)

    listed = client.get("/api/orgs/units", headers=bearer(value))
    foreign = client.get(f"/api/orgs/units/{tree.street_b.pk}", headers=bearer(value))

    assert unit_ids(listed) == {
        tree.street_a.pk,
        tree.community_a1.pk,
        tree.grid_a1.pk,
        tree.community_a2.pk,
    }
    assert foreign.status_code == 404
    assert foreign.json() == {"detail": NOT_FOUND}
    assert client.get("/api/accounts/me", headers=bearer(value)).json()["username"] == "street_a"


def test_disabled_users_token_gets_401_and_an_audit_line_without_the_token(
    tree: Tree, personas: Personas, client: Client
):
    token, value = issue_token(personas.street_a_cadre)
    personas.street_a_cadre.is_active = False
    personas.street_a_cadre.save()

    response = client.get("/api/orgs/units", headers=bearer(value))

    assert response.status_code == 401
    assert response.json() == {"detail": NOT_SIGNED_IN}
    [event] = security_events("api_token_rejected")
    assert event.actor_username == "street_a"
    assert event.outcome == "failure"
    assert event.detail["reason"] == "user_disabled"
    assert event.detail["token_id"] == token.pk
    assert value not in json.dumps(list(AuditEntry.objects.values()), default=str)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"revoked_at": timezone.now()}, "revoked"),
        ({"expires_at": timezone.now() - datetime.timedelta(minutes=1)}, "expired"),
    ],
)
def test_revoked_or_expired_token_gets_401_and_an_audit_line(
    personas: Personas, client: Client, change: dict, reason: str
):
    token, value = issue_token(personas.street_a_cadre)
    for field, field_value in change.items():
        setattr(token, field, field_value)
    token.save()

    response = client.get("/api/accounts/me", headers=bearer(value))

    assert response.status_code == 401
    assert response.json() == {"detail": NOT_SIGNED_IN}
    [event] = security_events("api_token_rejected")
    assert (event.actor_username, event.detail["reason"]) == ("street_a", reason)


def test_unknown_token_gets_401_and_an_audit_line_naming_nobody(client: Client, db: None):
    response = client.get("/api/accounts/me", headers=bearer("wh_made-up"))

    assert response.status_code == 401
    [event] = security_events("api_token_rejected")
    assert event.actor_username == ""
    assert event.detail == {"reason": "unknown"}


def test_bad_token_is_refused_even_beside_a_valid_session(
    personas: Personas, street_a_client: Client
):
    response = street_a_client.get("/api/accounts/me", headers=bearer("wh_made-up"))

    assert response.status_code == 401


def test_token_use_is_written_down_at_most_once_a_minute(personas: Personas, client: Client):
    token, value = issue_token(personas.street_a_cadre)

    client.get("/api/accounts/me", headers=bearer(value))
    token.refresh_from_db()
    first_use = token.last_used_at
    client.get("/api/accounts/me", headers=bearer(value))
    token.refresh_from_db()

    assert first_use is not None
    assert token.last_used_at == first_use
    touches = AuditEntry.objects.filter(
        kind=AuditEntry.Kind.UPDATE, model_label="accounts.ApiToken", object_pk=str(token.pk)
    )
    [touch] = touches
    assert touch.actor_username == "street_a", "the token's owner is the actor of the API call"
    assert set(touch.after) == {"last_used_at", "updated_at"}

    ApiToken.objects.filter(pk=token.pk).update(
        last_used_at=timezone.now() - datetime.timedelta(minutes=2)
    )
    client.get("/api/accounts/me", headers=bearer(value))
    token.refresh_from_db()
    assert token.last_used_at > first_use


def test_idle_expired_session_gets_401_json(personas: Personas, street_a_client: Client):
    session = street_a_client.session
    idle = int(session_idle_timeout().total_seconds()) + 60
    session[LAST_ACTIVITY_KEY] = int(time.time()) - idle
    session.save()

    response = street_a_client.get("/api/orgs/units")

    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]


def test_session_past_its_expiry_date_gets_chinese_401_json(
    personas: Personas, street_a_client: Client
):
    session = street_a_client.session
    session.set_expiry(-1)
    session.save()

    response = street_a_client.get("/api/orgs/units")

    assert response.status_code == 401
    assert response.json() == {"detail": NOT_SIGNED_IN}


# --- request validation ----------------------------------------------------------------------


def test_malformed_path_parameter_gets_chinese_422(street_a_client: Client):
    response = street_a_client.get("/api/orgs/units/abc")

    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "请求参数有误：路径参数 pk：应为整数"
    assert body["errors"][0]["loc"] == ["path", "pk"]
