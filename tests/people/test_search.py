import datetime

from tests.conftest import Personas, Tree
from tests.factories import person
from warmhome.core.identifiers import fake_citizen_id
from warmhome.people import services
from warmhome.people.selectors import person_search


def _names(user, query):
    return [found.name for found in person_search(user, query)]


def _pks(user, query):
    return [found.pk for found in person_search(user, query)]


def test_pinyin_initials_find_the_person(tree: Tree, people_personas: Personas):
    person(tree.community_a1, "张秀梅")
    person(tree.community_a1, "李红")

    assert _names(people_personas.community_a1_cadre, "zxm") == ["张秀梅"]
    assert _names(people_personas.community_a1_cadre, "ZX") == ["张秀梅"]


def test_name_prefix_finds_the_person(tree: Tree, people_personas: Personas):
    person(tree.community_a1, "张秀梅")
    person(tree.community_a1, "李红")

    assert _names(people_personas.community_a1_cadre, "张秀") == ["张秀梅"]


def test_initials_matches_come_grouped_by_initials_then_name(tree: Tree, people_personas: Personas):
    for name in ("张秀梅", "赵一", "张霞", "周小明", "张秀", "郑晓"):
        person(tree.community_a1, name)

    # initials zx before zxm, then by name (code point order); zy (赵一) only under "z"
    zx_first = ["张秀", "张霞", "郑晓", "周小明", "张秀梅"]
    assert _names(people_personas.community_a1_cadre, "zx") == zx_first
    assert _names(people_personas.community_a1_cadre, "z") == [*zx_first, "赵一"]


def test_a_surname_alone_finds_everyone_with_it_and_nobody_else(
    tree: Tree, people_personas: Personas
):
    for name in ("张秀梅", "张", "章红", "弓长"):
        person(tree.community_a1, name)

    assert sorted(_names(people_personas.community_a1_cadre, "张")) == ["张", "张秀梅"]


def test_last_four_of_id_or_phone_find_the_person(tree: Tree, people_personas: Personas):
    by_id = person(tree.community_a1, "王芳", citizen_id="11010519491231002X", phone="")
    by_phone = person(tree.community_a1, "赵敏", citizen_id="", phone="13912345678")

    assert _names(people_personas.community_a1_cadre, "002x") == [by_id.name]
    assert _names(people_personas.community_a1_cadre, "5678") == [by_phone.name]


def test_full_id_finds_the_person_through_the_blind_index(tree: Tree, people_personas: Personas):
    citizen_id = fake_citizen_id(birth_date=datetime.date(1975, 3, 2))
    person(tree.community_a1, "陈静", citizen_id=citizen_id)
    person(tree.community_a1, "陈洁")

    assert _names(people_personas.community_a1_cadre, citizen_id) == ["陈静"]
    assert _names(people_personas.community_a1_cadre, f" {citizen_id.lower()} ") == ["陈静"]


def test_search_is_scoped_to_the_users_organisations(tree: Tree, people_personas: Personas):
    person(tree.community_a1, "张秀梅")
    person(tree.community_b1, "张秀兰")

    assert _names(people_personas.street_a_cadre, "zx") == ["张秀梅"]
    assert _names(people_personas.street_b_cadre, "zx") == ["张秀兰"]
    assert _names(people_personas.resident, "zx") == []


def test_shielded_person_is_found_only_by_users_holding_people_shield_and_never_by_name(
    tree: Tree, people_personas: Personas
):
    shielded = person(tree.community_a1, "张秀梅")
    services.person_shield(actor=people_personas.district_staff, person=shielded, reason="家暴")
    last4 = shielded.citizen_id[-4:]

    assert _pks(people_personas.community_a1_cadre, last4) == []
    assert _pks(people_personas.district_staff, last4) == [shielded.pk]
    # Her name is no longer stored in clear, so no one finds her by it.
    assert _pks(people_personas.district_staff, "zxm") == []
    assert _pks(people_personas.district_staff, "张秀梅") == []
    assert [
        found.pk
        for found in person_search(people_personas.community_a1_cadre, last4, include_shielded=True)
    ] == [shielded.pk]


def test_merged_records_are_not_found(tree: Tree, people_personas: Personas):
    keep = person(tree.community_a1, "周梅", citizen_id="")
    merge = person(tree.community_a1, "周梅")
    services.person_merge(actor=None, keep=keep, merge=merge)

    assert [found.pk for found in person_search(people_personas.community_a1_cadre, "zm")] == [
        keep.pk
    ]
