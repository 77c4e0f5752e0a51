"""The help-request API: intake, the steps through the same services, statistics, refusals."""

import pytest
from django.test import Client

from tests.conftest import Personas, Tree
from tests.factories import help_request, petition_category, user_with_post
from warmhome.rights.models import HelpRequest

pytestmark = pytest.mark.django_db
BASE = "/api/rights/requests"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post(client: Client, url: str, body: dict) -> object:
    return client.post(url, body, content_type="application/json")


def test_intake_transfer_reply_and_follow_up_through_the_api(tree: Tree, personas: Personas):
    street = _client(personas.street_a_cadre)
    created = _post(
        street,
        f"{BASE}/",
        {
            "channel": "referral",
            "referral_source": "12345",
            "referral_ref": "12345-000001",
            "category_id": petition_category("housing").pk,
            "content": "房产加名纠纷",
            "community_id": tree.community_a1.pk,
            "requester_name": "周琳",
            "requester_phone": "13700001234",
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["org_id"] == tree.community_a1.pk
    assert body["requester"] == "周*"
    pk = body["id"]

    moved = _post(
        street,
        f"{BASE}/{pk}/transfer",
        {"version": body["version"], "to_org_id": tree.community_a2.pk, "comment": "现居甲二社区"},
    )
    assert moved.status_code == 200, moved.content
    moved_body = moved.json()
    assert moved_body["org_id"] == tree.community_a2.pk
    assert moved_body["transfers"][0]["reason"] == "现居甲二社区"

    version = moved_body["version"]
    accepted = _post(street, f"{BASE}/{pk}/accept", {"version": version}).json()
    replied = _post(
        street,
        f"{BASE}/{pk}/reply",
        {
            "version": accepted["version"],
            "reply_text": "已协调房管部门",
            "reply_channel": "letter",
            "outcome": "partly",
        },
    )
    assert replied.status_code == 200, replied.content
    closed = _post(
        street,
        f"{BASE}/{pk}/follow-up",
        {"version": replied.json()["version"], "satisfaction": "satisfied"},
    )
    assert closed.status_code == 200, closed.content
    assert closed.json()["state"] == "closed"
    assert closed.json()["satisfaction"] == "satisfied"
    assert [entry["transition"] for entry in closed.json()["timeline"]] == [
        "转办",
        "受理",
        "答复",
        "回访并办结",
    ]


def test_api_refusals_answer_in_chinese(tree: Tree, personas: Personas):
    client = _client(personas.community_a1_cadre)
    missing = _post(
        client,
        f"{BASE}/",
        {
            "channel": "hotline",
            "category_id": petition_category().pk,
            "content": "求助",
            "community_id": tree.community_a1.pk,
            "requester_name": "周琳",
        },
    )
    assert missing.status_code in (400, 422)
    assert "联系电话" in str(missing.json())

    made = help_request(tree.community_a1)
    early = _post(
        client,
        f"{BASE}/{made.pk}/reply",
        {
            "version": made.version,
            "reply_text": "答复",
            "reply_channel": "phone",
            "outcome": "solved",
        },
    )
    assert early.status_code in (400, 422)
    assert "尚未受理" in str(early.json())
    same = _post(
        client,
        f"{BASE}/{made.pk}/transfer",
        {"version": made.version, "to_org_id": tree.community_a1.pk, "comment": "理由"},
    )
    assert same.status_code in (400, 422)
    assert "本单位" in str(same.json())
    first = _post(client, f"{BASE}/{made.pk}/accept", {"version": made.version})
    again = _post(client, f"{BASE}/{made.pk}/accept", {"version": made.version})
    assert first.status_code == 200
    assert again.status_code in (400, 409, 422)
    assert "刷新" in str(again.json())


def test_other_street_gets_404_for_reads_and_steps(tree: Tree, personas: Personas):
    made = help_request(tree.community_a1)
    other = _client(personas.street_b_cadre)
    assert other.get(f"{BASE}/{made.pk}").status_code == 404
    assert _post(other, f"{BASE}/{made.pk}/accept", {"version": 0}).status_code == 404
    assert other.get(f"{BASE}/").json()["count"] == 0
    assert HelpRequest.objects.get(pk=made.pk).state == "received"


def test_statistics_in_the_api_are_counts_only(tree: Tree, personas: Personas):
    rights = user_with_post("api_rights", tree.district, "district_staff_rights")
    help_request(tree.community_a1, code="domestic_violence", requester_name="秘密姓名")
    help_request(tree.community_b1, code="gender_discrimination", channel="online")
    answer = _client(rights).get(f"{BASE}/statistics")
    assert answer.status_code == 200
    body = answer.json()
    assert body["total"] == 2
    by_category = {item["category"]: item["count"] for item in body["by_category"]}
    assert by_category == {"婚姻家庭": 1, "劳动和社会保障": 1}
    assert {"key": "网上", "count": 1} in body["by_channel"]
    assert "秘密姓名" not in str(answer.json())
    assert _client(personas.community_a1_cadre).get(f"{BASE}/statistics").status_code == 403
