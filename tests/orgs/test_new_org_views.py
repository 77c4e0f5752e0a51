"""The 两新 organisation pages, grids, the gap list and the coverage page and export."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.conftest import Personas, Tree
from tests.factories import new_org, person
from warmhome.core.identifiers import fake_credit_code
from warmhome.core.models import AuditEntry
from warmhome.orgs.models import OrgKind, OrgUnit
from warmhome.orgs.models_new_orgs import GridLeader, NewOrg


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_street_cadre_registers_and_builds_a_joint_womens_org_through_the_pages(
    tree: Tree, personas: Personas
):
    client = client_for(personas.street_a_cadre)
    neighbour = new_org(tree.community_a1, "邻居科技有限公司", female_employees=4)

    created = client.post(
        reverse("orgs:neworg_create"),
        {
            "org": tree.grid_a1.pk,
            "name": "泉城制衣有限公司",
            "credit_code": fake_credit_code().lower(),
            "kind": "",
            "subkind": "",
            "industry": "制造业",
            "employees": 120,
            "female_employees": 80,
        },
    )
    company = NewOrg.objects.get(name="泉城制衣有限公司")
    assert created["Location"] == reverse("orgs:neworg_detail", args=[company.pk])
    assert company.kind == "enterprise"

    form = client.get(reverse("orgs:neworg_womens_org_create", args=[company.pk]))
    assert "邻居科技有限公司" in form.content.decode()
    done = client.post(
        reverse("orgs:neworg_womens_org_create", args=[company.pk]),
        {"mode": "joint", "partners": [neighbour.pk], "name": ""},
    )
    assert done.status_code == 302
    page = client.get(done["Location"]).content.decode()
    assert "泉城制衣有限公司等2家单位联合妇女委员会" in page
    assert "邻居科技有限公司" in page


def test_joint_without_partners_and_a_bad_code_are_shown_on_the_form(
    tree: Tree, personas: Personas
):
    client = client_for(personas.street_a_cadre)
    company = new_org(tree.community_a1)

    joint = client.post(
        reverse("orgs:neworg_womens_org_create", args=[company.pk]), {"mode": "joint"}
    )
    bad = client.post(
        reverse("orgs:neworg_create"),
        {
            "org": tree.community_a1.pk,
            "name": "某公司",
            "credit_code": "91370102MA3C12345X",
            "employees": 1,
            "female_employees": 0,
        },
    )

    assert "联建请至少选择一家联建单位。" in joint.content.decode()
    assert "统一社会信用代码" in bad.content.decode()
    assert bad.status_code == 200
    assert not NewOrg.objects.filter(name="某公司").exists()


def test_the_community_cadre_reads_but_cannot_register(tree: Tree, personas: Personas):
    client = client_for(personas.community_a1_cadre)
    assert client.get(reverse("orgs:neworg_create")).status_code == 403
    company = new_org(tree.community_a1)
    assert client.get(reverse("orgs:neworg_detail", args=[company.pk])).status_code == 200
    assert client.get(reverse("orgs:neworg_update", args=[company.pk])).status_code == 404


def test_lists_run_a_bounded_number_of_queries(
    tree: Tree, personas: Personas, django_assert_max_num_queries
):
    for index in range(30):
        new_org(tree.grid_a1 if index % 2 else tree.community_a1)
    GridLeader.objects.create(
        org=tree.grid_a1, person=person(tree.grid_a1), started_on="2026-01-01"
    )
    client = client_for(personas.district_staff)
    for name in ("orgs:neworg_list", "orgs:grid_list", "orgs:coverage_gaps", "orgs:coverage"):
        with django_assert_max_num_queries(16):
            response = client.get(reverse(name))
        assert response.status_code == 200, name


def test_the_gap_list_names_what_is_missing(tree: Tree, personas: Personas):
    missing = new_org(tree.community_a1, "未建妇女组织的公司", female_employees=30)
    new_org(tree.community_a1, "小公司", female_employees=2)
    page = client_for(personas.street_a_cadre).get(reverse("orgs:coverage_gaps")).content.decode()

    assert missing.name in page
    assert "小公司" not in page
    assert "解放桥社区第一网格" in page  # no leader, no work


def test_coverage_page_drills_down_and_the_export_is_audited(tree: Tree, personas: Personas):
    new_org(tree.community_a1, female_employees=30)
    client = client_for(personas.district_staff)

    top = client.get(reverse("orgs:coverage")).content.decode()
    drill = client.get(reverse("orgs:coverage") + f"?unit={tree.street_a.pk}").content.decode()
    export = client.get(reverse("orgs:coverage_export"))
    data = client.get(reverse("orgs:coverage_data")).json()

    assert "千佛山街道" in top
    assert 'id="coverage-chart-data"' in top
    assert "解放桥社区" in drill
    assert "千佛山街道" not in drill
    sheet = load_workbook(io.BytesIO(export.content)).worksheets[0]
    names = [row[0].strip("　") for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "历下区" in names
    assert "解放桥社区" in names
    entry = AuditEntry.objects.filter(event="export").latest("seq")
    assert entry.detail["what"] == "orgs.coverage"
    assert {row["name"] for row in data["rows"]} >= {"历下区", "解放路街道", "佛山苑社区"}


def test_another_streets_cadre_sees_neither_the_company_nor_its_figures(
    tree: Tree, personas: Personas
):
    company = new_org(tree.community_a1, "解放路公司")
    client = client_for(personas.street_b_cadre)

    assert client.get(reverse("orgs:neworg_detail", args=[company.pk])).status_code == 404
    assert "解放路公司" not in client.get(reverse("orgs:neworg_list")).content.decode()
    coverage = client.get(reverse("orgs:coverage")).content.decode()
    assert "解放路街道" not in coverage
    export = client.get(reverse("orgs:coverage_export"))
    sheet = load_workbook(io.BytesIO(export.content)).worksheets[0]
    names = [row[0].strip("　") for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["千佛山街道", "佛山苑社区"]
    assert client_for(personas.resident).get(reverse("orgs:coverage_export")).status_code == 403


def test_grid_leader_is_named_through_the_page(tree: Tree, personas: Personas):
    candidate = person(tree.grid_a1, "刘秀英")
    client = client_for(personas.street_a_cadre)

    form = client.get(reverse("orgs:grid_leader_assign", args=[tree.grid_a1.pk]))
    saved = client.post(
        reverse("orgs:grid_leader_assign", args=[tree.grid_a1.pk]),
        {"person": "刘秀英", "title": "grid_head", "started_on": "2026-02-01"},
    )

    assert form.status_code == 200
    assert saved.status_code == 302
    assert GridLeader.objects.current().get(org=tree.grid_a1).person == candidate
    listing = client.get(reverse("orgs:grid_list")).content.decode()
    assert "刘秀英" in listing
    assert "网格长" in listing
    assert (
        client.get(reverse("orgs:grid_leader_assign", args=[tree.community_a1.pk])).status_code
        == 404
    )


@pytest.mark.parametrize("kind", [OrgKind.COMMUNITY])
def test_womens_org_units_appear_in_the_tree(tree: Tree, personas: Personas, kind):
    company = new_org(tree.community_a1)
    client = client_for(personas.street_a_cadre)
    client.post(reverse("orgs:neworg_womens_org_create", args=[company.pk]), {"mode": "standalone"})
    unit = OrgUnit.objects.get(kind=OrgKind.NEW_ORG)
    assert OrgUnit.objects.get_parent(unit).kind == kind


def test_a_grid_leader_is_typed_not_picked_from_every_person_of_the_community(
    tree: Tree, personas: Personas
):
    """The page lists nobody (a community holds thousands); a person elsewhere is not found."""
    person(tree.grid_a1, "刘秀英")
    outsider = person(tree.community_b1, "赵桂兰")
    client = client_for(personas.district_staff)
    url = reverse("orgs:grid_leader_assign", args=[tree.grid_a1.pk])

    page = client.get(url).content.decode()
    refused = client.post(
        url, {"person": f"#{outsider.pk}", "title": "grid_head", "started_on": "2026-02-01"}
    )
    unknown = client.post(url, {"person": "钱多多", "title": "grid_head", "started_on": ""})

    assert "刘秀英" not in page
    assert refused.status_code == 200  # the form again, with the reason
    assert "未找到" in refused.content.decode()
    assert "未找到“钱多多”" in unknown.content.decode()
    assert not GridLeader.objects.filter(org=tree.grid_a1).exists()
