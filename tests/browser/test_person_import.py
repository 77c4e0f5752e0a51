"""A community cadre imports persons from the template, fixes a bad row, finds her by pinyin."""

from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from tests.browser.test_community_cadre import sign_in
from tests.conftest import Personas
from warmhome.core.identifiers import citizen_id_check_character
from warmhome.people.models import Person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def citizen_id(birth: str, serial: str) -> str:
    first17 = f"370102{birth}{serial}"
    return first17 + citizen_id_check_character(first17)


ID_ZHANG = citizen_id("19800315", "024")
ID_LI = citizen_id("19751102", "046")
BAD_ID = ID_LI[:-1] + ("0" if ID_LI[-1] != "0" else "1")


@pytest.fixture
def tasks_at_once(settings: Any, tmp_path: Path) -> None:
    """The live server runs in this process: validation and commit run inside the request
    (no worker in the test), and uploads land in a temporary directory."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


def fill(template: Path, target: Path, rows: list[dict[str, str]]) -> Path:
    book = load_workbook(template)
    sheet = book.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    for number, values in enumerate(rows, start=2):
        for column, header in enumerate(headers, start=1):
            if header in values:
                sheet.cell(row=number, column=column, value=values[header])
    book.save(target)
    return target


def person_rows(li_id: str) -> list[dict[str, str]]:
    common = {"所属社区或网格": "370102001002", "民族": "汉族", "文化程度": "高中/中专"}
    return [
        {**common, "姓名": "张秀梅", "性别": "女", "身份证号": ID_ZHANG, "手机号": "13905310001"},
        {**common, "姓名": "李桂英", "身份证号": li_id, "手机号": "13905310002"},
        {**common, "姓名": "王丽", "身份证号": citizen_id("19900101", "062"), "婚姻状况": "已婚"},
    ]


def upload(page: Page, path: Path) -> None:
    page.get_by_label("Excel 文件 (.xlsx)").set_input_files(str(path))
    page.get_by_role("button", name="上传并校验").click()
    expect(page.get_by_test_id("import-state")).to_have_text("已校验")


def test_community_cadre_imports_persons_fixes_a_bad_row_and_finds_one_by_initials(
    page: Page,
    console_errors: list[str],
    live_server: Any,
    personas: Personas,
    tasks_at_once: None,
    tmp_path: Path,
):
    sign_in(page, live_server.url, personas.community_a1_cadre.username)
    page.get_by_role("link", name="人员信息库").click()
    page.get_by_test_id("person-import").click()
    expect(page.get_by_role("heading", name="导入人员")).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_test_id("import-template").click()
    template = tmp_path / "template.xlsx"
    download_info.value.save_as(template)

    # One bad row (the ID's check digit is wrong), two good ones.
    upload(page, fill(template, tmp_path / "人员-有错.xlsx", person_rows(BAD_ID)))
    errors = page.get_by_test_id("import-row-errors")
    expect(errors).to_contain_text("身份证号校验位错误")
    expect(errors).to_contain_text("3")  # the row number
    expect(errors).not_to_contain_text(BAD_ID)
    assert not Person.objects.exists()

    # Fixed, uploaded again: no errors, imported whole.
    page.get_by_role("link", name="返回导入").click()
    upload(page, fill(template, tmp_path / "人员.xlsx", person_rows(ID_LI)))
    expect(page.get_by_test_id("import-row-errors")).to_have_count(0)
    page.get_by_label("全部正确才导入").check()
    page.get_by_test_id("import-commit").click()
    expect(page.get_by_test_id("import-summary")).to_contain_text("新增 3 行")

    page.goto(f"{live_server.url}/work/people/")
    page.get_by_label("检索").fill("zxm")
    listing = page.get_by_test_id("person-list")
    expect(listing).to_contain_text("张秀梅")
    expect(listing).to_contain_text(f"{ID_ZHANG[:6]}********{ID_ZHANG[-4:]}")
    expect(listing).not_to_contain_text("李桂英")
    expect(listing).not_to_contain_text(ID_ZHANG)
    assert console_errors == []
