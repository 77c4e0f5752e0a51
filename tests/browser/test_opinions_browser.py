"""Opinions in the browser: a women's representative reports on her phone; district staff
correct the label, write the suggestions, and download the quarterly report, which holds it."""

import io
import re
from pathlib import Path

import docx
import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.test_community_cadre import sign_in
from tests.conftest import Personas, Tree
from tests.factories import user_with_post
from tests.opinions.conftest import model  # noqa: F401  (the fixture)
from warmhome.opinions.models import Opinion

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "我们小区的孩子放学后没人看管，希望社区开办四点半课堂<b>急</b>"


def test_representative_reports_on_a_phone_and_the_quarterly_report_holds_it(
    browser: Browser,
    live_server,
    tree: Tree,
    personas: Personas,
    model,  # noqa: F811
):
    base = live_server.url
    representative = user_with_post(
        "rep_phone", tree.community_a1, "representative", display_name="李秀兰"
    )
    phone = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    page = phone.new_page()
    sign_in(page, base, representative.username)
    expect(page).to_have_url(re.compile(r"/work/$"))
    page.goto(f"{base}/work/opinions/new/")
    page.get_by_label("收集渠道").select_option(label="妇女代表反映")
    page.get_by_label("反映内容").fill(TEXT)
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_test_id("my-opinions")).to_contain_text("四点半课堂")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.close()

    made = Opinion.objects.get(submitter=representative)
    staff = browser.new_context(viewport=DESKTOP, locale="zh-CN", accept_downloads=True)
    desk = staff.new_page()
    sign_in(desk, base, personas.district_staff.username)
    expect(desk).to_have_url(re.compile(r"/work/$"))
    desk.goto(f"{base}{made.get_absolute_url()}")
    expect(desk.get_by_test_id("opinion-text")).to_contain_text("<b>急</b>")
    desk.get_by_label("主题", exact=True).select_option(label="儿童关爱与家庭教育")
    desk.get_by_role("button", name="确认分类").click()
    expect(desk.get_by_test_id("topic")).to_contain_text("儿童关爱与家庭教育")

    today = timezone.localdate()
    desk.goto(f"{base}/work/opinions/reports/new/")
    desk.get_by_label("报告单位").select_option(label="历下区")
    desk.get_by_label("周期").select_option(label="季度")
    desk.get_by_label("年度").fill(str(today.year))
    desk.get_by_label("月份或季度").fill(str((today.month - 1) // 3 + 1))
    desk.get_by_role("button", name="下一步").click()
    desk.get_by_label("主要问题").fill("课后看护需求集中")
    desk.get_by_label("对策建议").fill("推动社区四点半课堂全覆盖")
    desk.get_by_role("button", name="印发并归档").click()
    expect(desk.get_by_text("已印发").first).to_be_visible()
    with desk.expect_download() as download_info:
        desk.get_by_test_id("report-download").click()
    payload = Path(download_info.value.path()).read_bytes()
    document = docx.Document(io.BytesIO(payload))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "推动社区四点半课堂全覆盖" in text
    assert "四点半课堂<b>急</b>" in text
    assert "李**" in text
    assert "李秀兰" not in text
    staff.close()
