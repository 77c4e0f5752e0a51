"""Word (.docx) documents: built in code with Chinese fonts, or filled in from a template.

Building::

    document = WordDocument(title=_("组织名册"))
    document.heading(_("解放路街道组织名册"))
    document.paragraph(_("导出时间：2026-11-28"))
    document.table([_("名称"), _("类型")], [["解放桥社区", "社区"]])
    payload = document.to_bytes()

Templates: a .docx whose paragraphs and table cells hold ``{{ key }}`` placeholders. Word often
splits a placeholder over several runs (spell checking, an edit in the middle); the runs of each
paragraph that holds a placeholder are merged into the first before substituting, which keeps the
first run's formatting. A table row holding ``{{ rows.<field> }}`` placeholders is the repeating
row: it is copied once per item of ``context["rows"]`` and filled from the item.
"""

import copy
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import docx
from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.table import Table, _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
#: 宋体 for text, as official documents use; Word substitutes on systems without it.
EAST_ASIA_FONT = "宋体"
LATIN_FONT = "Times New Roman"
HEADING_FONT = "黑体"

#: the .docx templates the platform ships
TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"

PLACEHOLDER = re.compile(r"\{\{\s*([\w.]+)\s*\}\}")


def set_run_font(run: Run, *, east_asia: str = EAST_ASIA_FONT, size: float | None = None) -> None:
    """Give ``run`` a Chinese font: python-docx's ``font.name`` sets only the Latin slots."""
    run.font.name = LATIN_FONT
    run_properties = run._element.get_or_add_rPr()
    fonts = run_properties.get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asia)
    if size is not None:
        run.font.size = Pt(size)


def _set_default_font(document: Document) -> None:
    style = document.styles["Normal"]
    style.font.name = LATIN_FONT
    style.font.size = Pt(12)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), EAST_ASIA_FONT)


class WordDocument:
    """A .docx built in code: headings, paragraphs and tables, all in Chinese fonts."""

    def __init__(self, *, title: str = "") -> None:
        self.document = docx.Document()
        _set_default_font(self.document)
        if title:
            self.document.core_properties.title = str(title)

    def heading(self, text: str, *, size: float = 18) -> Paragraph:
        paragraph = self.document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(str(text))
        run.bold = True
        set_run_font(run, east_asia=HEADING_FONT, size=size)
        return paragraph

    def paragraph(self, text: str, *, bold: bool = False, size: float | None = None) -> Paragraph:
        paragraph = self.document.add_paragraph()
        run = paragraph.add_run(str(text))
        run.bold = bold
        set_run_font(run, size=size)
        return paragraph

    def table(
        self, headers: Sequence[str], rows: Iterable[Sequence[Any]], *, size: float = 10.5
    ) -> Table:
        table = self.document.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        for cell, header in zip(table.rows[0].cells, headers, strict=True):
            cell.text = ""
            run = cell.paragraphs[0].add_run(str(header))
            run.bold = True
            set_run_font(run, east_asia=HEADING_FONT, size=size)
        for values in rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, values, strict=True):
                cell.text = ""
                set_run_font(cell.paragraphs[0].add_run(_text(value)), size=size)
        return table

    def to_bytes(self) -> bytes:
        return document_bytes(self.document)


def document_bytes(document: Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _lookup(context: Mapping[str, Any], key: str) -> str:
    value: Any = context
    for part in key.split("."):
        value = value.get(part, "") if isinstance(value, Mapping) else getattr(value, part, "")
    return _text(value)


def fill_paragraph(paragraph: Paragraph, context: Mapping[str, Any]) -> None:
    """Replace the placeholders of ``paragraph``, merging its runs first if one holds any."""
    if not PLACEHOLDER.search(paragraph.text):
        return
    runs = paragraph.runs
    if not runs:
        return
    merged = "".join(run.text for run in runs)
    runs[0].text = PLACEHOLDER.sub(lambda match: _lookup(context, match.group(1)), merged)
    for run in runs[1:]:
        run._element.getparent().remove(run._element)


def _fill_cells(row_cells: Iterable[Any], context: Mapping[str, Any]) -> None:
    for cell in row_cells:
        for paragraph in cell.paragraphs:
            fill_paragraph(paragraph, context)
        for inner in cell.tables:
            _fill_table(inner, context)


def _fill_table(table: Table, context: Mapping[str, Any]) -> None:
    for row in list(table.rows):
        text = "".join(cell.text for cell in row.cells)
        if not re.search(r"\{\{\s*rows\.", text):
            _fill_cells(row.cells, context)
            continue
        template = row._tr
        for item in context.get("rows", []):
            clone = copy.deepcopy(template)
            template.addprevious(clone)
            _fill_cells(_Row(clone, table).cells, {**context, "rows": item})
        template.getparent().remove(template)


def render_template(template: Path | str | io.BytesIO, context: Mapping[str, Any]) -> bytes:
    """Fill a .docx template's ``{{ key }}`` placeholders and repeating row from ``context``."""
    document = docx.Document(str(template) if isinstance(template, Path) else template)
    for paragraph in document.paragraphs:
        fill_paragraph(paragraph, context)
    for table in document.tables:
        _fill_table(table, context)
    for section in document.sections:
        for part in (section.header, section.footer):
            for paragraph in part.paragraphs:
                fill_paragraph(paragraph, context)
    return document_bytes(document)
