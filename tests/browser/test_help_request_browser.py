"""A help request in the browser: taken by hotline at the district, routed to the requester's
community, transferred once, answered, and closed with the requester's satisfaction."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import DESKTOP
from tests.browser.test_community_cadre import SCREENSHOT_DIR, sign_in
from tests.conftest import Personas, Tree
from tests.factories import petition_category, user_with_post
from warmhome.rights.models import HelpRequest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as(browser: Browser, base_url: str, user) -> Page:
    page = browser.new_context(viewport=DESKTOP, locale="zh-CN").new_page()
    sign_in(page, base_url, user.username)
    expect(page).to_have_url(re.compile(r"/work/$"))
    return page


def _step(page: Page, name: str, button: str, fill: dict[str, str], select: dict[str, str]) -> None:
    card = page.get_by_test_id(f"step-{name}")
    for label, value in select.items():
        card.get_by_label(label, exact=True).select_option(label=value)
    for label, value in fill.items():
        card.get_by_label(label, exact=True).fill(value)
    card.get_by_role("button", name=button).click()


def test_hotline_request_is_routed_transferred_answered_and_closed_with_satisfaction(
    browser: Browser, live_server, tree: Tree, personas: Personas
):
    petition_category()  # seeds the list again if an earlier live-server test emptied it
    base = live_server.url
    hotline = _as(browser, base, user_with_post("hotline", tree.district, "district_staff_rights"))
    hotline.goto(f"{base}/work/rights/requests/new/")
    form = hotline.get_by_test_id("helprequest-form")
    form.get_by_label("来源渠道").select_option(label="来电（12338）")
    form.get_by_label("求助类别").select_option(label="婚姻家庭 / 家庭纠纷")
    form.get_by_label("求助人姓名").fill("孙丽")
    form.get_by_label("联系电话").fill("138 0531 6688")
    form.get_by_label("所在社区").select_option(label="解放桥社区")
    form.get_by_label("求助内容").fill("与婆家因住房问题长期争吵，请求社区调解。")
    form.get_by_role("button", name="登记").click()
    expect(hotline.get_by_test_id("helprequest-state")).to_have_text("已登记待受理")
    expect(hotline.get_by_test_id("helprequest-org")).to_have_text("解放桥社区")
    request = HelpRequest.objects.get()
    detail = f"{base}{request.get_absolute_url()}"

    # The routed community finds it in its list and hands it to 甲二社区 where she now lives.
    community = _as(browser, base, personas.community_a1_cadre)
    community.goto(f"{base}/work/rights/requests/")
    expect(community.get_by_test_id("helprequest-rows")).to_contain_text(request.number)
    community.goto(detail)
    _step(
        community,
        "transfer",
        "转办",
        fill={"意见": "求助人已搬至甲二社区居住"},
        select={"转入单位": "甲二社区"},
    )
    expect(community.get_by_role("alert").first).to_contain_text("已办理")

    receiving = _as(browser, base, user_with_post("a2_cadre", tree.community_a2, "community_cadre"))
    receiving.goto(detail)
    expect(receiving.get_by_test_id("helprequest-org")).to_have_text("甲二社区")
    _step(receiving, "accept", "受理", fill={}, select={})
    expect(receiving.get_by_test_id("helprequest-state")).to_have_text("已受理待办理")
    _step(receiving, "start", "开始办理", fill={}, select={})
    _step(
        receiving,
        "reply",
        "答复",
        fill={"答复内容": "社区已组织双方调解，达成居住协议。"},
        select={"答复方式": "电话", "办理结果": "问题已解决"},
    )
    expect(receiving.get_by_test_id("helprequest-state")).to_have_text("已答复待回访")
    expect(receiving.get_by_test_id("helprequest-reply")).to_contain_text("达成居住协议")
    _step(
        receiving,
        "close",
        "回访并办结",
        fill={"回访记录": "电话回访，求助人表示满意"},
        select={"满意度": "满意"},
    )
    expect(receiving.get_by_test_id("helprequest-state")).to_have_text("已办结")
    expect(receiving.get_by_test_id("helprequest-satisfaction")).to_have_text("满意")
    timeline = receiving.get_by_test_id("helprequest-timeline")
    for step in ("转办", "受理", "开始办理", "答复", "回访并办结"):
        expect(timeline).to_contain_text(step)

    request.refresh_from_db()
    assert (request.state, request.org, request.satisfaction) == (
        "closed",
        tree.community_a2,
        "satisfied",
    )
    assert request.transfers.get().to_org == tree.community_a2

    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    receiving.screenshot(path=SCREENSHOT_DIR / "help-request.png", full_page=True)
