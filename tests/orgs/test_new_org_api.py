"""/api/orgs/new-orgs, /api/orgs/grids and /api/orgs/coverage."""

import json

from django.test import Client

from tests.conftest import Personas, Tree
from tests.factories import new_org, person
from warmhome.core.identifiers import fake_credit_code
from warmhome.orgs.models_new_orgs import GridLeader, NewOrg
from warmhome.people.services import person_shield


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_street_cadre_creates_lists_and_reads_a_new_org(tree: Tree, personas: Personas):
    client = client_for(personas.street_a_cadre)
    body = {
        "org_id": tree.grid_a1.pk,
        "name": "接口登记公司",
        "credit_code": fake_credit_code(),
        "employees": 30,
        "female_employees": 12,
    }

    created = client.post("/api/orgs/new-orgs", json.dumps(body), content_type="application/json")
    listed = client.get("/api/orgs/new-orgs?q=接口").json()
    one = client.get(f"/api/orgs/new-orgs/{created.json()['id']}").json()

    assert created.status_code == 201
    assert listed["count"] == 1
    assert listed["items"][0]["eligible"] is True
    assert one["org_id"] == tree.grid_a1.pk
    assert one["kind"] == "enterprise"


def test_bad_input_is_a_chinese_error_and_another_streets_org_is_a_404(
    tree: Tree, personas: Personas
):
    client = client_for(personas.street_a_cadre)
    bad = client.post(
        "/api/orgs/new-orgs",
        json.dumps({"org_id": tree.community_a1.pk, "name": "坏", "credit_code": "123"}),
        content_type="application/json",
    )
    foreign = client.post(
        "/api/orgs/new-orgs",
        json.dumps(
            {"org_id": tree.community_b1.pk, "name": "外", "credit_code": fake_credit_code()}
        ),
        content_type="application/json",
    )

    assert bad.status_code in (400, 422)
    assert "统一社会信用代码应为18位" in json.dumps(bad.json(), ensure_ascii=False)
    assert foreign.status_code == 404
    assert not NewOrg.objects.exists()


def test_grids_show_the_leader_drawn_through_the_rendering_function(tree: Tree, personas: Personas):
    leader = person(tree.grid_a1, "陈桂兰")
    GridLeader.objects.create(org=tree.grid_a1, person=leader, started_on="2026-01-01")
    person_shield(actor=None, person=leader, reason="家暴受害人")
    new_org(tree.grid_a1)

    grids = client_for(personas.street_a_cadre).get("/api/orgs/grids").json()

    assert grids == [
        {
            "id": tree.grid_a1.pk,
            "name": "解放桥社区第一网格",
            "community_id": tree.community_a1.pk,
            "leader_person_id": leader.pk,
            "leader_name": "（受保护人员）",
            "leader_title": "网格妇女小组长",
            "leader_since": "2026-01-01",
            "new_orgs": 1,
        }
    ]


def test_coverage_rolls_up_within_the_callers_scope(tree: Tree, personas: Personas):
    new_org(tree.community_a1, female_employees=30)
    new_org(tree.community_b1, female_employees=30)

    district = client_for(personas.district_staff).get("/api/orgs/coverage").json()
    street_b = client_for(personas.street_b_cadre).get("/api/orgs/coverage").json()

    top = next(row for row in district["rows"] if row["id"] == tree.district.pk)
    assert (top["eligible"], top["covered"], top["org_coverage"]) == (2, 0, 0.0)
    assert {row["name"] for row in street_b["rows"]} == {"千佛山街道", "佛山苑社区"}
