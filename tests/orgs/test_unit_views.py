"""Organisation management pages: the unit's facts, what is missing, and the forms."""

from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from tests.conftest import Personas, Tree
from tests.factories import org, person
from warmhome.orgs import services
from warmhome.orgs.models import EstablishmentMode, MemberRole, OrgKind, OrgUnit, UnitMember


def _complete(unit: OrgUnit, year: int) -> None:
    services.orgunit_facts_update(
        actor=None,
        unit=unit,
        establishment_mode=EstablishmentMode.STANDALONE,
        has_venue=True,
        venue_area=Decimal("80"),
        venue_address=f"{unit.name}活动室",
    )
    services.unit_member_add(actor=None, unit=unit, role=MemberRole.CHAIR, person=person(unit))
    services.unit_funding_record(
        actor=None, unit=unit, year=year, amount=Decimal("5000"), source="街道拨款"
    )


def test_the_list_shows_completeness_at_the_same_cost_for_many_units(
    client, tree: Tree, personas: Personas, django_assert_max_num_queries
):
    year = timezone.localdate().year
    for number in range(20):
        _complete(org(tree.street_b, OrgKind.COMMUNITY, f"千佛山演示社区{number}"), year)
    client.force_login(personas.district_staff)

    with django_assert_max_num_queries(6):
        response = client.get(reverse("orgs:orgunit_list"))

    page = response.content.decode()
    assert "千佛山演示社区19" in page
    assert page.count("有主席") == 20
    assert page.count("无主席") == 7  # the persona tree's own units


def test_a_unit_page_shows_its_facts_and_what_is_missing(
    client, tree: Tree, personas: Personas, django_assert_max_num_queries
):
    year = timezone.localdate().year
    services.orgunit_facts_update(
        actor=None,
        unit=tree.community_a1,
        establishment_mode=EstablishmentMode.JOINT,
        joint_partner_names="泉城示范物业有限公司",
    )
    for number, role in enumerate([MemberRole.VICE_CHAIR, MemberRole.MEMBER, MemberRole.MEMBER]):
        services.unit_member_add(
            actor=None,
            unit=tree.community_a1,
            role=role,
            person=person(tree.community_a1, f"执委{number}号"),
        )
    client.force_login(personas.street_a_cadre)

    with django_assert_max_num_queries(30):
        page = client.get(
            reverse("orgs:orgunit_detail", args=[tree.community_a1.pk])
        ).content.decode()

    assert "泉城示范物业有限公司" in page
    assert "执委2号" in page
    for missing in ("没有阵地", "没有在任主席", f"没有 {year} 年度经费", "尚未达到“已建立”阶段"):
        assert missing in page
    assert "没有副主席或执委" not in page


def test_a_shielded_member_is_never_named_on_the_unit_page(client, tree: Tree, personas: Personas):
    chair = person(tree.community_a1, "周秀兰")
    from warmhome.people.services import person_shield

    person_shield(actor=None, person=chair, reason="家暴案件当事人")
    services.unit_member_add(
        actor=None, unit=tree.community_a1, role=MemberRole.CHAIR, person=chair
    )
    client.force_login(personas.street_a_cadre)

    page = client.get(reverse("orgs:orgunit_detail", args=[tree.community_a1.pk])).content.decode()
    api = client.get(f"/api/orgs/units/{tree.community_a1.pk}").content.decode()

    assert "周秀兰" not in page
    assert "周秀兰" not in api
    assert "（受保护人员）" in page


def test_the_facts_form_shows_chinese_errors_and_keeps_the_input(
    client, tree: Tree, personas: Personas
):
    client.force_login(personas.street_a_cadre)

    response = client.post(
        reverse("orgs:orgunit_facts", args=[tree.community_a1.pk]),
        {"establishment_mode": "joint", "has_venue": "on", "venue_area": "60"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "联建须填写联建单位。" in page
    assert "有阵地时请填写阵地地址。" in page
    assert 'value="60"' in page


def test_creating_a_unit_through_the_page(client, tree: Tree, personas: Personas):
    client.force_login(personas.street_a_cadre)
    url = reverse("orgs:orgunit_create", args=[tree.community_a1.pk])

    response = client.post(url, {"kind": "grid", "name": "解放桥社区第二网格"})
    again = client.post(url, {"kind": "grid", "name": "解放桥社区第二网格"})

    unit = OrgUnit.objects.get(name="解放桥社区第二网格")
    assert response["Location"] == reverse("orgs:orgunit_detail", args=[unit.pk])
    assert "已有名为“解放桥社区第二网格”的组织" in again.content.decode()


def test_recording_funds_and_a_stage_through_the_pages(client, tree: Tree, personas: Personas):
    from warmhome.orgs.models import StageCriterion

    client.force_login(personas.street_a_cadre)
    unit_url = reverse("orgs:orgunit_detail", args=[tree.community_a1.pk])
    client.post(
        reverse("orgs:funding_record", args=[tree.community_a1.pk]),
        {"year": "2026", "amount": "8000", "source": "街道财政拨款"},
    )
    form = client.get(reverse("orgs:stage_record", args=[tree.community_a1.pk])).content.decode()
    refused = client.post(
        reverse("orgs:stage_record", args=[tree.community_a1.pk]),
        {"stage": "established", "reached_on": "2025-03-01", "evidence": "选举批复"},
    )
    items = StageCriterion.objects.filter(stage="established", is_active=True)
    done = client.post(
        reverse("orgs:stage_record", args=[tree.community_a1.pk]),
        {
            "stage": "established",
            "reached_on": "2025-03-01",
            "evidence": "选举批复",
            "criteria": [item.pk for item in items],
        },
    )

    assert items.first().text in form
    assert "尚未达到以下标准" in refused.content.decode()
    assert done["Location"] == unit_url
    page = client.get(unit_url).content.decode()
    assert "8000" in page
    assert "选举批复" in page


def test_management_pages_of_another_street_answer_404(client, tree: Tree, personas: Personas):
    client.force_login(personas.street_a_cadre)
    for name in ("orgunit_move", "orgunit_merge", "orgunit_facts", "member_add", "funding_record"):
        assert client.get(reverse(f"orgs:{name}", args=[tree.community_b1.pk])).status_code == 404


def test_a_community_cadre_without_orgs_change_cannot_open_the_forms(
    client, tree: Tree, personas: Personas
):
    client.force_login(personas.community_a1_cadre)

    assert client.get(reverse("orgs:orgunit_facts", args=[tree.community_a1.pk])).status_code == 404
    page = client.get(reverse("orgs:orgunit_detail", args=[tree.community_a1.pk])).content.decode()
    assert reverse("orgs:orgunit_facts", args=[tree.community_a1.pk]) not in page


def test_the_checklist_page_is_for_the_district_organisation_staff(
    client, tree: Tree, personas: Personas
):
    client.force_login(personas.street_a_cadre)
    assert client.get(reverse("orgs:stage_criterion_list")).status_code == 403

    client.force_login(personas.district_staff)
    response = client.post(
        reverse("orgs:stage_criterion_list"),
        {"stage": "elevated", "text": "年度工作获区级以上表彰", "order": "5", "is_active": "on"},
    )
    assert response.status_code == 302
    assert (
        "年度工作获区级以上表彰"
        in client.get(reverse("orgs:stage_criterion_list")).content.decode()
    )


def test_merging_through_the_page(client, tree: Tree, personas: Personas):
    client.force_login(personas.street_a_cadre)

    response = client.post(
        reverse("orgs:orgunit_merge", args=[tree.community_a2.pk]),
        {"keep": tree.community_a1.pk, "on": "2026-01-01"},
    )

    assert response["Location"] == reverse("orgs:orgunit_detail", args=[tree.community_a1.pk])
    page = client.get(reverse("orgs:orgunit_detail", args=[tree.community_a2.pk])).content.decode()
    assert "已合并至" in page


def test_a_member_is_typed_and_found_among_the_units_own_persons_only(
    client, tree: Tree, personas: Personas
):
    """No drop-down of every person below a district: the cadre types a name, an ID or #编号."""
    chair = person(tree.community_a1, "钱秀梅")
    outsider = person(tree.community_b1, "孙丽华")
    client.force_login(personas.street_a_cadre)
    url = reverse("orgs:member_add", args=[tree.community_a1.pk])

    page = client.get(url).content.decode()
    elsewhere = client.post(url, {"role": MemberRole.CHAIR, "person": f"#{outsider.pk}"})
    added = client.post(url, {"role": MemberRole.CHAIR, "person": "钱秀梅"})

    assert "钱秀梅" not in page
    assert "未找到" in elsewhere.content.decode()
    assert added.status_code == 302
    assert [member.person for member in UnitMember.objects.filter(org=tree.community_a1)] == [chair]
