"""Importing organisations through the workbench, with the job run by the ImmediateBackend."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.conftest import Personas
from tests.core.test_imports_support import (
    GOOD_ROWS,
    ORG_HEADERS,
    import_env,  # noqa: F401  (fixture)
    mixed_file,
    xlsx_bytes,
)
from warmhome.core.models import ImportBatch
from warmhome.orgs.models import OrgUnit

pytestmark = pytest.mark.usefixtures("import_env")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post_file(client: Client, data: bytes, capture, name: str = "组织.xlsx"):
    with capture(execute=True):
        return client.post(reverse("orgs:orgunit_import"), {"file": SimpleUploadedFile(name, data)})


def test_a_street_cadre_imports_organisations_end_to_end(
    personas: Personas, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    client = client_for(personas.street_a_cadre)
    listing = client.get(reverse("orgs:orgunit_list"))
    assert reverse("orgs:orgunit_import") in listing.content.decode()

    template = client.get(reverse("orgs:orgunit_import_template"))
    assert template.status_code == 200
    sheet = load_workbook(io.BytesIO(template.content)).worksheets[0]
    assert [cell.value for cell in sheet[1]] == ORG_HEADERS

    response = post_file(client, mixed_file(), django_capture_on_commit_callbacks)
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("orgs:orgunit_import_batch", args=[batch.pk])

    with django_assert_max_num_queries(15):
        preview = client.get(response["Location"])
    page = preview.content.decode()
    assert "已校验" in page
    assert "与第 2 行重复（同一文件中不能出现两次）。" in page
    assert "“解放路街道”（街道）下不能设立区。" in page

    report = client.get(reverse("orgs:orgunit_import_errors", args=[batch.pk]))
    rows = list(load_workbook(io.BytesIO(report.content)).worksheets[0].values)
    assert rows[0][0] == "原行号"
    assert rows[0][-1] == "错误原因"
    assert len(rows) == 1 + 12
    assert rows[1][0] == 5
    assert rows[1][-1] == "名称：必填，不能为空。"

    refused = client.post(reverse("orgs:orgunit_import_commit", args=[batch.pk]), {"mode": "all"})
    assert "有 12 行存在错误" in client.get(refused["Location"]).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            reverse("orgs:orgunit_import_commit", args=[batch.pk]), {"mode": "valid"}
        )
    summary = client.get(done["Location"]).content.decode()
    assert "导入完成：新增 3 行，已存在跳过 1 行，失败 12 行。" in summary
    assert OrgUnit.objects.filter(code="370102001901").exists()


def test_a_renamed_csv_is_refused_on_the_upload_page_and_nothing_is_stored(
    personas: Personas, django_capture_on_commit_callbacks
):
    client = client_for(personas.street_a_cadre)

    response = post_file(
        client, b"name,code\n=1+2,1\n", django_capture_on_commit_callbacks, name="组织.xlsx"
    )

    assert response.status_code == 200
    assert "不是 Excel (.xlsx) 格式" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_a_file_with_wrong_headers_is_refused_naming_the_columns(
    personas: Personas, django_capture_on_commit_callbacks
):
    client = client_for(personas.street_a_cadre)
    data = xlsx_bytes(["名称", "级别", "统计代码"], [["甲", "社区", "370102001009"]])

    response = post_file(client, data, django_capture_on_commit_callbacks)

    page = response.content.decode()
    assert "缺少必填列：类型" in page
    assert "模板以外的列：级别" in page
    assert not ImportBatch.objects.exists()


def test_an_oversized_upload_is_refused_with_the_limit(
    personas: Personas, django_capture_on_commit_callbacks, monkeypatch
):
    from warmhome.core.imports import views

    monkeypatch.setattr(views, "max_file_bytes", lambda: 1024)
    client = client_for(personas.street_a_cadre)

    response = post_file(
        client, xlsx_bytes(ORG_HEADERS, GOOD_ROWS), django_capture_on_commit_callbacks
    )

    assert "文件过大" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_the_cancel_button_cancels_a_validated_batch(
    personas: Personas, django_capture_on_commit_callbacks
):
    client = client_for(personas.street_a_cadre)
    post_file(client, xlsx_bytes(ORG_HEADERS, GOOD_ROWS), django_capture_on_commit_callbacks)
    batch = ImportBatch.objects.get()

    response = client.post(reverse("orgs:orgunit_import_cancel", args=[batch.pk]))

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.CANCELLED
    assert "已取消该批次导入。" in client.get(response["Location"]).content.decode()


def test_an_interrupted_commit_shows_what_happened(
    personas: Personas, django_capture_on_commit_callbacks
):
    from warmhome.core.models import Job

    client = client_for(personas.street_a_cadre)
    post_file(client, xlsx_bytes(ORG_HEADERS, GOOD_ROWS), django_capture_on_commit_callbacks)
    batch = ImportBatch.objects.get()
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.COMMITTING)
    Job.objects.filter(pk=batch.job_id).update(status=Job.Status.FAILED)

    page = client.get(reverse("orgs:orgunit_import_batch", args=[batch.pk])).content.decode()

    assert "导入中断，未写入任何数据，请重新提交。" in page
    assert reverse("orgs:orgunit_import_commit", args=[batch.pk]) in page


def test_without_orgs_change_the_import_pages_are_refused(personas: Personas):
    client = client_for(personas.community_a1_cadre)

    assert client.get(reverse("orgs:orgunit_import")).status_code == 403
    assert client.get(reverse("orgs:orgunit_import_template")).status_code == 403
    assert (
        reverse("orgs:orgunit_import")
        not in client.get(reverse("orgs:orgunit_list")).content.decode()
    )


def test_another_streets_batch_answers_404(personas: Personas, django_capture_on_commit_callbacks):
    post_file(
        client_for(personas.street_a_cadre),
        xlsx_bytes(ORG_HEADERS, GOOD_ROWS),
        django_capture_on_commit_callbacks,
    )
    batch = ImportBatch.objects.get()
    other = client_for(personas.street_b_cadre)

    assert other.get(reverse("orgs:orgunit_import_batch", args=[batch.pk])).status_code == 404
    assert other.get(reverse("orgs:orgunit_import_errors", args=[batch.pk])).status_code == 404
    assert other.post(reverse("orgs:orgunit_import_cancel", args=[batch.pk])).status_code == 404


def test_the_status_partial_is_what_htmx_polls(
    personas: Personas, django_capture_on_commit_callbacks
):
    client = client_for(personas.street_a_cadre)
    post_file(client, xlsx_bytes(ORG_HEADERS, GOOD_ROWS), django_capture_on_commit_callbacks)
    batch = ImportBatch.objects.get()

    response = client.get(
        reverse("orgs:orgunit_import_batch", args=[batch.pk]), headers={"HX-Request": "true"}
    )

    page = response.content.decode()
    assert page.lstrip().startswith('<div id="import-status"')
    assert "<html" not in page
