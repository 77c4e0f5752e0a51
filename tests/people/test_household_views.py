from django.test import Client
from django.urls import reverse

from tests.conftest import Personas, Tree
from tests.factories import person
from warmhome.core.models import AuditEntry
from warmhome.people import services
from warmhome.people.models import Household, HouseholdMember, Person
from warmhome.people.timeline import household_timeline


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_cadre_creates_a_household_and_adds_a_member(tree: Tree, people_personas: Personas):
    head = person(tree.community_a1, "王芳", citizen_id="11010519491231002X")
    child = person(tree.community_a1, "李小红")
    client = _client(people_personas.community_a1_cadre)

    created = client.post(
        reverse("people:household_create"),
        {"org": tree.community_a1.pk, "address": "历下区解放路1号", "head": "11010519491231002X"},
    )
    household = Household.objects.get()
    added = client.post(
        reverse("people:household_member_add", args=[household.pk]),
        {"person": f"#{child.pk}", "relationship": "child"},
    )

    assert created.status_code == 302
    assert added.status_code == 302
    assert household.head == head
    assert {(m.person.name, m.relationship) for m in household.members.all()} == {
        ("王芳", "head"),
        ("李小红", "child"),
    }
    page = client.get(reverse("people:household_detail", args=[household.pk])).content.decode()
    assert "李小红" in page
    assert "子女" in page


def test_unknown_or_ambiguous_member_gets_a_chinese_error_and_nothing_is_added(
    tree: Tree, people_personas: Personas
):
    household = services.household_create(
        actor=None, org=tree.community_a1, head=person(tree.community_a1)
    )
    person(tree.community_a1, "张秀梅")
    person(tree.community_a1, "张秀梅")
    client = _client(people_personas.community_a1_cadre)
    url = reverse("people:household_member_add", args=[household.pk])

    missing = client.post(url, {"person": "查无此人", "relationship": "child"}).content.decode()
    ambiguous = client.post(url, {"person": "张秀梅", "relationship": "child"}).content.decode()
    no_relationship = client.post(url, {"person": f"#{household.head_id}", "relationship": ""})

    assert "未找到“查无此人”" in missing
    assert "对应多名人员" in ambiguous
    assert "请选择与户主关系" in no_relationship.content.decode()
    assert household.members.count() == 1


def test_removing_a_member_keeps_the_person_and_the_history(tree: Tree, people_personas: Personas):
    head = person(tree.community_a1, "王芳")
    leaver = person(tree.community_a1, "李小红")
    household = services.household_create(actor=None, org=tree.community_a1, head=head)
    member = services.household_member_add(
        actor=None, household=household, person=leaver, relationship="child"
    )
    client = _client(people_personas.community_a1_cadre)
    url = reverse("people:household_member_remove", args=[member.pk])

    confirm = client.get(url)
    removed = client.post(url)

    assert "确定将 李小红（子女）移出本户吗" in confirm.content.decode()
    assert removed.status_code == 302
    assert not HouseholdMember.objects.filter(pk=member.pk).exists()
    assert Person.objects.filter(pk=leaver.pk).exists()
    assert AuditEntry.objects.filter(
        model_label="people.HouseholdMember", object_pk=str(member.pk), kind="delete"
    ).exists()
    titles = [
        event.title for event in household_timeline(household, people_personas.district_staff)
    ]
    assert titles[0] == "李小红 离开本户"
    assert "李小红 加入本户（子女）" in titles


def test_head_cannot_be_removed_and_the_page_says_why(tree: Tree, people_personas: Personas):
    household = services.household_create(
        actor=None, org=tree.community_a1, head=person(tree.community_a1)
    )
    member = household.members.get()

    response = _client(people_personas.community_a1_cadre).post(
        reverse("people:household_member_remove", args=[member.pk])
    )

    assert "不能移除户主，请先指定新的户主。" in response.content.decode()
    assert HouseholdMember.objects.filter(pk=member.pk).exists()


def test_shielded_member_is_masked_on_the_household_page_and_its_timeline(
    tree: Tree, people_personas: Personas
):
    household = services.household_create(
        actor=None,
        org=tree.community_a1,
        address="历下区解放路社区幸福里8号",
        head=person(tree.community_a1, "王芳"),
    )
    victim = person(tree.community_a1, "张秀梅")
    services.household_member_add(
        actor=None, household=household, person=victim, relationship="spouse"
    )
    services.person_shield(actor=people_personas.district_staff, person=victim, reason="家暴案件")

    for viewer in (people_personas.community_a1_cadre, people_personas.district_staff):
        page = (
            _client(viewer)
            .get(reverse("people:household_detail", args=[household.pk]))
            .content.decode()
        )
        assert "张秀梅" not in page
        assert "幸福里" not in page
        assert "（受保护人员）" in page
        assert "（受保护人员） 加入本户（配偶）" in page


def test_membership_events_are_shown_only_to_people_view_over_the_household(
    tree: Tree, people_personas: Personas
):
    household = services.household_create(
        actor=None, org=tree.community_a1, head=person(tree.community_a1, "王芳")
    )

    def membership(user):
        return [
            e.title for e in household_timeline(household, user) if e.source == "people.membership"
        ]

    assert membership(people_personas.community_a1_cadre) == ["王芳 加入本户（户主）"]
    assert membership(people_personas.street_b_cadre) == []
    assert membership(people_personas.resident) == []


def test_household_of_another_street_answers_404(tree: Tree, people_personas: Personas):
    foreign = services.household_create(
        actor=None, org=tree.community_b1, head=person(tree.community_b1)
    )
    client = _client(people_personas.street_a_cadre)

    for name in ("people:household_detail", "people:household_member_add"):
        assert client.get(reverse(name, args=[foreign.pk])).status_code == 404
    member = foreign.members.get()
    assert (
        client.post(reverse("people:household_member_remove", args=[member.pk])).status_code == 404
    )
    assert HouseholdMember.objects.filter(pk=member.pk).exists()


def test_household_list_has_a_bounded_number_of_queries(
    tree: Tree, people_personas: Personas, django_assert_max_num_queries
):
    for _ in range(20):
        household = services.household_create(
            actor=None, org=tree.community_a1, head=person(tree.community_a1)
        )
        services.household_member_add(
            actor=None,
            household=household,
            person=person(tree.community_a1),
            relationship="spouse",
        )
    services.household_create(actor=None, org=tree.community_b1, head=person(tree.community_b1))
    client = _client(people_personas.street_a_cadre)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("people:household_list"))

    assert response.status_code == 200
    assert len(response.context["households"]) == 20
    assert all(household.member_count == 2 for household in response.context["households"])
