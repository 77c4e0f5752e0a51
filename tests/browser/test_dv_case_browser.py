"""A DV case in the browser: the case worker records a high-risk assessment, a protection-order
application and its issue; the station head sees it and the expiry alert in her to-do; a
district staff member meets 404, then opens the case through break-glass with a reason and the
head is told."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import DESKTOP
from tests.browser.test_community_cadre import NOT_FOUND, sign_in
from tests.conftest import Tree
from tests.factories import dv_case, user_with_post
from warmhome.notifications.models import Message
from warmhome.rights.models import OrderState, ProtectionOrder

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as(browser: Browser, base_url: str, user) -> Page:
    page = browser.new_context(viewport=DESKTOP, locale="zh-CN").new_page()
    sign_in(page, base_url, user.username)
    expect(page).to_have_url(re.compile(r"/work/$"))
    return page


def _save(page: Page) -> None:
    page.get_by_role("button", name="保存").click()


def test_case_worker_records_a_high_risk_case_and_an_order_the_head_sees_it_others_break_glass(
    browser: Browser, live_server, tree: Tree
):
    head = user_with_post("dv_head", tree.street_a, "dv_station_head")
    worker = user_with_post("dv_worker", tree.street_a, "case_worker")
    district = user_with_post("district_rights", tree.district, "district_staff_rights")
    case = dv_case(tree.community_a1, workers=[worker])
    base = live_server.url
    case_url = f"{base}/work/rights/cases/{case.pk}/"
    today = timezone.localdate()
    expires = today + datetime.timedelta(days=14)

    page = _as(browser, base, worker)
    page.goto(case_url)
    page.get_by_role("link", name="HITS 家暴筛查量表").click()
    # .all() does not wait: take the selects only once the assessment form is there
    expect(page).to_have_url(re.compile(r"/assess/"))
    selects = page.locator("main form select")
    expect(selects).to_have_count(4)
    for select in selects.all():
        select.select_option("4")
    _save(page)
    expect(page).to_have_url(case_url)
    expect(page.get_by_test_id("high-risk-suggestions")).to_contain_text("建议申请人身安全保护令")

    page.get_by_role("link", name="申请人身安全保护令").click()
    page.get_by_label("申请人", exact=True).select_option(label="妇女联合会代为申请")
    page.get_by_label("受理法院").fill("济南市历下区人民法院")
    page.get_by_label("情况紧急（24 小时内裁定）").check()
    page.get_by_label("禁止骚扰、跟踪、接触").check()
    _save(page)
    orders = page.get_by_test_id("orders")
    expect(orders).to_contain_text("已申请")
    expect(page.get_by_test_id("high-risk-suggestions")).not_to_contain_text("保护令")

    orders.get_by_role("link", name="登记法院受理").click()
    # now, to the minute: never before the application (filed today), never in the future
    accepted = timezone.localtime().replace(second=0, microsecond=0)
    page.get_by_label("受理时间").fill(accepted.strftime("%Y-%m-%dT%H:%M"))
    _save(page)
    expect(orders).to_contain_text("已受理，待裁定")

    orders.get_by_role("link", name="登记签发保护令").click()
    page.get_by_label("保护令文号").fill("（2026）鲁0102民保令18号")
    page.get_by_label("禁止实施家庭暴力").check()
    page.get_by_label("生效日期").fill(today.isoformat())
    page.get_by_label("有效期至").fill(expires.isoformat())
    _save(page)
    expect(orders).to_contain_text("已签发")
    expect(page.get_by_test_id("order-valid-until")).to_have_text(expires.isoformat())
    order = ProtectionOrder.objects.get()
    assert order.state == OrderState.ISSUED
    assert order.ruling_due_at - order.accepted_at == datetime.timedelta(hours=24)

    # Issued today, valid 14 calendar days: the expiry alert is due today.
    page.goto(f"{base}/work/")
    expect(page.get_by_test_id("my-todo")).to_contain_text(f"保护令即将到期：{case.number}")

    head_page = _as(browser, base, head)
    expect(head_page.get_by_test_id("my-todo")).to_contain_text(f"保护令即将到期：{case.number}")
    head_page.goto(case_url)
    expect(head_page.get_by_test_id("orders")).to_contain_text("（2026）鲁0102民保令18号")

    outsider = _as(browser, base, district)
    expect(outsider.locator("main")).not_to_contain_text(case.number)
    outsider.goto(case_url)
    expect(outsider.get_by_text(NOT_FOUND)).to_be_visible()
    outsider.goto(f"{base}/work/rights/cases/{case.pk}/break-glass/")
    outsider.get_by_label("查阅事由").fill("受害人失联，需核实保护令送达情况")
    outsider.get_by_role("button", name="确认紧急查阅").click()
    expect(outsider).to_have_url(case_url)
    expect(outsider.get_by_test_id("orders")).to_contain_text("已签发")
    expect(outsider.get_by_role("link", name="登记违反保护令")).to_have_count(0)
    notice = Message.objects.get(recipient=head, subject__contains="被紧急查阅")
    assert case.number in notice.subject
