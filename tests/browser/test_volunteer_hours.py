"""The acceptance of the volunteer service at phone size: a volunteer signs up, checks in through
the QR link, the organiser checks her out, the hours appear on her page, the certificate PDF
downloads and its QR code verifies."""

import base64
import datetime
import re
import zlib

import pytest
import segno
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import DESKTOP, PHONE
from tests.conftest import Personas, Tree
from tests.factories import TEST_PASSWORD, activity, person
from warmhome.activities.models import Attendance
from warmhome.activities.tokens import qr_token
from warmhome.volunteers.services import volunteer_register

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAME = "林秀梅"
MOBILE = "13953112345"


def sign_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/work/$"))


def qr_modules(pdf: bytes) -> list[list[bool]]:
    """The dark modules of the QR code image embedded in ``pdf`` (scale 6, border 2)."""
    header = re.search(rb"/Height (\d+).*?/Width (\d+)\s*>>\s*stream\r?\n", pdf, re.S)
    assert header is not None, "no image in the PDF"
    height, width = int(header.group(1)), int(header.group(2))
    end = pdf.index(b"~>", header.end())
    pixels = zlib.decompress(base64.a85decode(pdf[header.end() : end] + b"~>", adobe=True))
    scale, border = 6, 2
    size = width // scale - 2 * border
    assert height == width
    return [
        [
            pixels[(((border + row) * scale + 3) * width + (border + col) * scale + 3) * 3] < 128
            for col in range(size)
        ]
        for row in range(size)
    ]


def test_volunteer_signs_up_checks_in_is_credited_and_verifies_her_certificate(
    browser: Browser, live_server, tree: Tree, personas: Personas
):
    volunteer = volunteer_register(
        actor=None,
        person=person(tree.community_a1, name=NAME, phone=MOBILE),
        user=personas.resident,
        guardian_consent=True,
    )
    now = timezone.now().replace(second=0, microsecond=0)
    event = activity(
        tree.community_a1,
        starts_at=now - datetime.timedelta(hours=3),
        ends_at=now + datetime.timedelta(hours=1),
        signup_closes_at=now + datetime.timedelta(minutes=30),
        title="普法宣传进社区",
        kind_code="volunteer_service",
    )
    phone = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    desk = browser.new_context(viewport=DESKTOP, locale="zh-CN", accept_downloads=True)
    mobile = phone.new_page()
    organiser = desk.new_page()
    try:
        # 1. She signs up on her phone with her name and mobile.
        mobile.goto(f"{live_server.url}/activities/{event.public_code}/")
        mobile.get_by_label("姓名").fill(NAME)
        mobile.get_by_label("手机号").fill(MOBILE)
        mobile.get_by_test_id("signup-submit").click()
        expect(mobile.get_by_text("报名成功")).to_be_visible()

        # 2. She scans the QR code on the organiser's screen (the link it encodes).
        mobile.goto(
            f"{live_server.url}/activities/{event.public_code}/check-in/?t={qr_token(event.public_code)}"
        )
        mobile.get_by_label("姓名").fill(NAME)
        mobile.get_by_label("手机号").fill(MOBILE)
        mobile.get_by_test_id("checkin-submit").click()
        expect(mobile.get_by_text("签到成功")).to_be_visible()

        # Two hours of service pass (the clock is moved, not waited for).
        Attendance.objects.filter(activity=event).update(
            checked_in_at=timezone.now() - datetime.timedelta(hours=2, minutes=5)
        )

        # 3. The organiser checks her out on the activity page.
        sign_in(organiser, live_server.url, personas.community_a1_cadre.username)
        organiser.goto(f"{live_server.url}/work/activities/{event.pk}/")
        organiser.get_by_test_id("check-out").click()
        expect(organiser.get_by_test_id("check-out")).to_have_count(0)

        # ... and issues her 志愿服务记录证明.
        organiser.goto(f"{live_server.url}/work/volunteers/{volunteer.pk}/")
        expect(organiser.get_by_test_id("total-hours")).to_have_text("2 小时")
        organiser.get_by_role("link", name="出具志愿服务记录证明").click()
        organiser.get_by_label("负责人").fill("王主任")
        organiser.get_by_label("经办人").fill("李干事")
        organiser.get_by_label("联系方式").fill("0531-88888888")
        organiser.get_by_role("button", name="保存").click()
        expect(organiser.get_by_text("已出具证明")).to_be_visible()

        # 4. The hours appear on her own page, on the phone.
        sign_in(mobile, live_server.url, personas.resident.username)
        mobile.goto(f"{live_server.url}/work/volunteers/me/")
        expect(mobile.get_by_test_id("my-total-hours")).to_have_text("2")
        expect(mobile.get_by_test_id("my-records")).to_contain_text("普法宣传进社区")
        assert mobile.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

        # 5. The certificate PDF downloads; its QR code holds the verification link, which says
        # the certificate is genuine.
        with mobile.expect_download() as download_info:
            mobile.get_by_test_id("certificate-download").first.click()
        pdf = download_info.value.path().read_bytes()
        assert pdf.startswith(b"%PDF")
        certificate = volunteer.certificates.get().certificate
        verify_url = f"{live_server.url}/verify/{certificate.number}/{certificate.signature}/"
        assert qr_modules(pdf) == [
            [bool(module) for module in row] for row in segno.make(verify_url, error="m").matrix
        ]
        mobile.goto(verify_url)
        expect(mobile.get_by_test_id("verdict-valid")).to_be_visible()
        expect(mobile.get_by_test_id("verdict-valid")).to_contain_text("志愿服务记录证明")
    finally:
        phone.close()
        desk.close()


def test_district_figures_draw_their_charts_without_inline_script(
    page: Page, console_errors: list[str], live_server, tree: Tree, personas: Personas
):
    from tests.factories import service_record
    from tests.factories import volunteer as make_volunteer

    service_record(make_volunteer(tree.community_a1))
    sign_in(page, live_server.url, personas.district_staff.username)

    page.goto(f"{live_server.url}/work/volunteers/stats/?year=2026")

    expect(page.locator("#volunteer-monthly-chart canvas")).to_have_count(1)
    expect(page.locator("#volunteer-category-chart canvas")).to_have_count(1)
    expect(page.get_by_test_id("active")).to_have_text("1")
    assert console_errors == []  # a CSP violation would show here
