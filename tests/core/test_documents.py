import io
from typing import Any

from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn

from tests.conftest import Personas, Tree
from warmhome.core.documents.docx import WordDocument, render_template
from warmhome.core.models import AuditEntry

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _open(payload: bytes) -> Any:
    return Document(io.BytesIO(payload))


def _template_with_split_placeholder() -> bytes:
    document = Document()
    paragraph = document.add_paragraph()
    # As Word saves it after an edit in the middle: one placeholder over three runs.
    for part in ("致 {{ un", "it_na", "me }}：请于{{ due }}前报送。"):
        paragraph.add_run(part)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "姓名"
    table.cell(0, 1).text = "{{ title }}"
    table.cell(1, 0).text = "{{ rows.name }}"
    table.cell(1, 1).text = "{{ rows.phone }}"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_placeholders_split_over_runs_are_filled() -> None:
    payload = render_template(
        io.BytesIO(_template_with_split_placeholder()),
        {"unit_name": "解放桥社区", "due": "12月5日", "title": "电话", "rows": []},
    )
    assert _open(payload).paragraphs[0].text == "致 解放桥社区：请于12月5日前报送。"


def test_the_repeating_row_is_copied_once_per_item() -> None:
    payload = render_template(
        io.BytesIO(_template_with_split_placeholder()),
        {
            "unit_name": "x",
            "title": "电话",
            "rows": [{"name": "张秀梅", "phone": "138****5678"}, {"name": "李红", "phone": ""}],
        },
    )
    table = _open(payload).tables[0]
    assert [[cell.text for cell in row.cells] for row in table.rows] == [
        ["姓名", "电话"],
        ["张秀梅", "138****5678"],
        ["李红", ""],
    ]


def test_built_documents_use_a_chinese_east_asian_font() -> None:
    document = WordDocument(title="名册")
    document.heading("解放路街道组织名册")
    document.table(["名称", "类型"], [["解放桥社区", "社区"]])
    opened = _open(document.to_bytes())
    run = opened.paragraphs[0].runs[0]
    assert run.text == "解放路街道组织名册"
    assert run._element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    normal = opened.styles["Normal"].element.rPr.rFonts.get(qn("w:eastAsia"))
    assert normal == "宋体"
    assert opened.tables[0].cell(1, 0).text == "解放桥社区"


def test_roster_of_a_street_lists_its_subtree_only_and_is_audited(
    personas: Personas, tree: Tree, client: Any
) -> None:
    client.force_login(personas.street_a_cadre)
    response = client.get(reverse("orgs:orgunit_roster_docx", args=[tree.street_a.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert "attachment" in response["Content-Disposition"]
    document = _open(response.content)
    assert document.paragraphs[0].text == "解放路街道组织名册"
    names = [row.cells[1].text for row in document.tables[0].rows[1:]]
    # In tree order: each unit directly above the units under it.
    assert names == ["解放路街道", "甲二社区", "解放桥社区", "解放桥社区第一网格"]
    assert "佛山苑社区" not in names
    parents = [row.cells[4].text for row in document.tables[0].rows[1:]]
    assert parents == ["", "解放路街道", "解放路街道", "解放桥社区"]
    entry = AuditEntry.objects.filter(event="export").latest("seq")
    assert entry.detail["what"] == "orgs.orgunit_roster_docx"
    assert entry.detail["rows"] == 4


def test_roster_of_another_street_is_not_found(personas: Personas, tree: Tree, client: Any) -> None:
    client.force_login(personas.street_a_cadre)
    response = client.get(reverse("orgs:orgunit_roster_docx", args=[tree.street_b.pk]))
    assert response.status_code == 404


def test_roster_needs_the_export_action(personas: Personas, tree: Tree, client: Any) -> None:
    client.force_login(personas.resident)
    response = client.get(reverse("orgs:orgunit_roster_docx", args=[tree.community_a1.pk]))
    assert response.status_code == 404
    client.force_login(personas.community_a1_cadre)
    detail = client.get(reverse("orgs:orgunit_detail", args=[tree.community_a1.pk]))
    assert 'data-testid="roster-docx"' in detail.content.decode()
