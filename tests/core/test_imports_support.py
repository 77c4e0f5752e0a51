"""Shared helpers for the import tests (no tests here)."""

import io
from collections.abc import Sequence
from typing import Any

import pytest
from openpyxl import Workbook

ORG_HEADERS = ["上级组织统计代码", "名称", "类型", "统计代码", "简称", "启用日期"]


def xlsx_bytes(headers: Sequence[Any], rows: Sequence[Sequence[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def import_env(settings: Any, tmp_path: Any) -> None:
    """Tasks run at once (ImmediateBackend) and uploads land in a temporary directory."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    settings.IMPORT_CANCEL_CHECK_MS = 0  # every row asks: a test can cancel between two rows


# parent, name, kind, code, short name, valid from — for street A's cadre (tests/conftest.py)
GOOD_ROWS = [
    ["370102001000", "新建社区", "社区", "370102001009", "", ""],
    ["370102001009", "新建社区第一网格", "网格", "370102001901", "", ""],
    ["370102001002", "解放桥社区第二网格", "网格", "370102001902", "二网格", "2024-03-01"],
    ["370102000000", "解放路街道", "街道", "370102001000", "", ""],  # exists already
]

# (row, column header, part of the message) — eleven different kinds of mistakes
BAD_ROWS: list[tuple[list[Any], str, str]] = [
    (["370102001000", "", "社区", "370102001010", "", ""], "名称", "必填，不能为空"),
    (["370102001000", "长" * 101, "社区", "370102001011", "", ""], "名称", "最多 100 个字"),
    (["370102001000", "居委会甲", "居委会", "370102001012", "", ""], "类型", "“居委会”不是可选值"),
    (["370102001000", "乙社区", "社区", "37-0102", "", ""], "统计代码", "只能由数字和字母组成"),
    (["370102001000", "丙社区", "社区", "", "", ""], "统计代码", "必填，不能为空"),
    (["370102001000", "丁社区", "社区", "370102001009", "", ""], "统计代码", "与第 2 行重复"),
    (
        ["370102001000", "戊社区", "社区", "37010200101", "", ""],
        "统计代码",
        "应为 12 位统计用区划代码",
    ),
    (
        ["370102002000", "己社区", "社区", "370102002013", "", ""],
        "上级组织统计代码",
        "不在您的管理范围内",
    ),
    (
        ["370102001000", "庚区", "区", "370103000000", "", ""],
        "类型",
        "“解放路街道”（街道）下不能设立区",
    ),
    (
        ["370102001000", "辛社区", "社区", "370102001014", "", "2024-13-45"],
        "启用日期",
        "不是有效日期",
    ),
    (
        ["", "壬社区", "社区", "370102001015", "", ""],
        "上级组织统计代码",
        "只有市、区可以作为顶级组织",
    ),
    (["370102001000", "癸社区", "社区", "370102001016", "简" * 51, ""], "简称", "最多 50 个字"),
]


def mixed_file() -> bytes:
    rows = GOOD_ROWS[:3] + [row for row, _column, _message in BAD_ROWS] + GOOD_ROWS[3:]
    return xlsx_bytes(ORG_HEADERS, rows)
