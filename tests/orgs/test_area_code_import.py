"""Importing units from the official village-level code list (统计用区划和城乡划分代码)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.conftest import Personas, Tree
from tests.core.test_imports_support import import_env, xlsx_bytes  # noqa: F401  (fixture)
from warmhome.core.models import ImportBatch, ImportRowResult
from warmhome.orgs.importers import area_kind, area_parent_code
from warmhome.orgs.models import OrgKind, OrgUnit, OrgUnitNameChange

pytestmark = pytest.mark.usefixtures("import_env")

HEADERS = ["统计用区划代码", "名称", "城乡分类代码", "启用日期"]


def upload(client: Client, rows, capture) -> ImportBatch:
    with capture(execute=True):
        response = client.post(
            reverse("orgs:area_code_import"),
            {"file": SimpleUploadedFile("区划代码.xlsx", xlsx_bytes(HEADERS, rows))},
        )
    assert response.status_code == 302, response.content.decode()[:500]
    return ImportBatch.objects.order_by("-pk").first()


def commit(client: Client, batch: ImportBatch, capture) -> ImportBatch:
    with capture(execute=True):
        client.post(reverse("orgs:area_code_import_commit", args=[batch.pk]), {"mode": "valid"})
    batch.refresh_from_db()
    return batch


def errors_by_row(batch: ImportBatch) -> dict[int, str]:
    return {
        row.row_number: " ".join(error["message"] for error in row.errors)
        for row in ImportRowResult.objects.filter(batch=batch)
        if row.errors
    }


@pytest.fixture
def street_a(client: Client, personas: Personas) -> Client:
    client.force_login(personas.street_a_cadre)
    return client


def test_kind_and_parent_come_from_the_code():
    assert (area_kind("370102001002"), area_parent_code("370102001002")) == (
        OrgKind.COMMUNITY,
        "370102001000",
    )
    assert (area_kind("370102001000"), area_parent_code("370102001000")) == (
        OrgKind.STREET,
        "370102000000",
    )
    assert (area_kind("370102000000"), area_parent_code("370102000000")) == (
        OrgKind.DISTRICT,
        "370100000000",
    )


def test_the_code_list_creates_skips_and_refuses_row_by_row(
    street_a: Client, tree: Tree, django_capture_on_commit_callbacks
):
    rows = [
        ["370102001003", "新华社区", "111", "2024-01-01"],  # 2: new community under street A
        ["370102001002", "解放桥社区", "111", ""],  # 3: exists with this name: skipped
        ["370102001003", "新华二社区", "111", ""],  # 4: same code twice in the file
        ["370102009001", "无名社区", "111", ""],  # 5: its street does not exist
        ["37010200100", "短码社区", "111", ""],  # 6: eleven digits
        ["370102002005", "越权社区", "111", ""],  # 7: street B is not hers
        ["370102001004", "错类社区", "999", ""],  # 8: no such urban-rural class
        ["370102001003001", "长码社区", "111", ""],  # 9: fifteen digits
    ]

    batch = upload(street_a, rows, django_capture_on_commit_callbacks)
    errors = errors_by_row(batch)

    assert set(errors) == {4, 5, 6, 7, 8, 9}
    assert "统计代码 370102001003 与第 2 行重复" in errors[4]
    assert "上级组织 370102009000 不存在或不在您的管理范围内" in errors[5]
    assert "统计用区划代码应为 12 位数字" in errors[6]
    assert "上级组织 370102002000 不存在或不在您的管理范围内" in errors[7]
    assert "“999”不是可选值" in errors[8]

    batch = commit(street_a, batch, django_capture_on_commit_callbacks)

    assert (batch.created_count, batch.skipped_count) == (1, 1)
    created = OrgUnit.objects.get(code="370102001003")
    assert created.kind == OrgKind.COMMUNITY
    assert created.urban_rural_class == "111"
    assert created.valid_from == datetime.date(2024, 1, 1)
    assert OrgUnit.objects.get_parent(created) == tree.street_a


def test_a_street_and_its_communities_in_one_file(
    client: Client, personas: Personas, tree: Tree, django_capture_on_commit_callbacks
):
    client.force_login(personas.district_staff)
    rows = [
        ["370102003000", "趵突泉街道", "", ""],
        ["370102003001", "泉景社区", "111", ""],
        ["370102003002", "饮虎池社区", "112", ""],
    ]

    batch = commit(
        client,
        upload(client, rows, django_capture_on_commit_callbacks),
        django_capture_on_commit_callbacks,
    )

    assert batch.created_count == 3
    street = OrgUnit.objects.get(code="370102003000")
    assert {unit.code for unit in OrgUnit.objects.get_children(street)} == {
        "370102003001",
        "370102003002",
    }


def test_a_new_name_for_a_code_is_a_rename_and_importing_again_changes_nothing(
    street_a: Client, tree: Tree, django_capture_on_commit_callbacks
):
    rows = [["370102001002", "解放桥新村社区", "112", "2026-01-01"]]

    batch = commit(
        street_a,
        upload(street_a, rows, django_capture_on_commit_callbacks),
        django_capture_on_commit_callbacks,
    )

    assert batch.created_count == 1  # the row was written (as a rename)
    unit = OrgUnit.objects.get(code="370102001002")
    assert (unit.pk, unit.name, unit.urban_rural_class) == (
        tree.community_a1.pk,
        "解放桥新村社区",
        "112",
    )
    change = OrgUnitNameChange.objects.get(unit=unit)
    assert (change.old_name, change.valid_to) == ("解放桥社区", datetime.date(2025, 12, 31))

    again = commit(
        street_a,
        upload(street_a, rows, django_capture_on_commit_callbacks),
        django_capture_on_commit_callbacks,
    )

    assert (again.created_count, again.skipped_count) == (0, 1)
    assert OrgUnitNameChange.objects.filter(unit=unit).count() == 1


def test_renaming_another_streets_unit_is_a_row_error(
    street_a: Client, tree: Tree, django_capture_on_commit_callbacks
):
    batch = upload(
        street_a, [["370102002002", "佛山苑新社区", "", ""]], django_capture_on_commit_callbacks
    )

    assert "不在您的管理范围内，不能更名" in errors_by_row(batch)[2]
    assert OrgUnit.objects.get(code="370102002002").name == "佛山苑社区"
