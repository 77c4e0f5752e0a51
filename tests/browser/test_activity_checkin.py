"""At phone size: a resident signs up, checks in by the QR link, the organiser checks her out."""

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import PHONE
from tests.browser.test_community_cadre import sign_in
from tests.conftest import Personas, Tree
from tests.factories import activity
from warmhome.activities.models import Attendance
from warmhome.activities.tokens import qr_token

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_up_qr_check_in_and_check_out(
    browser: Browser,
    page: Page,
    console_errors: list[str],
    live_server,
    tree: Tree,
    personas: Personas,
):
    made = activity(tree.community_a1, title="巾帼志愿者入户关爱行动")
    phone = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    resident = phone.new_page()
    try:
        resident.goto(
            live_server.url + reverse("activities_public:signup", args=[made.public_code])
        )
        resident.get_by_label("姓名").fill("王秀英")
        resident.get_by_label("手机号").fill("13800001111")
        resident.get_by_test_id("signup-submit").click()
        expect(resident.get_by_test_id("signup-result")).to_contain_text("报名成功")

        sign_in(page, live_server.url, personas.community_a1_cadre.username)
        page.goto(live_server.url + reverse("activities:checkin_screen", args=[made.pk]))
        expect(page.get_by_test_id("checkin-qr")).to_be_visible()

        link = reverse("activities_public:checkin", args=[made.public_code])
        resident.goto(f"{live_server.url}{link}?t={qr_token(made.public_code)}")
        resident.get_by_label("姓名").fill("王秀英")
        resident.get_by_label("手机号").fill("13800001111")
        resident.get_by_test_id("checkin-submit").click()
        expect(resident.get_by_test_id("checkin-result")).to_contain_text("签到成功")
        width = resident.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"]

        page.goto(live_server.url + reverse("activities:activity_detail", args=[made.pk]))
        page.get_by_test_id("check-out").click()
        expect(page.get_by_text("已签退。")).to_be_visible()
    finally:
        phone.close()

    assert Attendance.objects.get(activity=made).status == "checked_out"
    assert console_errors == []
