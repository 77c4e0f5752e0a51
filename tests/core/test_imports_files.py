"""What the import framework refuses before reading a row, and the workbooks it writes."""

import io
import zipfile

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from openpyxl import load_workbook

from tests.conftest import Personas, Tree
from tests.core.test_imports_support import ORG_HEADERS, xlsx_bytes
from warmhome.core.imports.export import export_queryset
from warmhome.core.imports.reader import (
    ENCRYPTION_STREAM,
    OLE_MAGIC,
    check_workbook_bytes,
    max_file_bytes,
    read_header,
    read_rows,
)
from warmhome.core.imports.spec import get_spec
from warmhome.core.imports.workbook import template_xlsx, write_xlsx
from warmhome.core.models import AuditEntry
from warmhome.orgs.models import OrgUnit

SPEC_KEY = "orgs.orgunit"


def refusal(data: bytes, **kwargs: int) -> str:
    with pytest.raises(ValidationError) as caught:
        check_workbook_bytes(data, **kwargs)
    return "".join(caught.value.messages)


def test_a_csv_renamed_to_xlsx_is_refused_by_its_bytes_not_its_name():
    assert "不是 Excel (.xlsx) 格式" in refusal(b"name,code\n=1+2,3\n", size_limit=1000)


def test_a_password_protected_workbook_is_refused_with_a_chinese_reason():
    encrypted = OLE_MAGIC + b"\x00" * 500 + ENCRYPTION_STREAM + b"\x00" * 100

    assert "设置了打开密码" in refusal(encrypted, size_limit=10_000)


def test_an_old_xls_file_is_told_to_be_saved_as_xlsx():
    assert "旧版 Excel (.xls)" in refusal(OLE_MAGIC + b"\x00" * 600, size_limit=10_000)


def test_an_oversized_file_is_refused_with_its_size_and_the_limit():
    data = xlsx_bytes(ORG_HEADERS, [])

    message = refusal(data, size_limit=len(data) - 1)

    assert "文件过大" in message
    assert "上限" in message


@pytest.mark.django_db
def test_the_size_limit_comes_from_the_policy_table():
    assert max_file_bytes() == 20 * 1024 * 1024


def test_a_zip_bomb_is_refused_before_it_is_inflated():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (8 * 1024 * 1024))

    assert "压缩炸弹" in refusal(buffer.getvalue(), size_limit=10 * 1024 * 1024)


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")

    assert "不是 Excel 工作簿" in refusal(buffer.getvalue(), size_limit=10_000)


def test_a_workbook_whose_sheet_xml_is_broken_is_called_damaged():
    good = zipfile.ZipFile(io.BytesIO(xlsx_bytes(ORG_HEADERS, [["", "甲", "社区", "1"]])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as broken:
        for entry in good.infolist():
            content = good.read(entry)
            if entry.filename.startswith("xl/worksheets/"):
                content = content[: len(content) // 2]  # cut off mid-element
            broken.writestr(entry, content)
    data = buffer.getvalue()
    check_workbook_bytes(data, size_limit=10_000_000)  # the container itself is fine

    with pytest.raises(ValidationError, match="文件已损坏"):
        read_rows(get_spec(SPEC_KEY), data)


def test_rows_keep_their_excel_numbers_and_dates_read_as_dates_after_a_blank_first_column():
    data = xlsx_bytes(
        ORG_HEADERS,
        [
            [None, "甲社区", "社区", 370102001009],
            [None, None, None, None],
            ["", "乙", "社区", 12.0],
        ],
    )

    sheet = read_rows(get_spec(SPEC_KEY), data)

    assert [number for number, _texts in sheet.rows] == [2, 4]
    assert [texts["code"] for _number, texts in sheet.rows] == ["370102001009", "12"]


def test_headers_that_do_not_match_the_template_are_named():
    data = xlsx_bytes(["名称", "类别", "统计代码", "名称"], [["甲", "社区", "1"]])

    with pytest.raises(ValidationError) as caught:
        read_header(get_spec(SPEC_KEY), data)

    message = caught.value.messages[0]
    assert "缺少必填列：类型" in message
    assert "模板以外的列：类别" in message
    assert "重复的列：名称" in message


def test_too_many_rows_are_refused(settings):
    settings.IMPORT_MAX_ROWS = 2
    data = xlsx_bytes(ORG_HEADERS, [["", f"社区{n}", "社区", f"37010200100{n}"] for n in range(3)])

    with pytest.raises(ValidationError, match="超过单次导入上限 2 行"):
        read_rows(get_spec(SPEC_KEY), data)


def test_a_header_marked_required_with_a_star_is_accepted_and_blank_rows_are_skipped():
    data = xlsx_bytes(
        ["上级组织统计代码", "名称*", "类型*", "统计代码*"],
        [["370102001000", "甲社区", "社区", 370102001009], [None, None, None, None]],
    )

    sheet = read_rows(get_spec(SPEC_KEY), data)

    assert [number for number, _texts in sheet.rows] == [2]
    assert sheet.rows[0][1]["code"] == "370102001009"


def test_the_template_has_styled_frozen_headers_notes_and_a_kind_drop_down():
    book = load_workbook(io.BytesIO(template_xlsx(get_spec(SPEC_KEY))))
    sheet = book.worksheets[0]

    assert [cell.value for cell in sheet[1]] == ORG_HEADERS
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    assert "必填" in sheet["B1"].comment.text
    validations = sheet.data_validations.dataValidation
    assert len(validations) == 1
    assert "C2" in str(validations[0].sqref)
    options = book["选项"]
    assert "社区" in [cell.value for cell in options["A"]]
    assert book["填写说明"]["A2"].value == "上级组织统计代码"


def test_exported_text_that_looks_like_a_formula_is_read_back_as_text():
    dangerous = ['=HYPERLINK("http://x")', "+1+2", "-3+4", "@SUM(A1)", "\tx", "\r=1"]
    content = write_xlsx(["值", "数"], [[value, 5] for value in dangerous])

    sheet = load_workbook(io.BytesIO(content)).worksheets[0]

    values = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [cell.value for cell in values] == dangerous
    assert {cell.data_type for cell in values} == {"s"}
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold
    assert sheet["B2"].value == 5


def test_export_refuses_an_unscoped_queryset(personas: Personas):
    with pytest.raises(ImproperlyConfigured):
        export_queryset(
            actor=personas.street_a_cadre,
            queryset=OrgUnit.objects.all(),
            columns=[("名称", 20, lambda unit: unit.name)],
        )


def test_export_writes_only_what_the_actor_sees_and_is_audited(personas: Personas, tree: Tree):
    content = export_queryset(
        actor=personas.street_a_cadre,
        queryset=OrgUnit.objects.visible_to(personas.street_a_cadre, "orgs.export"),
        columns=[("名称", 20, lambda unit: unit.name), ("统计代码", 16, lambda unit: unit.code)],
        title="组织",
    )

    names = [
        row[0]
        for row in load_workbook(io.BytesIO(content))
        .worksheets[0]
        .iter_rows(min_row=2, values_only=True)
    ]
    assert "解放桥社区" in names
    assert "佛山苑社区" not in names
    entry = AuditEntry.objects.filter(event="export").latest("seq")
    assert entry.detail["what"] == "orgs.OrgUnit"
    assert entry.detail["rows"] == len(names)


def _first_row_by_calamine(data: bytes) -> list[object]:
    from warmhome.core.imports.reader import _sheet_rows

    return list(_sheet_rows(data, nrows=1)[0])


def _rewritten(data: bytes, part: str, change: object) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            target.writestr(item, change(content) if item.filename == part else content)  # type: ignore[operator]
    return buffer.getvalue()


@pytest.mark.django_db
def test_the_header_read_from_the_xml_is_what_calamine_reads():
    from warmhome.core.imports.reader import _first_row_from_xml

    shared = xlsx_bytes(["姓名", None, "身份证号", 12, 3.5], [["张秀梅", "", "x", 1, 2]])
    template = template_xlsx(get_spec("people.person"))
    for data in (shared, template):
        fast = _first_row_from_xml(data)
        assert fast is not None
        slow = _first_row_by_calamine(data)
        assert [str(cell or "") for cell in fast] == [
            str(int(cell) if isinstance(cell, float) and cell.is_integer() else cell or "")
            for cell in slow
        ][: len(fast)]


def test_the_header_is_left_to_calamine_for_a_dtd_or_a_boolean_cell():
    from warmhome.core.imports.reader import _first_row_from_xml

    with_boolean = xlsx_bytes(["姓名", True], [])
    dtd = b'<!DOCTYPE x [<!ENTITY a "b">]><worksheet'
    with_dtd = _rewritten(
        xlsx_bytes(["姓名"], []),
        "xl/worksheets/sheet1.xml",
        lambda content: content.replace(b"<worksheet", dtd, 1),
    )

    assert _first_row_from_xml(with_boolean) is None
    assert _first_row_from_xml(with_dtd) is None
    assert _first_row_from_xml(b"PK\x03\x04 not a zip") is None


def test_a_wrong_header_is_still_refused_at_upload_with_the_columns_named():
    spec = get_spec("people.person")
    data = xlsx_bytes(["姓名", "身份证", "所属社区或网格"], [["张秀梅", "1", "x"]])

    with pytest.raises(ValidationError, match="缺少必填列：身份证号") as refused:
        read_header(spec, data)
    assert "表头中有模板以外的列：身份证" in str(refused.value)
