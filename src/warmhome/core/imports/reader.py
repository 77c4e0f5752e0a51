"""Reading an uploaded workbook safely: refuse what is not a plain .xlsx, then read its rows.

The checks look at the bytes, never at the file name: a zip container with the parts of an
Excel workbook, not an OLE compound file (what Excel writes when a workbook has an opening
password, and what old .xls files are), within the size limit, and not a zip bomb — every
entry's declared size and compression ratio are checked before the reader inflates anything.
"""

import contextlib
import datetime
import io
import zipfile
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from warmhome.core.imports.spec import ImportSpec
from warmhome.core.policy import policy_value

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")

#: defaults; override with the settings of the same name
IMPORT_MAX_ROWS = 200_000
IMPORT_MAX_UNCOMPRESSED_MB = 500
IMPORT_MAX_COMPRESSION_RATIO = 200
#: a worker silent this long while validating or committing is taken as dead
IMPORT_STALE_MINUTES = 30
#: how often a worker checking rows asks whether the batch was cancelled meanwhile
IMPORT_CANCEL_CHECK_MS = 500
#: rows checked and written together (spec.existing_keys / spec.commit_rows work per chunk)
IMPORT_COMMIT_CHUNK_ROWS = 1000
#: from how many rows a commit uses a helper process (``core.forked``) for the next chunk's
#: checks while it writes the current one; 0: never
IMPORT_HELPER_FROM_ROWS = 5000


def limit(name: str) -> int:
    return int(getattr(settings, name, globals()[name]))


def max_file_bytes() -> int:
    """The upload size limit: policy ``import.max_file_mb`` (DOMAIN rules table)."""
    return int(policy_value("import.max_file_mb")) * 1024 * 1024


def check_workbook_bytes(data: bytes, *, size_limit: int | None = None) -> None:
    """Raise ValidationError (Chinese) unless ``data`` is a plain, reasonably sized .xlsx."""
    size_limit = max_file_bytes() if size_limit is None else size_limit
    if len(data) > size_limit:
        raise ValidationError(
            _("文件过大：%(size).1f MB，上限为 %(limit).0f MB。请拆分后分批导入。")
            % {"size": len(data) / 1048576, "limit": size_limit / 1048576}
        )
    if not data:
        raise ValidationError(_("文件是空的，请选择填好的 Excel (.xlsx) 文件。"))
    _check_signature(data)
    _check_zip(data)


def _check_signature(data: bytes) -> None:
    if data.startswith(OLE_MAGIC):
        if ENCRYPTION_STREAM in data:
            raise ValidationError(
                _("文件设置了打开密码（已加密），系统无法读取。请在 Excel 中取消密码后重新上传。")
            )
        raise ValidationError(
            _("这是旧版 Excel (.xls) 文件。请在 Excel 中“另存为” .xlsx 格式后重新上传。")
        )
    if not data.startswith(ZIP_MAGIC):
        raise ValidationError(
            _("文件不是 Excel (.xlsx) 格式（无论扩展名是什么），请使用下载的模板填写后上传。")
        )


def _check_zip(data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ValidationError(_("文件已损坏，无法作为 Excel (.xlsx) 文件打开。")) from None
    names = {entry.filename for entry in entries}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise ValidationError(
            _("文件是压缩包但不是 Excel 工作簿（缺少工作簿内容），请上传 .xlsx 文件。")
        )
    if any(entry.flag_bits & 0x1 for entry in entries):
        raise ValidationError(
            _("文件设置了打开密码（已加密），系统无法读取。请在 Excel 中取消密码后重新上传。")
        )
    max_total = limit("IMPORT_MAX_UNCOMPRESSED_MB") * 1024 * 1024
    max_ratio = limit("IMPORT_MAX_COMPRESSION_RATIO")
    total = 0
    for entry in entries:
        total += entry.file_size
        ratio = entry.file_size / max(entry.compress_size, 1)
        if total > max_total or (entry.file_size > 1048576 and ratio > max_ratio):
            raise ValidationError(
                _(
                    "文件解压后异常庞大（疑似“压缩炸弹”），已拒绝。"
                    "请确认文件来源，或将数据复制到新的模板中再上传。"
                )
            )


@dataclass
class SheetRows:
    """The data rows of a workbook's first sheet, each a dict column key → text."""

    #: column key → 0-based position in the sheet
    positions: dict[str, int]
    #: (Excel row number, {column key: text}) for every non-empty row after the header
    rows: list[tuple[int, dict[str, str]]]
    #: the headers as found (for the error workbook)
    headers: list[str]


def cell_text(value: Any) -> str:
    """A cell's value as the text the user sees (dates as 2024-03-01, 12.0 as 12)."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _normal_header(value: Any) -> str:
    return cell_text(value).replace("*", "").replace("＊", "").strip()


def map_headers(spec: ImportSpec, header_row: list[Any]) -> dict[str, int]:
    """Column key → position; ValidationError naming missing, unknown or repeated columns."""
    by_header = {str(column.header): column for column in spec.columns}
    positions: dict[str, int] = {}
    unknown: list[str] = []
    repeated: list[str] = []
    for position, raw in enumerate(header_row):
        header = _normal_header(raw)
        if not header:
            continue
        column = by_header.get(header)
        if column is None:
            unknown.append(header)
        elif column.key in positions:
            repeated.append(header)
        else:
            positions[column.key] = position
    missing = [str(c.header) for c in spec.columns if c.required and c.key not in positions]
    problems = []
    if missing:
        problems.append(_("缺少必填列：%(columns)s") % {"columns": "、".join(missing)})
    if unknown:
        problems.append(_("表头中有模板以外的列：%(columns)s") % {"columns": "、".join(unknown)})
    if repeated:
        problems.append(_("表头中有重复的列：%(columns)s") % {"columns": "、".join(repeated)})
    if problems:
        raise ValidationError(
            _("第 1 行表头不符合“%(label)s”导入模板（%(problems)s）。请使用下载的模板。")
            % {"label": spec.label, "problems": "；".join(problems)}
        )
    return positions


def _sheet_rows(data: bytes, nrows: int | None = None) -> list[list[Any]]:
    """The first sheet's rows from row 1 on (calamine reads in Rust, about 15× openpyxl)."""
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except (CalamineError, ValueError, OSError):
        raise ValidationError(_("文件已损坏，无法作为 Excel (.xlsx) 文件打开。")) from None
    try:
        rows: list[list[Any]] = book.get_sheet_by_index(0).to_python(
            skip_empty_area=False, nrows=nrows
        )
    except (CalamineError, ValueError, IndexError, OSError):
        raise ValidationError(_("文件已损坏，无法作为 Excel (.xlsx) 文件打开。")) from None
    finally:
        book.close()
    return rows


def read_header(spec: ImportSpec, data: bytes) -> dict[str, int]:
    """Check the header row only (at upload time, in the web request)."""
    first = _first_row_from_xml(data)
    if first is not None:
        with contextlib.suppress(ValidationError):  # the reader's own word on a refusal
            return map_headers(spec, first)
    for row in _sheet_rows(data, nrows=1):
        return map_headers(spec, list(row))
    raise ValidationError(_("文件中没有任何内容，请使用下载的模板填写。"))


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELATIONSHIPS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _first_row_from_xml(data: bytes) -> list[Any] | None:
    """The first sheet's first row read from its XML up to that row's end (calamine reads the
    whole sheet first: over a second for 100,000 rows); None where this takes more than the
    plain cases (shared or inline strings, numbers), and calamine then decides."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            with book.open(_first_sheet_path(book)) as sheet:
                cells = _first_row_cells(sheet)
            if cells is None:
                return None
            shared = [int(value) for kind, _column, value in cells if kind == "s"]
            strings = _shared_strings(book, max(shared) + 1) if shared else []
    except (KeyError, ValueError, IndexError, zipfile.BadZipFile, ElementTree.ParseError):
        return None
    row: list[Any] = []
    for kind, column, value in cells:
        row += [None] * (column - len(row))
        row.append(strings[int(value)] if kind == "s" else value)
    return row


# The parts are parsed only when they declare no DTD (a workbook's never do), so no entity can
# be defined, let alone expanded; and expat (2.5 here) limits amplification by itself.


def _xml_events(part: Any) -> Any:
    if b"<!DOCTYPE" in part.peek(4096):
        raise ValueError("a DTD in a workbook part")
    return ElementTree.iterparse(part, events=("end",))  # noqa: S314  (see above)


def _xml(data: bytes) -> ElementTree.Element:
    if b"<!DOCTYPE" in data:
        raise ValueError("a DTD in a workbook part")
    return ElementTree.fromstring(data)  # noqa: S314  (see above)


def _first_sheet_path(book: zipfile.ZipFile) -> str:
    workbook = _xml(book.read("xl/workbook.xml"))
    sheet = workbook.find(f"{_MAIN}sheets/{_MAIN}sheet")
    if sheet is None:
        raise KeyError("no sheet")
    relation = sheet.attrib[f"{_RELATIONSHIPS}id"]
    relations = _xml(book.read("xl/_rels/workbook.xml.rels"))
    for item in relations.iter(f"{_PACKAGE_RELATIONSHIPS}Relationship"):
        if item.attrib["Id"] == relation:
            target = item.attrib["Target"]
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    raise KeyError(relation)


def _first_row_cells(sheet: Any) -> list[tuple[str, int, str]] | None:
    """(kind, 0-based column, text) of the first row's cells: kind "s" for a shared string (text
    is its index), "" for text or a number as written."""
    for _event, element in _xml_events(sheet):
        if element.tag != f"{_MAIN}row":
            continue
        cells = []
        for cell in element.iter(f"{_MAIN}c"):
            kind = cell.get("t", "n")
            if kind == "inlineStr":
                text = "".join(part.text or "" for part in cell.iter(f"{_MAIN}t"))
            elif kind in {"s", "str", "n"}:
                text = cell.findtext(f"{_MAIN}v") or ""
            else:
                return None  # booleans, errors, dates: calamine's business
            cells.append(("s" if kind == "s" else "", _column_index(cell.attrib["r"]), text))
        return cells
    return None


def _column_index(reference: str) -> int:
    """0-based column of a cell reference ("C1" → 2)."""
    index = 0
    for letter in reference.rstrip("0123456789"):
        index = index * 26 + ord(letter.upper()) - ord("A") + 1
    return index - 1


def _shared_strings(book: zipfile.ZipFile, count: int) -> list[str]:
    """The first ``count`` shared strings (their text runs; phonetic guides left out)."""
    strings: list[str] = []
    with book.open("xl/sharedStrings.xml") as part:
        for _event, element in _xml_events(part):
            if element.tag != f"{_MAIN}si":
                continue
            runs = [element.find(f"{_MAIN}t")] + [
                run.find(f"{_MAIN}t") for run in element.findall(f"{_MAIN}r")
            ]
            strings.append("".join(run.text or "" for run in runs if run is not None))
            element.clear()
            if len(strings) == count:
                break
    return strings


def read_rows(spec: ImportSpec, data: bytes) -> SheetRows:
    """Every non-empty data row as text; ValidationError for bad headers or too many rows."""
    max_rows = limit("IMPORT_MAX_ROWS")
    rows_iter = iter(_sheet_rows(data))
    header_row = next(rows_iter, None)
    if header_row is None:
        raise ValidationError(_("文件中没有任何内容，请使用下载的模板填写。"))
    positions = map_headers(spec, list(header_row))
    rows: list[tuple[int, dict[str, str]]] = []
    for number, row in enumerate(rows_iter, start=2):
        texts = {
            key: cell_text(row[pos]) if pos < len(row) else "" for key, pos in positions.items()
        }
        if not any(texts.values()):
            continue
        rows.append((number, texts))
        if len(rows) > max_rows:
            raise ValidationError(
                _("数据行数超过单次导入上限 %(limit)d 行，请拆分后分批导入。") % {"limit": max_rows}
            )
    if not rows:
        raise ValidationError(_("文件中只有表头，没有数据行。"))
    return SheetRows(
        positions=positions, rows=rows, headers=[_normal_header(h) for h in header_row]
    )
