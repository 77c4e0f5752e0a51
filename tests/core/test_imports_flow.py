"""Validation, commit modes, idempotency, cancellation and interrupted workers."""

import dataclasses
import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from tests.conftest import Personas
from tests.core.test_imports_support import (
    BAD_ROWS,
    GOOD_ROWS,
    ORG_HEADERS,
    import_env,  # noqa: F401  (fixture)
    mixed_file,
    xlsx_bytes,
)
from warmhome.core import jobs
from warmhome.core.imports import services
from warmhome.core.imports import spec as spec_module
from warmhome.core.imports.services import (
    importbatch_cancel,
    importbatch_commit_start,
    importbatch_is_stale,
    importbatch_stale_message,
    importbatch_upload,
)
from warmhome.core.models import ImportBatch, ImportRowResult, Job
from warmhome.orgs.importers import ORGUNIT_IMPORT, ORGUNIT_SPEC
from warmhome.orgs.models import OrgUnit

pytestmark = pytest.mark.usefixtures("import_env")


def upload(actor: Any, data: bytes, capture: Any) -> ImportBatch:
    with capture(execute=True):
        batch = importbatch_upload(
            actor=actor, spec_key=ORGUNIT_IMPORT, file_name="组织.xlsx", data=data
        )
    batch.refresh_from_db()
    return batch


def commit(actor: Any, batch: ImportBatch, mode: str, capture: Any) -> ImportBatch:
    with capture(execute=True):
        importbatch_commit_start(actor=actor, batch=batch, mode=mode)
    batch.refresh_from_db()
    return batch


def errors_by_row(batch: ImportBatch) -> dict[int, list[dict[str, str]]]:
    return {
        row.row_number: row.errors
        for row in batch.rows.filter(status=ImportRowResult.Status.INVALID)
    }


def test_each_kind_of_bad_row_gets_one_precise_error_with_row_and_column(
    personas: Personas, django_capture_on_commit_callbacks
):
    batch = upload(personas.street_a_cadre, mixed_file(), django_capture_on_commit_callbacks)

    assert batch.status == ImportBatch.Status.VALIDATED
    assert (batch.total_rows, batch.valid_rows, batch.error_rows) == (16, 4, 12)
    found = errors_by_row(batch)
    for offset, (_row, column, message) in enumerate(BAD_ROWS):
        row_number = 5 + offset  # header is row 1, three good rows before
        assert len(found[row_number]) == 1, found[row_number]
        assert found[row_number][0]["column"] == column
        assert message in found[row_number][0]["message"], found[row_number]
    assert batch.job.status == Job.Status.SUCCEEDED
    assert "有错误 12 行" in batch.job.result["summary"]


def test_all_or_nothing_is_refused_while_rows_have_errors(
    personas: Personas, django_capture_on_commit_callbacks
):
    batch = upload(personas.street_a_cadre, mixed_file(), django_capture_on_commit_callbacks)

    with pytest.raises(ValidationError, match="有 12 行存在错误"):
        importbatch_commit_start(actor=personas.street_a_cadre, batch=batch, mode="all")
    assert not OrgUnit.objects.filter(code="370102001009").exists()


def test_valid_rows_only_commits_the_rest_and_the_same_file_again_adds_nothing(
    personas: Personas, django_capture_on_commit_callbacks
):
    actor = personas.street_a_cadre
    before = OrgUnit.objects.count()
    batch = upload(actor, mixed_file(), django_capture_on_commit_callbacks)

    batch = commit(actor, batch, "valid", django_capture_on_commit_callbacks)

    assert batch.status == ImportBatch.Status.COMMITTED
    assert (batch.created_count, batch.skipped_count, batch.failed_count) == (3, 1, 12)
    assert OrgUnit.objects.count() == before + 3
    grid = OrgUnit.objects.get(code="370102001901")
    assert OrgUnit.objects.get_parent(grid).code == "370102001009"
    second_grid = OrgUnit.objects.get(code="370102001902")
    assert (second_grid.short_name, second_grid.valid_from) == ("二网格", datetime.date(2024, 3, 1))

    again = upload(actor, mixed_file(), django_capture_on_commit_callbacks)
    again = commit(actor, again, "valid", django_capture_on_commit_callbacks)

    assert OrgUnit.objects.count() == before + 3
    assert (again.created_count, again.skipped_count) == (0, 4)
    assert set(again.rows.exclude(status="invalid").values_list("status", flat=True)) == {"skipped"}


def test_a_clean_file_imports_all_or_nothing_and_twice_is_all_skipped(
    personas: Personas, django_capture_on_commit_callbacks
):
    actor = personas.street_a_cadre
    data = xlsx_bytes(ORG_HEADERS, GOOD_ROWS)
    batch = commit(
        actor,
        upload(actor, data, django_capture_on_commit_callbacks),
        "all",
        django_capture_on_commit_callbacks,
    )
    assert (batch.created_count, batch.skipped_count, batch.failed_count) == (3, 1, 0)

    again = commit(
        actor,
        upload(actor, data, django_capture_on_commit_callbacks),
        "all",
        django_capture_on_commit_callbacks,
    )
    assert (again.created_count, again.skipped_count) == (0, 4)
    assert "新增 0 行，已存在跳过 4 行" in again.job.result["summary"]


def test_the_commit_says_what_it_writes_before_its_transaction_begins(
    personas: Personas, django_capture_on_commit_callbacks, monkeypatch
):
    """A report written inside the commit's transaction is seen only when it is over."""
    actor = personas.street_a_cadre
    batch = upload(actor, xlsx_bytes(ORG_HEADERS, GOOD_ROWS), django_capture_on_commit_callbacks)
    depth_outside = len(connection.savepoint_ids)
    reports: list[tuple[str, int]] = []
    report = jobs.job_progress

    def spy(job_id: Any, done: int, total: int, message: str = "") -> None:
        reports.append((message, len(connection.savepoint_ids)))
        report(job_id, done, total, message)

    monkeypatch.setattr(jobs, "job_progress", spy)
    commit(actor, batch, "all", django_capture_on_commit_callbacks)

    written = [depth for message, depth in reports if "正在写入 4 行" in message]
    assert written == [depth_outside]


def test_all_or_nothing_writes_nothing_when_a_row_fails_at_commit(
    personas: Personas, django_capture_on_commit_callbacks, monkeypatch
):
    actor = personas.street_a_cadre
    batch = upload(actor, xlsx_bytes(ORG_HEADERS, GOOD_ROWS), django_capture_on_commit_callbacks)
    calls = []

    def refuse_second(actor: Any, values: dict[str, Any]) -> Any:
        calls.append(values["code"])
        if len(calls) == 2:
            raise ValidationError({"name": "名称与上级组织下已有组织重复。"})
        return ORGUNIT_SPEC.commit_row(actor, values)

    patched = dataclasses.replace(ORGUNIT_SPEC, commit_row=refuse_second)
    monkeypatch.setitem(spec_module._specs, ORGUNIT_IMPORT, patched)

    batch = commit(actor, batch, "all", django_capture_on_commit_callbacks)

    assert not OrgUnit.objects.filter(code="370102001009").exists()
    assert batch.status == ImportBatch.Status.VALIDATED
    assert "第 3 行无法导入（名称：名称与上级组织下已有组织重复。），未写入任何数据" in (
        batch.error_message
    )


def test_a_worker_killed_mid_commit_leaves_nothing_and_the_batch_says_so(
    personas: Personas, django_capture_on_commit_callbacks, monkeypatch
):
    actor = personas.street_a_cadre
    batch = upload(actor, xlsx_bytes(ORG_HEADERS, GOOD_ROWS), django_capture_on_commit_callbacks)
    calls = []

    def die_on_second(actor: Any, values: dict[str, Any]) -> Any:
        calls.append(values["code"])
        if len(calls) == 2:
            raise SystemExit("killed")  # what the worker's process sees on SIGTERM
        return ORGUNIT_SPEC.commit_row(actor, values)

    monkeypatch.setitem(
        spec_module._specs,
        ORGUNIT_IMPORT,
        dataclasses.replace(ORGUNIT_SPEC, commit_row=die_on_second),
    )
    # (the task backend records the dead task; it does not re-raise into this test)
    batch = commit(actor, batch, "valid", django_capture_on_commit_callbacks)

    assert not OrgUnit.objects.filter(code="370102001009").exists()  # first row rolled back
    assert batch.status == ImportBatch.Status.COMMITTING
    assert importbatch_is_stale(batch)
    assert importbatch_stale_message(batch) == "导入中断，未写入任何数据，请重新提交。"

    monkeypatch.setitem(spec_module._specs, ORGUNIT_IMPORT, ORGUNIT_SPEC)
    batch = commit(actor, batch, "valid", django_capture_on_commit_callbacks)
    assert batch.status == ImportBatch.Status.COMMITTED
    assert batch.created_count == 3


def test_a_running_job_silent_for_too_long_is_stale(
    personas: Personas, django_capture_on_commit_callbacks, settings
):
    settings.IMPORT_STALE_MINUTES = 10
    actor = personas.street_a_cadre
    batch = upload(actor, xlsx_bytes(ORG_HEADERS, GOOD_ROWS), django_capture_on_commit_callbacks)
    # the worker took the commit job and then went silent (killed with SIGKILL)
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.COMMITTING)
    Job.objects.filter(pk=batch.job_id).update(status=Job.Status.RUNNING)
    batch.refresh_from_db()
    now = timezone.now()

    assert not importbatch_is_stale(batch, now=now + datetime.timedelta(minutes=9))
    assert importbatch_is_stale(batch, now=now + datetime.timedelta(minutes=11))


def test_cancelling_during_validation_stops_between_rows(
    personas: Personas, django_capture_on_commit_callbacks, monkeypatch
):
    checks = []

    def cancelled_after_two_rows(batch_id: int) -> bool:
        checks.append(batch_id)
        if len(checks) == 3:
            ImportBatch.objects.filter(pk=batch_id).update(status=ImportBatch.Status.CANCELLED)
        return len(checks) >= 3

    monkeypatch.setattr(services, "_cancelled", cancelled_after_two_rows)

    batch = upload(personas.street_a_cadre, mixed_file(), django_capture_on_commit_callbacks)

    assert batch.status == ImportBatch.Status.CANCELLED
    assert len(checks) == 3
    assert not batch.rows.exists()
    assert batch.job.result["summary"] == "导入已取消。"


def test_rows_ask_whether_the_batch_was_cancelled_at_most_once_per_interval(
    settings: Any, monkeypatch: pytest.MonkeyPatch
):
    settings.IMPORT_CANCEL_CHECK_MS = 500
    asked: list[int] = []
    monkeypatch.setattr(services, "_cancelled", lambda batch_id: asked.append(batch_id) or True)
    clock = [100.0]
    monkeypatch.setattr(services.time, "monotonic", lambda: clock[0])
    cancelled = services._CancelWatch(7)

    seen = [cancelled(), cancelled(), cancelled()]  # the first row asks, the next do not
    clock[0] += 0.499
    seen.append(cancelled())
    clock[0] += 0.002
    seen.append(cancelled())

    assert seen == [True, False, False, False, True]
    assert asked == [7, 7]


def test_cancelling_during_commit_rolls_back_the_rows_already_written(
    personas: Personas, django_capture_on_commit_callbacks, monkeypatch
):
    actor = personas.street_a_cadre
    batch = upload(actor, xlsx_bytes(ORG_HEADERS, GOOD_ROWS), django_capture_on_commit_callbacks)
    checks = []

    def cancelled_after_two_rows(batch_id: int) -> bool:
        checks.append(batch_id)
        return len(checks) >= 3

    monkeypatch.setattr(services, "_cancelled", cancelled_after_two_rows)

    batch = commit(actor, batch, "valid", django_capture_on_commit_callbacks)

    assert batch.status == ImportBatch.Status.CANCELLED
    assert not OrgUnit.objects.filter(code__in=["370102001009", "370102001901"]).exists()
    assert batch.job.result["summary"] == "导入已取消，未写入任何数据。"


def test_a_cancelled_batch_cannot_be_committed(
    personas: Personas, django_capture_on_commit_callbacks
):
    actor = personas.street_a_cadre
    batch = upload(actor, xlsx_bytes(ORG_HEADERS, GOOD_ROWS), django_capture_on_commit_callbacks)

    importbatch_cancel(actor=actor, batch=batch)

    with pytest.raises(ValidationError, match="已取消"):
        importbatch_commit_start(actor=actor, batch=batch, mode="valid")


def test_someone_without_the_permission_cannot_upload(personas: Personas):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied, match="没有导入“组织”的权限"):
        importbatch_upload(
            actor=personas.community_a1_cadre,
            spec_key=ORGUNIT_IMPORT,
            file_name="x.xlsx",
            data=xlsx_bytes(ORG_HEADERS, GOOD_ROWS),
        )


def test_the_batch_belongs_to_the_uploaders_organisation(
    personas: Personas, django_capture_on_commit_callbacks, tree
):
    batch = upload(
        personas.street_a_cadre,
        xlsx_bytes(ORG_HEADERS, GOOD_ROWS),
        django_capture_on_commit_callbacks,
    )

    assert batch.org == tree.street_a
    assert not ImportBatch.objects.visible_to(personas.street_b_cadre, "orgs.change").exists()


def test_sensitive_columns_are_kept_encrypted_in_the_row_results():
    from warmhome.core.imports.spec import SEALED_TEXTS, Column

    spec = dataclasses.replace(
        ORGUNIT_SPEC,
        columns=(*ORGUNIT_SPEC.columns, Column("phone", "电话", sensitive=True)),
    )
    stored = spec.stored_texts({"name": "甲社区", "phone": "13812345678", "code": ""})

    assert stored.keys() == {"name", "code", SEALED_TEXTS}  # one token for the row
    assert stored["name"] == "甲社区"
    assert "13812345678" not in stored[SEALED_TEXTS]
    assert spec.loaded_texts(stored) == {"name": "甲社区", "phone": "13812345678", "code": ""}
    assert spec.stored_texts({"name": "乙社区", "phone": ""}) == {"name": "乙社区", "phone": ""}


def test_rows_stored_with_a_token_per_sensitive_cell_still_load():
    # the form before one token a row: rows validated before an upgrade are committed after it
    from warmhome.core.crypto import encrypt
    from warmhome.core.imports.spec import Column

    spec = dataclasses.replace(
        ORGUNIT_SPEC,
        columns=(*ORGUNIT_SPEC.columns, Column("phone", "电话", sensitive=True)),
    )

    loaded = spec.loaded_texts({"name": "甲社区", "phone": encrypt("13812345678")})

    assert loaded == {"name": "甲社区", "phone": "13812345678"}


def test_the_uploaded_file_is_deleted_once_committed(
    personas: Personas, django_capture_on_commit_callbacks
):
    from django.core.files.storage import default_storage

    actor = personas.street_a_cadre
    batch = upload(actor, xlsx_bytes(ORG_HEADERS, GOOD_ROWS), django_capture_on_commit_callbacks)
    assert default_storage.exists(batch.file_path)

    commit(actor, batch, "valid", django_capture_on_commit_callbacks)

    assert not default_storage.exists(batch.file_path)


def test_a_spec_with_a_bulk_writer_writes_chunks_and_falls_back_row_by_row(
    personas: Personas, django_capture_on_commit_callbacks, monkeypatch, settings
):
    settings.IMPORT_COMMIT_CHUNK_ROWS = 2
    actor = personas.street_a_cadre
    batches: list[list[str]] = []

    def bulk(actor: Any, rows: list[dict[str, Any]]) -> None:
        batches.append([values["code"] for values in rows])
        if any(values["code"] == "370102001902" for values in rows):
            raise ValidationError("批量写入失败。")
        for values in rows:
            ORGUNIT_SPEC.commit_row(actor, values)

    monkeypatch.setitem(
        spec_module._specs, ORGUNIT_IMPORT, dataclasses.replace(ORGUNIT_SPEC, commit_rows=bulk)
    )
    batch = upload(actor, xlsx_bytes(ORG_HEADERS, GOOD_ROWS), django_capture_on_commit_callbacks)

    batch = commit(actor, batch, "valid", django_capture_on_commit_callbacks)

    # chunk 1: both rows in one bulk write; chunk 2: the bulk write fails, so row by row
    assert batches == [["370102001009", "370102001901"], ["370102001902"]]
    assert (batch.created_count, batch.skipped_count, batch.failed_count) == (3, 1, 0)
    assert OrgUnit.objects.filter(code="370102001902").exists()


def test_all_or_nothing_survives_a_refused_bulk_write_when_every_row_is_good(
    personas: Personas, django_capture_on_commit_callbacks, monkeypatch, settings
):
    # A bulk write refuses its whole chunk for one row; row by row then decides, so a chunk
    # is never blamed on its first row.
    settings.IMPORT_COMMIT_CHUNK_ROWS = 2
    actor = personas.street_a_cadre

    def bulk(actor: Any, rows: list[dict[str, Any]]) -> None:
        raise ValidationError("批量写入失败。")

    monkeypatch.setitem(
        spec_module._specs, ORGUNIT_IMPORT, dataclasses.replace(ORGUNIT_SPEC, commit_rows=bulk)
    )
    batch = upload(actor, xlsx_bytes(ORG_HEADERS, GOOD_ROWS), django_capture_on_commit_callbacks)

    batch = commit(actor, batch, "all", django_capture_on_commit_callbacks)

    assert batch.status == ImportBatch.Status.COMMITTED
    assert (batch.created_count, batch.skipped_count, batch.failed_count) == (3, 1, 0)


def prepared_spec(prepare: Any = None, write: Any = None) -> Any:
    """The organisation spec with a prepared writer: prepare_rows keeps the codes' values,
    commit_prepared writes them one by one."""

    def prepare_rows(actor: Any, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if prepare is not None:
            prepare(rows)
        return rows

    def commit_prepared(actor: Any, rows: list[dict[str, Any]]) -> None:
        if write is not None:
            write(rows)
        for values in rows:
            ORGUNIT_SPEC.commit_row(actor, values)

    return dataclasses.replace(
        ORGUNIT_SPEC, prepare_rows=prepare_rows, commit_prepared=commit_prepared
    )


def test_a_spec_with_a_prepared_writer_writes_each_chunk_it_made_ready(
    personas: Personas, django_capture_on_commit_callbacks, monkeypatch, settings
):
    settings.IMPORT_COMMIT_CHUNK_ROWS = 2
    actor = personas.street_a_cadre
    written: list[list[str]] = []
    monkeypatch.setitem(
        spec_module._specs,
        ORGUNIT_IMPORT,
        prepared_spec(write=lambda rows: written.append([values["code"] for values in rows])),
    )
    batch = upload(actor, xlsx_bytes(ORG_HEADERS, GOOD_ROWS), django_capture_on_commit_callbacks)

    batch = commit(actor, batch, "valid", django_capture_on_commit_callbacks)

    # the fourth row names a unit that exists: skipped before it is made ready
    assert written == [["370102001009", "370102001901"], ["370102001902"]]
    assert (batch.created_count, batch.skipped_count, batch.failed_count) == (3, 1, 0)


@pytest.mark.parametrize("refused_by", ["prepare", "write"])
def test_a_refused_prepared_chunk_is_written_row_by_row(
    refused_by: str, personas: Personas, django_capture_on_commit_callbacks, monkeypatch, settings
):
    settings.IMPORT_COMMIT_CHUNK_ROWS = 2
    actor = personas.street_a_cadre

    def refuse(rows: list[dict[str, Any]]) -> None:
        if any(values["code"] == "370102001901" for values in rows):
            raise ValidationError("批量写入失败。")

    monkeypatch.setitem(
        spec_module._specs,
        ORGUNIT_IMPORT,
        prepared_spec(**{refused_by: refuse}),
    )
    batch = upload(actor, xlsx_bytes(ORG_HEADERS, GOOD_ROWS), django_capture_on_commit_callbacks)

    batch = commit(actor, batch, "all", django_capture_on_commit_callbacks)

    assert batch.status == ImportBatch.Status.COMMITTED
    assert (batch.created_count, batch.skipped_count, batch.failed_count) == (3, 1, 0)
    assert OrgUnit.objects.filter(code__in=["370102001009", "370102001901"]).count() == 2
