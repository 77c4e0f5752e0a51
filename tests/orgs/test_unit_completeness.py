"""The interface the coverage roll-up reads: unit_completeness and annotate_completeness."""

from decimal import Decimal

from django.db.models import Count, Q

from tests.conftest import Personas, Tree
from tests.factories import org, person
from warmhome.orgs import services
from warmhome.orgs.models import EstablishmentMode, MemberRole, OrgKind, OrgUnit
from warmhome.orgs.selectors import annotate_completeness, unit_completeness, unit_missing


def _facts(tree: Tree) -> None:
    services.orgunit_facts_update(
        actor=None,
        unit=tree.community_a1,
        establishment_mode=EstablishmentMode.STANDALONE,
        has_venue=True,
        venue_address="解放桥社区活动室",
    )
    services.unit_member_add(
        actor=None, unit=tree.community_a1, role=MemberRole.CHAIR, person=person(tree.community_a1)
    )
    services.unit_member_add(
        actor=None, unit=tree.community_a2, role=MemberRole.MEMBER, person=person(tree.community_a2)
    )
    ended = services.unit_member_add(
        actor=None, unit=tree.community_b1, role=MemberRole.CHAIR, person=person(tree.community_b1)
    )
    services.unit_member_end(actor=None, member=ended)
    for unit, year in ((tree.community_a1, 2026), (tree.community_a2, 2025)):
        services.unit_funding_record(
            actor=None, unit=unit, year=year, amount=Decimal("1000"), source="街道拨款"
        )


def test_completeness_per_unit_costs_one_query_per_fact(tree: Tree, django_assert_num_queries):
    _facts(tree)
    for number in range(10):
        org(tree.street_b, OrgKind.COMMUNITY, f"另一社区{number}")
    units = list(OrgUnit.objects.filter(kind=OrgKind.COMMUNITY))

    with django_assert_num_queries(2):
        facts = unit_completeness(units, 2026)

    a1, a2, b1 = (
        facts[tree.community_a1.pk],
        facts[tree.community_a2.pk],
        facts[tree.community_b1.pk],
    )
    assert (a1.has_venue, a1.has_people, a1.has_funds, a1.is_complete) == (True, True, True, True)
    assert (a2.has_venue, a2.has_people, a2.has_funds) == (False, False, False)
    assert not b1.has_people  # her term ended
    assert len(facts) == 13

    with django_assert_num_queries(3):
        by_id = unit_completeness([unit.pk for unit in units], 2026)
    assert by_id == facts


def test_the_annotations_roll_up_in_one_query(tree: Tree, django_assert_num_queries):
    _facts(tree)
    street_a = OrgUnit.objects.get(pk=tree.street_a.pk)
    communities = OrgUnit.objects.filter(path__startswith=street_a.path, kind=OrgKind.COMMUNITY)

    with django_assert_num_queries(1):
        totals = annotate_completeness(communities, 2025).aggregate(
            units=Count("pk"),
            venues=Count("pk", filter=Q(has_venue=True)),
            people=Count("pk", filter=Q(has_people=True)),
            funds=Count("pk", filter=Q(has_funds=True)),
        )

    assert totals == {"units": 2, "venues": 1, "people": 1, "funds": 1}


def test_the_missing_list_names_what_a_unit_lacks(tree: Tree, personas: Personas):
    _facts(tree)

    assert unit_missing(OrgUnit.objects.get(pk=tree.community_a1.pk), 2026) == [
        "未填写阵地面积",
        "没有副主席或执委",
        "尚未达到“已建立”阶段",
    ]
    assert "没有 2026 年度经费" in unit_missing(OrgUnit.objects.get(pk=tree.community_a2.pk), 2026)
