"""/api/orgs/units with the facts of each unit."""

from decimal import Decimal

from django.utils import timezone

from tests.conftest import Personas, Tree
from tests.factories import person
from warmhome.orgs import services
from warmhome.orgs.models import EstablishmentMode, MemberRole


def test_the_unit_list_carries_completeness_and_stays_in_scope(
    client, tree: Tree, personas: Personas, django_assert_max_num_queries
):
    services.unit_funding_record(
        actor=None,
        unit=tree.community_a1,
        year=timezone.localdate().year,
        amount=Decimal("1000"),
        source="街道拨款",
    )
    client.force_login(personas.street_a_cadre)

    with django_assert_max_num_queries(8):
        units = client.get("/api/orgs/units").json()

    by_id = {unit["id"]: unit for unit in units}
    assert set(by_id) == {
        tree.street_a.pk,
        tree.community_a1.pk,
        tree.grid_a1.pk,
        tree.community_a2.pk,
    }
    assert by_id[tree.community_a1.pk]["has_funds"] is True
    assert by_id[tree.community_a2.pk]["has_funds"] is False


def test_the_unit_detail_has_every_fact(client, tree: Tree, personas: Personas):
    services.orgunit_facts_update(
        actor=None,
        unit=tree.community_a1,
        establishment_mode=EstablishmentMode.JOINT,
        joint_partner_names="泉城示范物业有限公司",
        joint_units=[tree.community_b1],
        has_venue=True,
        venue_area=Decimal("95.5"),
        venue_address="解放桥社区活动室",
    )
    services.unit_member_add(
        actor=None,
        unit=tree.community_a1,
        role=MemberRole.CHAIR,
        person=person(tree.community_a1, "马玉兰"),
    )
    client.force_login(personas.street_a_cadre)

    unit = client.get(f"/api/orgs/units/{tree.community_a1.pk}").json()

    assert unit["establishment_mode"] == "joint"
    assert unit["joint_partner_names"] == ["泉城示范物业有限公司"]
    assert unit["joint_unit_ids"] == []  # street B's community is outside her scope
    assert unit["venue_area"] == "95.5"
    assert [(m["role"], m["name"]) for m in unit["members"]] == [("chair", "马玉兰")]
    assert unit["has_people"] is True
    assert "尚未达到“已建立”阶段" in unit["missing"]


def test_another_streets_unit_answers_404(client, tree: Tree, personas: Personas):
    client.force_login(personas.street_a_cadre)
    assert client.get(f"/api/orgs/units/{tree.community_b1.pk}").status_code == 404
