"""The second factor in the browser: a case worker sets up her authenticator app, saves the
recovery codes shown once, and on a later sign-in without her phone gets in with one of them."""

import re
from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import Page, expect

from tests.browser.test_community_cadre import sign_in
from tests.conftest import Personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_authenticator_set_up_and_a_recovery_code_used_instead_of_the_phone(
    page: Page, console_errors: list[str], live_server, personas: Personas, settings
):
    settings.WARMHOME_REQUIRE_2FA = True
    base = live_server.url
    sign_in(page, base, personas.case_worker.username)
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/setup/"))

    secret = page.get_by_test_id("totp-secret").inner_text().replace(" ", "")
    code = f"{TOTP(b32decode(secret)).token():06d}"
    page.get_by_label("动态验证码").fill(code)
    page.get_by_role("button", name="完成设置").click()

    expect(page).to_have_url(re.compile(r"/accounts/two-factor/recovery-codes/"))
    codes = page.get_by_test_id("recovery-codes").locator("li").all_inner_texts()
    assert len(codes) == 10
    page.get_by_test_id("recovery-continue").click()
    expect(page).to_have_url(f"{base}/work/")
    page.get_by_role("button", name="退出").click()

    sign_in(page, base, personas.case_worker.username)
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/verify/"))
    page.get_by_test_id("use-recovery-code").click()
    page.get_by_label("恢复码").fill(codes[0])
    page.get_by_test_id("recovery-submit").click()

    expect(page).to_have_url(f"{base}/work/")
    expect(page.get_by_text("已使用一个恢复码，还剩 9 个")).to_be_visible()
    assert console_errors == []
