"""Importing 两新 organisations: row errors, valid rows only, idempotent by credit code."""

from typing import Any

import pytest

from tests.conftest import Personas, Tree
from tests.core.test_imports_support import import_env, xlsx_bytes  # noqa: F401  (fixture)
from tests.factories import new_org
from warmhome.core.identifiers import fake_credit_code
from warmhome.core.imports.services import importbatch_commit_start, importbatch_upload
from warmhome.core.models import ImportBatch, ImportRowResult
from warmhome.orgs.importers_new_orgs import NEW_ORG_IMPORT
from warmhome.orgs.models_new_orgs import NewOrg

pytestmark = pytest.mark.usefixtures("import_env")

HEADERS = [
    "名称",
    "统一社会信用代码",
    "所属社区",
    "所属网格",
    "类型",
    "细分类型",
    "行业",
    "从业人员数",
    "女职工数",
    "已建党组织",
]
GOOD_A = fake_credit_code()
GOOD_B = fake_credit_code("52")
KNOWN = fake_credit_code()


def row(name: str, code: str, community: str = "370102001002", grid: str = "", **more: Any):
    employees = more.get("employees", 40)
    female = more.get("female", 20)
    return [
        name,
        code,
        community,
        grid,
        "",
        "",
        "制造业",
        employees,
        female,
        more.get("party", "是"),
    ]


def mixed_file() -> bytes:
    bad_check = GOOD_A[:-1] + ("0" if GOOD_A[-1] != "0" else "1")
    return xlsx_bytes(
        HEADERS,
        [
            row("甲制衣有限公司", GOOD_A, grid="解放桥社区第一网格"),
            row("乙社工服务中心", GOOD_B, community="解放桥社区"),
            row("已登记公司", KNOWN),
            row("校验位错误公司", bad_check),
            row("重复公司", GOOD_A),
            row("无此社区公司", fake_credit_code(), community="不存在社区"),
            row("无此网格公司", fake_credit_code(), grid="第九网格"),
            row("他街道公司", fake_credit_code(), community="370102002002"),
            row("人数不对公司", fake_credit_code(), employees=5, female=9),
        ],
    )


def upload(actor: Any, data: bytes, capture: Any) -> ImportBatch:
    with capture(execute=True):
        batch = importbatch_upload(
            actor=actor, spec_key=NEW_ORG_IMPORT, file_name="两新组织.xlsx", data=data
        )
    batch.refresh_from_db()
    return batch


def commit(actor: Any, batch: ImportBatch, capture: Any) -> ImportBatch:
    with capture(execute=True):
        importbatch_commit_start(actor=actor, batch=batch, mode="valid")
    batch.refresh_from_db()
    return batch


def test_bad_rows_get_precise_errors_and_the_same_file_again_adds_nothing(
    tree: Tree, personas: Personas, django_capture_on_commit_callbacks
):
    new_org(tree.community_a1, "已登记公司", credit_code=KNOWN)
    actor = personas.street_a_cadre

    batch = upload(actor, mixed_file(), django_capture_on_commit_callbacks)

    errors = {
        result.row_number: result.errors[0]
        for result in batch.rows.filter(status=ImportRowResult.Status.INVALID)
    }
    assert {number: error["column"] for number, error in errors.items()} == {
        5: "统一社会信用代码",
        6: "统一社会信用代码",
        7: "所属社区",
        8: "所属网格",
        9: "所属社区",
        10: "女职工数",
    }
    assert "校验位错误" in errors[5]["message"]
    assert "重复" in errors[6]["message"]
    assert "不存在" in errors[7]["message"]
    assert "不在您的管理范围内" in errors[9]["message"]

    batch = commit(actor, batch, django_capture_on_commit_callbacks)
    assert (batch.created_count, batch.skipped_count) == (2, 1)
    first = NewOrg.objects.get(credit_code=GOOD_A)
    assert first.org == tree.grid_a1
    assert first.has_party_org
    assert NewOrg.objects.get(credit_code=GOOD_B).kind == "social_org"

    again = commit(
        actor,
        upload(actor, mixed_file(), django_capture_on_commit_callbacks),
        django_capture_on_commit_callbacks,
    )
    assert (again.created_count, again.skipped_count) == (0, 3)
    assert NewOrg.objects.count() == 3
