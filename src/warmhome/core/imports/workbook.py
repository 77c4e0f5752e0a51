"""Writing workbooks: import templates, error reports and styled, injection-safe exports."""

import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from warmhome.core.imports.spec import ImportSpec

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="B4235A")
REQUIRED_FILL = PatternFill("solid", fgColor="7A1238")
ERROR_FONT = Font(bold=True, color="C00000")


def safe_cell(sheet: Worksheet, value: Any) -> Any:
    """A write-only cell for ``value``; text that a spreadsheet could run as a formula is
    stored as a plain string with Excel's quote prefix, so no reader evaluates it and the text
    itself stays exactly as it was (no apostrophe added to the data)."""
    if isinstance(value, str):
        value = "".join(ch for ch in value if ch in "\t\n\r" or ord(ch) >= 32)
        if value.startswith(FORMULA_STARTS):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            cell.quotePrefix = True
            return cell
    return value


def _header_cells(sheet: Worksheet, headers: Sequence[str]) -> list[WriteOnlyCell]:
    cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=str(header))
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
        cells.append(cell)
    return cells


def write_xlsx(
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    title: str = "",
    widths: Sequence[int] | None = None,
) -> bytes:
    """A workbook of one sheet: bold coloured header, column widths, frozen header row, and
    every text cell neutralised against formula injection."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=(title or _("数据"))[:31])
    for index, header in enumerate(headers, start=1):
        width = (
            widths[index - 1] if widths and index <= len(widths) else max(12, 2 * len(header) + 4)
        )
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.append(_header_cells(sheet, headers))
    for row in rows:
        sheet.append([safe_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def template_xlsx(spec: ImportSpec) -> bytes:
    """The import template: styled header (required columns darker and marked), a comment with
    each column's note, drop-downs for choice columns, frozen header, and a sheet of notes."""
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.title = str(spec.sheet_title or spec.label)[:31]
    options = book.create_sheet(_("选项"))
    options.sheet_state = "hidden"
    notes = book.create_sheet(_("填写说明"))
    notes.append([_("列名"), _("是否必填"), _("说明"), _("可选值")])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    notes.column_dimensions["A"].width = 20
    notes.column_dimensions["C"].width = 60
    notes.column_dimensions["D"].width = 40
    option_column = 0
    for index, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index, value=str(column.header))
        cell.font = HEADER_FONT
        cell.fill = REQUIRED_FILL if column.required else HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
        sheet.column_dimensions[letter].width = column.width
        note_parts = [_("必填") if column.required else _("选填")]
        if column.note:
            note_parts.append(str(column.note))
        labels = [label for _value, label in column.choice_pairs()] if column.choices else []
        if labels:
            option_column += 1
            option_letter = get_column_letter(option_column)
            for row_number, label in enumerate(labels, start=1):
                options.cell(row=row_number, column=option_column, value=label)
            validation = DataValidation(
                type="list",
                formula1=f"{quote_sheetname(options.title)}!${option_letter}$1:"
                f"${option_letter}${len(labels)}",
                allow_blank=not column.required,
                showErrorMessage=True,
                errorTitle=_("输入有误"),
                error=_("请从下拉列表中选择。"),
            )
            sheet.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}10000")
            note_parts.append(_("从下拉列表选择"))
        comment = Comment("；".join(note_parts), "WarmHome")
        comment.width = 240
        comment.height = 90
        cell.comment = comment
        notes.append(
            [
                str(column.header),
                _("必填") if column.required else _("选填"),
                str(column.note),
                "、".join(labels),
            ]
        )
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def errors_xlsx(headers: Sequence[str], rows: Iterable[tuple[int, Sequence[Any], str]]) -> bytes:
    """The rows of an upload with an added error column (and their row numbers)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("错误报告"))
    all_headers = [_("原行号"), *headers, _("错误原因")]
    for index in range(1, len(all_headers) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 18
    sheet.column_dimensions[get_column_letter(len(all_headers))].width = 60
    sheet.freeze_panes = "A2"
    sheet.append(_header_cells(sheet, all_headers))
    for number, values, error in rows:
        error_cell = WriteOnlyCell(sheet, value=error)
        error_cell.font = ERROR_FONT
        sheet.append([number, *(safe_cell(sheet, value) for value in values), error_cell])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
