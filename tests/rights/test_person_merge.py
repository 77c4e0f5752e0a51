"""Merging a duplicate record of a DV victim or child moves the case and keeps her shielded."""

from tests.conftest import Tree
from tests.factories import dv_case, person
from tests.rights.conftest import Station
from warmhome.people.models import SHIELDED_NAME_STORED, Person
from warmhome.people.services import person_merge


def test_merging_a_shielded_victim_into_a_plain_record_moves_the_case_and_shields_it(
    tree: Tree, station: Station
):
    case = dv_case(tree.community_a1, workers=[station.worker])
    child = person(tree.community_a1, "林小满")
    case.children.add(child)
    plain_twin = person(tree.community_a1, "林素芬", citizen_id="")
    plain_child_twin = person(tree.community_a1, "林小满", citizen_id="")

    person_merge(actor=None, keep=plain_twin, merge=case.victim)
    person_merge(actor=None, keep=plain_child_twin, merge=child)

    case.refresh_from_db()
    kept = Person.objects.get(pk=plain_twin.pk)
    assert case.victim_id == kept.pk  # a hidden relation (related_name="+") moved too
    assert list(case.children.all()) == [plain_child_twin]  # and the many-to-many one
    assert kept.is_shielded
    assert (kept.name, kept.shielded_name, kept.name_pinyin_initials) == (
        SHIELDED_NAME_STORED,
        "林素芬",
        "",
    )
