"""A community cadre signs in through the real login form and sees only her community."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import PHONE
from tests.conftest import Personas, Tree
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOT_DIR = Path("/tmp/warmhome-screenshots")  # noqa: S108  (inspection only, never committed)
NOT_FOUND = "未找到该页面或记录，或您无权查看。"


def sign_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_community_cadre_signs_in_and_sees_only_her_community(
    page: Page, console_errors: list[str], live_server, tree: Tree, personas: Personas
):
    sign_in(page, live_server.url, personas.community_a1_cadre.username)

    expect(page).to_have_url(f"{live_server.url}/work/")
    expect(page.get_by_test_id("current-user")).to_have_text(str(personas.community_a1_cadre))
    expect(page.get_by_test_id("my-posts")).to_contain_text("解放桥社区")

    page.get_by_role("link", name="组织网络").click()

    expect(page).to_have_url(f"{live_server.url}/work/orgs/")
    units = page.get_by_test_id("orgunit-tree")
    expect(units).to_contain_text("解放桥社区")
    expect(units).to_contain_text("解放桥社区第一网格")
    for hidden in ("千佛山街道", "佛山苑社区", "甲二社区", "解放路街道", "历下区"):
        expect(units).not_to_contain_text(hidden)
    assert console_errors == []  # a CSP violation would show here

    response = page.goto(f"{live_server.url}/work/orgs/{tree.street_b.pk}/")

    assert response is not None
    assert response.status == 404
    expect(page.get_by_text(NOT_FOUND)).to_be_visible()
    assert not [error for error in console_errors if "Content Security Policy" in error]


def test_home_page_fits_a_phone_screen(browser: Browser, live_server, personas: Personas):
    phone = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    page = phone.new_page()
    try:
        sign_in(page, live_server.url, personas.community_a1_cadre.username)
        expect(page).to_have_url(re.compile(r"/work/$"))

        # Nothing wider than the screen: no sideways scrolling on a phone.
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= PHONE["width"]

        # The menu folds behind the toggler and opens on a tap.
        menu_link = page.get_by_role("link", name="组织网络")
        expect(menu_link).to_be_hidden()
        toggler = page.get_by_role("button", name="打开导航菜单")
        toggler.click()
        expect(menu_link).to_be_visible()
        # Bootstrap ignores a second tap while the menu is still sliding open.
        expect(page.locator("#wh-menu")).to_have_class(re.compile(r"\bshow\b"))
        toggler.click()
        expect(menu_link).to_be_hidden()

        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOT_DIR / "home-phone.png", full_page=True)
    finally:
        phone.close()
