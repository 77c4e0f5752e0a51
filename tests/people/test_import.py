"""Importing persons: ten kinds of bad rows, valid rows only, idempotency, scope, no plaintext."""

from typing import Any

import pytest
from django.db import connection

from tests.conftest import Personas, Tree
from tests.core.test_imports_support import import_env, xlsx_bytes  # noqa: F401  (fixture)
from warmhome.core.identifiers import citizen_id_check_character
from warmhome.core.imports.services import importbatch_commit_start, importbatch_upload
from warmhome.core.imports.spec import SEALED_TEXTS
from warmhome.core.imports.workbook import template_xlsx
from warmhome.core.models import ImportBatch, ImportRowResult
from warmhome.people.importers import PERSON_IMPORT, PERSON_SPEC
from warmhome.people.models import Person
from warmhome.people.services import person_create

pytestmark = pytest.mark.usefixtures("import_env")

HEADERS = [
    "姓名",
    "性别",
    "身份证号",
    "民族",
    "手机号",
    "居住地址",
    "户籍地址",
    "所属社区或网格",
    "文化程度",
    "就业状况",
    "婚姻状况",
    "人员类别",
]
COMMUNITY_A1 = "370102001002"  # 解放桥社区 (tests/conftest.py)


def citizen_id(birth: str, serial: str) -> str:
    """A valid 18-digit ID of 历下区 (370102) with birth date ``YYYYMMDD`` and 3-digit serial."""
    first17 = f"370102{birth}{serial}"
    return first17 + citizen_id_check_character(first17)


def wrong_check(value: str) -> str:
    last = value[-1]
    return value[:-1] + ("0" if last != "0" else "1")


ID_ZHANG = citizen_id("19800315", "024")  # serial even: female
ID_LI = citizen_id("19751102", "046")
ID_WANG = citizen_id("19900101", "062")
ID_REGISTERED = citizen_id("19850707", "082")
PHONE_ZHANG = "13905310001"
PHONE_LI = "13905310002"


def row(name: str, cid: str, **overrides: str) -> list[str]:
    values = {
        "姓名": name,
        "性别": "女",
        "身份证号": cid,
        "民族": "汉族",
        "手机号": "",
        "居住地址": "解放桥社区幸福里3号楼",
        "户籍地址": "济南市历下区解放路1号",
        "所属社区或网格": COMMUNITY_A1,
        "文化程度": "初中",
        "就业状况": "失业",
        "婚姻状况": "离异",
        "人员类别": "",
    }
    values.update(overrides)
    return [values[header] for header in HEADERS]


GOOD_ROWS = [
    row("张秀梅", ID_ZHANG, 手机号=PHONE_ZHANG, 人员类别="单亲特困母亲、下岗失业妇女"),
    row("李桂英", ID_LI, 手机号=PHONE_LI, 所属社区或网格="解放桥社区第一网格", 人员类别="留守妇女"),
    row("王丽", ID_WANG, 性别="", 文化程度="", 就业状况="", 婚姻状况=""),
    row("赵红", ID_REGISTERED),  # registered before the import: skipped as 已存在
]

# (row, column header, part of the message) — ten different kinds of mistakes
BAD_ROWS: list[tuple[list[str], str, str]] = [
    (row("错校验", wrong_check(citizen_id("19800101", "102"))), "身份证号", "校验位错误"),
    (row("错日期", citizen_id("19810230", "122")), "身份证号", "出生日期 1981-02-30 不存在"),
    (row("少一位", citizen_id("19820101", "142")[:17]), "身份证号", "应为18位，当前为17位"),
    (
        row("错手机", citizen_id("19830101", "162"), 手机号="1390531"),
        "手机号",
        "应为 11 位数字，当前为 7 位",
    ),
    (
        row("无社区", citizen_id("19840101", "182"), 所属社区或网格="幸福社区"),
        "所属社区或网格",
        "社区或网格“幸福社区”不存在",
    ),
    (
        row("外社区", citizen_id("19850101", "202"), 所属社区或网格="甲二社区"),
        "所属社区或网格",
        "“甲二社区”不在您的管理范围内",
    ),
    (row("", citizen_id("19860101", "222")), "姓名", "必填，不能为空"),
    (
        row("错类别", citizen_id("19870101", "242"), 人员类别="留守妇女、贫困户"),
        "人员类别",
        "人员类别“贫困户”不存在",
    ),
    (row("重复", ID_ZHANG), "身份证号", "与第 2 行重复"),
    (
        row("错学历", citizen_id("19880101", "262"), 文化程度="博士后"),
        "文化程度",
        "“博士后”不是可选值",
    ),
]


def mixed_file() -> bytes:
    return xlsx_bytes(HEADERS, [*GOOD_ROWS, *(bad for bad, _column, _message in BAD_ROWS)])


def upload(actor: Any, data: bytes, capture: Any) -> ImportBatch:
    with capture(execute=True):
        batch = importbatch_upload(
            actor=actor, spec_key=PERSON_IMPORT, file_name="人员.xlsx", data=data
        )
    batch.refresh_from_db()
    return batch


def commit(actor: Any, batch: ImportBatch, mode: str, capture: Any) -> ImportBatch:
    with capture(execute=True):
        importbatch_commit_start(actor=actor, batch=batch, mode=mode)
    batch.refresh_from_db()
    return batch


@pytest.fixture
def registered(tree: Tree) -> Person:
    return person_create(
        actor=None, org=tree.community_a1, name="赵红", sex="female", citizen_id=ID_REGISTERED
    ).person


def test_template_has_the_chinese_headers_and_drop_downs(db: None):
    from io import BytesIO

    from openpyxl import load_workbook

    book = load_workbook(BytesIO(template_xlsx(PERSON_SPEC)))
    sheet = book.worksheets[0]
    assert [cell.value for cell in sheet[1]] == HEADERS
    lists = {str(validation.sqref) for validation in sheet.data_validations.dataValidation}
    # 性别, 文化程度, 就业状况, 婚姻状况 are drop-downs
    assert {"B2:B10000", "I2:I10000", "J2:J10000", "K2:K10000"} <= lists


def test_ten_kinds_of_bad_rows_get_ten_precise_errors_without_the_id_or_phone(
    personas: Personas, registered: Person, django_capture_on_commit_callbacks
):
    batch = upload(personas.community_a1_cadre, mixed_file(), django_capture_on_commit_callbacks)

    assert batch.status == ImportBatch.Status.VALIDATED
    assert (batch.total_rows, batch.valid_rows, batch.error_rows) == (14, 4, 10)
    found = {
        result.row_number: result.errors
        for result in batch.rows.filter(status=ImportRowResult.Status.INVALID)
    }
    for offset, (bad, column, message) in enumerate(BAD_ROWS):
        errors = found[2 + len(GOOD_ROWS) + offset]
        assert len(errors) == 1, errors
        assert errors[0]["column"] == column
        assert message in errors[0]["message"], errors
        cid, phone = bad[HEADERS.index("身份证号")], bad[HEADERS.index("手机号")]
        assert cid not in errors[0]["message"]
        assert not phone or phone not in errors[0]["message"]


def test_valid_rows_only_commits_the_rest_and_the_same_file_again_adds_nothing(
    personas: Personas, tree: Tree, registered: Person, django_capture_on_commit_callbacks
):
    actor = personas.community_a1_cadre
    batch = upload(actor, mixed_file(), django_capture_on_commit_callbacks)

    batch = commit(actor, batch, "valid", django_capture_on_commit_callbacks)

    assert batch.status == ImportBatch.Status.COMMITTED
    assert (batch.created_count, batch.skipped_count, batch.failed_count) == (3, 1, 10)
    assert Person.objects.count() == 4
    zhang = Person.objects.get(name="张秀梅")
    assert zhang.citizen_id == ID_ZHANG
    assert zhang.phone == PHONE_ZHANG
    assert zhang.name_pinyin_initials == "zxm"
    assert zhang.org == tree.community_a1
    assert (zhang.education, zhang.employment_status, zhang.marital_status) == (
        "junior",
        "unemployed",
        "divorced",
    )
    assert sorted(zhang.categories.values_list("name", flat=True)) == [
        "下岗失业妇女",
        "单亲特困母亲",
    ]
    li = Person.objects.get(name="李桂英")
    assert li.org == tree.grid_a1
    wang = Person.objects.get(name="王丽")
    assert (wang.sex, str(wang.birth_date)) == ("female", "1990-01-01")  # derived from the ID
    skipped = batch.rows.get(status=ImportRowResult.Status.SKIPPED)
    assert skipped.row_number == 5

    again = commit(
        actor,
        upload(actor, mixed_file(), django_capture_on_commit_callbacks),
        "valid",
        django_capture_on_commit_callbacks,
    )

    assert Person.objects.count() == 4
    assert (again.created_count, again.skipped_count) == (0, 4)
    assert "新增 0 行，已存在跳过 4 行" in again.job.result["summary"]


def test_all_or_nothing_refused_while_rows_have_errors_and_a_clean_file_imports_whole(
    personas: Personas, registered: Person, django_capture_on_commit_callbacks
):
    from django.core.exceptions import ValidationError

    actor = personas.community_a1_cadre
    batch = upload(actor, mixed_file(), django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError, match="有 10 行存在错误"):
        importbatch_commit_start(actor=actor, batch=batch, mode="all")
    assert Person.objects.count() == 1

    clean = upload(actor, xlsx_bytes(HEADERS, GOOD_ROWS), django_capture_on_commit_callbacks)
    clean = commit(actor, clean, "all", django_capture_on_commit_callbacks)
    assert (clean.created_count, clean.skipped_count, clean.failed_count) == (3, 1, 0)


def test_a_community_cadre_cannot_import_into_another_community(
    personas: Personas, tree: Tree, django_capture_on_commit_callbacks
):
    actor = personas.community_a1_cadre
    data = xlsx_bytes(HEADERS, [row("钱芳", ID_WANG, 所属社区或网格="甲二社区")])
    batch = upload(actor, data, django_capture_on_commit_callbacks)

    assert (batch.valid_rows, batch.error_rows) == (0, 1)
    error = batch.rows.get().errors[0]
    assert error["column"] == "所属社区或网格"
    assert "不在您的管理范围内" in error["message"]

    # the street cadre above both communities may
    street = upload(personas.street_a_cadre, data, django_capture_on_commit_callbacks)
    street = commit(personas.street_a_cadre, street, "all", django_capture_on_commit_callbacks)
    assert Person.objects.get().org == tree.community_a2


def test_a_street_is_no_home_for_a_person(personas: Personas, django_capture_on_commit_callbacks):
    data = xlsx_bytes(HEADERS, [row("孙燕", ID_WANG, 所属社区或网格="解放路街道")])
    batch = upload(personas.street_a_cadre, data, django_capture_on_commit_callbacks)

    assert "人员只能登记到社区或网格" in batch.rows.get().errors[0]["message"]


def test_the_database_holds_no_plaintext_id_or_phone_after_an_import(
    personas: Personas, registered: Person, django_capture_on_commit_callbacks
):
    actor = personas.community_a1_cadre
    batch = upload(actor, mixed_file(), django_capture_on_commit_callbacks)
    commit(actor, batch, "valid", django_capture_on_commit_callbacks)
    assert Person.objects.count() == 4

    tables = [
        "people_person",
        "core_importbatch",
        "core_importrowresult",
        "core_auditentry",
        "core_job",
    ]
    with connection.cursor() as cursor:
        rows: list[Any] = []
        for table in tables:
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608  (fixed table names)
            rows += cursor.fetchall()
    dump = repr(rows)
    for secret in (ID_ZHANG, ID_LI, ID_WANG, ID_REGISTERED, PHONE_ZHANG, PHONE_LI):
        assert secret not in dump
    assert "幸福里3号楼" not in dump


def test_template_notes_list_the_managed_categories(db: None):
    from io import BytesIO

    from openpyxl import load_workbook

    notes = load_workbook(BytesIO(template_xlsx(PERSON_SPEC)))["填写说明"]
    category_note = next(row for row in notes.iter_rows(values_only=True) if row[0] == "人员类别")
    assert "单亲特困母亲" in category_note[2]
    assert "女大学生" in category_note[2]


def test_the_person_list_offers_the_import_only_to_those_who_may_change_persons(
    client: Any, personas: Personas
):
    client.force_login(personas.community_a1_cadre)
    listing = client.get("/work/people/")
    assert 'data-testid="person-import"' in listing.content.decode()
    assert client.get("/work/people/import/").status_code == 200
    template = client.get("/work/people/import/template/")
    assert template["Content-Disposition"].startswith("attachment")

    client.force_login(personas.resident)
    assert client.get("/work/people/import/").status_code == 403
    assert client.get("/work/people/import/template/").status_code == 403


def test_key_rotation_re_encrypts_the_personal_columns_kept_with_an_import(
    personas: Personas, settings, capsys, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    from tests.core.test_crypto import AES_KEY_1, AES_KEY_2

    settings.FIELD_ENCRYPTION_KEYS = [AES_KEY_1]
    batch = upload(personas.community_a1_cadre, mixed_file(), django_capture_on_commit_callbacks)
    zhang = batch.rows.get(row_number=2)
    assert "citizen_id" not in zhang.values  # kept with the row's other personal texts:
    assert zhang.values[SEALED_TEXTS].startswith("wh1:A:k1:")
    settings.FIELD_ENCRYPTION_KEYS = [AES_KEY_2, AES_KEY_1]

    call_command("crypto", "check")
    before = capsys.readouterr().out
    call_command("crypto", "rotate", "--batch-size=5")
    rotated = capsys.readouterr().out
    settings.FIELD_ENCRYPTION_KEYS = [AES_KEY_2]  # the old key may go now
    call_command("crypto", "check", "--verify")
    after = capsys.readouterr().out

    assert "core.ImportRowResult.values：当前密钥 0，旧密钥" in before
    assert "core.ImportRowResult.values：重新加密 14 条。" in rotated
    assert after.strip().splitlines()[-1] == "OK: 所有加密数据都在当前密钥下。"
    texts = PERSON_SPEC.loaded_texts(ImportRowResult.objects.get(pk=zhang.pk).values)
    assert texts["citizen_id"] == ID_ZHANG
    assert texts["phone"] == PHONE_ZHANG
    assert texts["name"] == "张秀梅"
