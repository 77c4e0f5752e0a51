"""A street cadre registers a 两新 organisation, builds its joint women's organisation and sees
her street's coverage change; the district sees it too; another street sees nothing of it."""

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import DESKTOP
from tests.browser.test_community_cadre import NOT_FOUND, sign_in
from tests.conftest import Personas, Tree
from tests.factories import new_org
from warmhome.core.identifiers import fake_credit_code
from warmhome.orgs.models_new_orgs import NewOrg

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def coverage_of(page: Page, base_url: str, unit_id: int) -> str:
    page.goto(f"{base_url}/work/orgs/coverage/")
    return page.get_by_test_id(f"org-coverage-{unit_id}").inner_text()


def test_a_joint_womens_org_raises_the_streets_coverage_for_her_and_the_district_only(
    page: Page,
    browser: Browser,
    console_errors: list[str],
    live_server,
    tree: Tree,
    personas: Personas,
):
    new_org(tree.community_a2, "甲二商贸有限公司", female_employees=25)
    new_org(tree.community_a1, "邻家便利店", employees=6, female_employees=4)
    base = live_server.url
    sign_in(page, base, personas.street_a_cadre.username)
    assert coverage_of(page, base, tree.street_a.pk) == "0.0%"

    page.get_by_role("link", name="两新组织").click()
    page.get_by_test_id("neworg-create").click()
    page.get_by_label("所属社区或网格").select_option(label="解放桥社区第一网格")
    page.get_by_label("名称", exact=True).fill("泉城制衣有限公司")
    page.get_by_label("统一社会信用代码").fill(fake_credit_code())
    page.get_by_label("从业人员数").fill("120")
    page.get_by_label("女职工数").fill("80")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已登记两新组织。")).to_be_visible()

    page.get_by_test_id("womens-org-create").click()
    page.get_by_label("联建").check()
    page.get_by_label("邻家便利店").check()
    page.get_by_role("button", name="建立").click()
    expect(page.get_by_test_id("womens-org")).to_contain_text(
        "泉城制衣有限公司等2家单位联合妇女委员会"
    )
    expect(page.get_by_test_id("womens-org")).to_contain_text("邻家便利店")

    assert coverage_of(page, base, tree.street_a.pk) == "50.0%"
    page.wait_for_selector("#coverage-chart canvas")
    assert console_errors == []  # ECharts under the CSP: no inline script or style refused

    district = browser.new_context(viewport=DESKTOP, locale="zh-CN").new_page()
    sign_in(district, base, personas.district_staff.username)
    assert coverage_of(district, base, tree.street_a.pk) == "50.0%"
    assert coverage_of(district, base, tree.district.pk) == "50.0%"
    district.context.close()

    other = browser.new_context(viewport=DESKTOP, locale="zh-CN").new_page()
    sign_in(other, base, personas.street_b_cadre.username)
    other.goto(f"{base}/work/orgs/new-orgs/")
    expect(other.get_by_text("泉城制衣有限公司")).to_have_count(0)
    company = NewOrg.objects.get(name="泉城制衣有限公司")
    response = other.goto(f"{base}/work/orgs/new-orgs/{company.pk}/")
    assert response is not None
    assert response.status == 404
    expect(other.get_by_text(NOT_FOUND)).to_be_visible()
    expect(other.get_by_test_id(f"org-coverage-{tree.street_a.pk}")).to_have_count(0)
    other.context.close()
