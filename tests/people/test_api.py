import json

from django.test import Client

from tests.conftest import Personas, Tree
from tests.factories import person
from warmhome.people import services


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_persons_api_searches_and_returns_masked_values_only(tree: Tree, people_personas: Personas):
    someone = person(tree.community_a1, "张秀梅", citizen_id="11010519491231002X")
    person(tree.community_a1, "李红")
    person(tree.community_b1, "张秀兰")

    response = _client(people_personas.street_a_cadre).get("/api/people/persons", {"q": "zx"})

    payload = response.json()
    assert response.status_code == 200
    assert payload["count"] == 1
    assert payload["items"][0]["name"] == "张秀梅"
    assert payload["items"][0]["masked_id"] == "110105********002X"
    assert someone.citizen_id not in json.dumps(payload)
    assert someone.phone not in response.content.decode()


def test_person_api_detail_is_masked_and_another_streets_person_is_404(
    tree: Tree, people_personas: Personas
):
    own = person(tree.community_a1, phone="13912345678")
    foreign = person(tree.community_b1)
    client = _client(people_personas.street_a_cadre)

    detail = client.get(f"/api/people/persons/{own.pk}")
    hidden = client.get(f"/api/people/persons/{foreign.pk}")

    assert detail.status_code == 200
    assert detail.json()["masked_phone"] == "139****5678"
    assert hidden.status_code == 404


def test_shielded_name_is_absent_from_the_api(tree: Tree, people_personas: Personas):
    victim = person(tree.community_a1, "张秀梅")
    services.person_shield(actor=people_personas.district_staff, person=victim, reason="家暴案件")

    for viewer in (people_personas.district_staff, people_personas.street_a_cadre):
        client = _client(viewer)
        listing = json.dumps(client.get("/api/people/persons").json(), ensure_ascii=False)
        detail = json.dumps(
            client.get(f"/api/people/persons/{victim.pk}").json(), ensure_ascii=False
        )
        assert "受保护人员" in listing + detail
        assert "张秀梅" not in listing + detail
        assert "家暴案件" not in listing + detail
