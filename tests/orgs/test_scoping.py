from tests.conftest import Personas, Tree
from warmhome.orgs.models import OrgUnit


def test_street_cadre_sees_her_street_and_its_communities_only(tree: Tree, personas: Personas):
    visible = set(OrgUnit.objects.visible_to(personas.street_a_cadre))

    assert visible == {tree.street_a, tree.community_a1, tree.grid_a1, tree.community_a2}


def test_community_cadre_sees_nothing_outside_her_community(tree: Tree, personas: Personas):
    visible = set(OrgUnit.objects.visible_to(personas.community_a1_cadre))

    assert visible == {tree.community_a1, tree.grid_a1}


def test_resident_without_actions_sees_no_organisation(tree: Tree, personas: Personas):
    assert not OrgUnit.objects.visible_to(personas.resident).exists()


def test_district_staff_sees_the_whole_district(tree: Tree, personas: Personas):
    assert OrgUnit.objects.visible_to(personas.district_staff).count() == 7
