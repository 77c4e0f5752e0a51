"""The organisation list and detail pages."""

from django.urls import reverse

from tests.conftest import Personas, Tree
from tests.factories import org
from warmhome.orgs.models import OrgKind


def test_org_list_costs_the_same_queries_for_three_or_thirty_units(
    client, tree: Tree, personas: Personas, django_assert_max_num_queries
):
    client.force_login(personas.district_staff)
    for number in range(30):
        org(tree.community_b1, OrgKind.GRID, f"佛山苑社区网格{number}")

    with django_assert_max_num_queries(6):
        response = client.get(reverse("orgs:orgunit_list"))

    assert response.status_code == 200
    assert "佛山苑社区网格29" in response.content.decode()


def test_org_detail_lists_the_visible_children_only(client, tree: Tree, personas: Personas):
    client.force_login(personas.street_a_cadre)

    page = client.get(reverse("orgs:orgunit_detail", args=[tree.street_a.pk])).content.decode()

    assert tree.community_a1.name in page
    assert tree.street_b.name not in page
