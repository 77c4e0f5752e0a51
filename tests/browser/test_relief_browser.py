"""The relief fund in the browser: a community cadre files, the street and the district approve,
finance pays, and the ledger and the report show it; an urgent relief paid first and ratified
later; an application over the person's yearly limit refused with the reason."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.assistance.conftest import Path, Relief, make_path, make_relief, single_mother
from tests.browser.conftest import DESKTOP
from tests.browser.test_community_cadre import SCREENSHOT_DIR, sign_in
from tests.conftest import Personas, Tree
from warmhome.assistance.models import ReliefApplication

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def path(tree: Tree, personas: Personas) -> Path:
    return make_path(tree, personas)


@pytest.fixture
def relief(tree: Tree, path: Path) -> Relief:
    return make_relief(tree, path)


def _as(browser: Browser, base_url: str, user) -> Page:
    page = browser.new_context(viewport=DESKTOP, locale="zh-CN").new_page()
    sign_in(page, base_url, user.username)
    expect(page).to_have_url(re.compile(r"/work/$"))
    return page


def _file(page: Page, base_url: str, person_pk: int, amount: str, *, urgent: bool = False) -> None:
    page.goto(f"{base_url}/work/assistance/applications/new/")
    form = page.get_by_test_id("application-form")
    form.get_by_label("人员", exact=True).fill(f"#{person_pk}")
    form.get_by_label("困难类型").select_option(label="重大疾病")
    form.get_by_label("困难情况").fill("住院治疗，费用负担重")
    form.get_by_label("申请金额（元）").fill(amount)
    if urgent:
        form.get_by_label("救急解难（先行发放、事后追认）").check()
    form.get_by_role("button", name="提出申请").click()


def _step(page: Page, name: str, button: str, **fields: str) -> None:
    card = page.get_by_test_id(f"step-{name}")
    for label, value in fields.items():
        card.get_by_label(label, exact=True).fill(value)
    card.get_by_role("button", name=button).click()


def test_relief_from_filing_to_payment_urgent_relief_and_a_refusal(
    browser: Browser, live_server, tree: Tree, path: Path, relief: Relief
):
    base = live_server.url
    community = _as(browser, base, path.community)
    _file(community, base, relief.person.pk, "4000.00")
    expect(community.get_by_test_id("application-state")).to_have_text("待社区提交")
    application = ReliefApplication.objects.get(person=relief.person)
    detail = f"{base}{application.get_absolute_url()}"
    _step(community, "community_submit", "社区提交")
    expect(community.get_by_test_id("application-state")).to_have_text("待街道审核")

    street = _as(browser, base, path.street)
    street.goto(detail)
    _step(street, "street_forward", "街道审核通过，报区妇联")
    expect(street.get_by_test_id("application-state")).to_have_text("待区妇联研究决定")

    district = _as(browser, base, path.district)
    district.goto(detail)
    expect(district.get_by_test_id("received-this-year")).to_contain_text("本年度尚未获得救助")
    _step(
        district,
        "district_approve",
        "区妇联研究批准",
        **{
            "批准金额（元）": "3500.00",
            "会议纪要编号": "主席办公会〔2026〕5号",
            "参会人员": "主席、副主席",
            "决定意见": "同意救助",
        },
    )
    expect(district.get_by_test_id("application-state")).to_have_text("已批准待发放")

    finance = _as(browser, base, path.finance)
    finance.goto(detail)
    _step(finance, "disburse", "发放", **{"凭证号": "PZ-2026-0001"})
    expect(finance.get_by_test_id("application-state")).to_have_text("已发放")
    expect(finance.get_by_test_id("disbursement")).to_contain_text("PZ-2026-0001")
    expect(finance.get_by_test_id("application-ledger")).to_contain_text("发放")

    district.goto(f"{base}/work/assistance/budgets/{relief.budget.pk}/")
    expect(district.get_by_test_id("budget-available")).to_have_text("96500.00")
    expect(district.get_by_test_id("ledger-rows")).to_contain_text("PZ-2026-0001")
    district.goto(f"{base}/work/assistance/reports/fund-use/")
    expect(district.get_by_test_id("fund-use-total")).to_contain_text("3,500.00")
    expect(district.get_by_test_id("fund-use-table").first).to_contain_text("3,500.00")

    # 救急解难: paid first by finance, ratified by the district afterwards
    neighbour = single_mother(tree.community_a1)
    _file(community, base, neighbour.pk, "1500.00", urgent=True)
    urgent = ReliefApplication.objects.get(person=neighbour)
    finance.goto(f"{base}{urgent.get_absolute_url()}")
    _step(finance, "urgent_pay", "救急先行发放", **{"凭证号": "XJ-2026-0001"})
    expect(finance.get_by_test_id("application-state")).to_have_text("救急已发放待追认")
    district.goto(f"{base}{urgent.get_absolute_url()}")
    _step(
        district,
        "ratify",
        "区妇联追认",
        **{"会议纪要编号": "主席办公会〔2026〕6号", "参会人员": "主席", "决定意见": "予以追认"},
    )
    expect(district.get_by_test_id("application-state")).to_have_text("已发放")
    expect(district.get_by_test_id("application-timeline")).to_contain_text("救急先行发放")
    expect(district.get_by_test_id("application-timeline")).to_contain_text("区妇联追认")

    # over the person's yearly limit (3,500 received + 5,000 > 8,000): refused with the reason
    _file(community, base, relief.person.pk, "5000.00")
    expect(community.get_by_text(re.compile("超过个人年度救助上限"))).to_be_visible()
    assert ReliefApplication.objects.filter(person=relief.person).count() == 1

    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    district.goto(f"{base}{application.get_absolute_url()}")
    district.screenshot(path=SCREENSHOT_DIR / "relief-application.png", full_page=True)
