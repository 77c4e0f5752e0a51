"""Writing import batches: upload, validate, commit, cancel."""

import contextlib
import datetime
import functools
import json
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from warmhome.core.bulk import insert_fields, insert_prepared
from warmhome.core.forked import Helper, call_forked, fork_usable
from warmhome.core.imports.reader import check_workbook_bytes, limit, read_header, read_rows
from warmhome.core.imports.spec import ImportSpec, RowContext, get_spec
from warmhome.core.jobs import JobProgress, job_start
from warmhome.core.models import ImportBatch, ImportRowResult, Job

Status = ImportBatch.Status
RowStatus = ImportRowResult.Status
RowError = dict[str, str]


class ImportCancelledError(Exception):
    """The batch was cancelled while the worker was on it."""


@dataclass
class _AbortError(Exception):
    """All-or-nothing commit stopped at a bad row."""

    row_number: int
    errors: list[RowError]

    def __reduce__(self) -> tuple[Any, ...]:  # raised in a helper process, pickled to this one
        return (type(self), (self.row_number, self.errors))


def _require(actor: Any, spec: ImportSpec) -> None:
    if not getattr(actor, "is_authenticated", False) or not actor.has_action(spec.permission):
        raise PermissionDenied(_("您没有导入“%(label)s”的权限。") % {"label": spec.label})


def _home_org(actor: Any, spec: ImportSpec) -> Any:
    # Looked up by name: the org tree lives in a layer above core.
    org_unit = apps.get_model("orgs", "OrgUnit")
    paths = actor.scope_paths(spec.permission)
    return org_unit.objects.filter(path__in=paths).order_by("depth", "path").first()


def _save(batch: ImportBatch, **fields: Any) -> None:
    for name, value in fields.items():
        setattr(batch, name, value)
    batch.save(update_fields=[*fields, "updated_at"])


@transaction.atomic
def importbatch_upload(*, actor: Any, spec_key: str, file_name: str, data: bytes) -> ImportBatch:
    """Check an uploaded workbook, store it, and start its validation in the background."""
    spec = get_spec(spec_key)
    _require(actor, spec)
    check_workbook_bytes(data)
    read_header(spec, data)
    org = _home_org(actor, spec)
    if org is None:
        raise PermissionDenied(_("您没有导入“%(label)s”的权限。") % {"label": spec.label})
    stored = default_storage.save(
        f"imports/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}.xlsx", ContentFile(data)
    )
    batch = ImportBatch.objects.create(
        org=org,
        owner=actor,
        spec_key=spec.key,
        file_name=file_name[:255],
        file_path=stored,
    )
    _start_validation(actor, batch, spec)
    return batch


def _start_validation(actor: Any, batch: ImportBatch, spec: ImportSpec) -> None:
    from warmhome.core.imports.tasks import import_validate_task

    job = job_start(
        actor=actor,
        task=import_validate_task,
        label=_("校验导入文件：%(name)s") % {"name": batch.file_name},
        args=[batch.pk],
    )
    _save(batch, job=job, status=Status.UPLOADED, error_message="")


@transaction.atomic
def importbatch_revalidate(*, actor: Any, batch: ImportBatch) -> ImportBatch:
    """Validate a batch again (after an interrupted validation)."""
    spec = get_spec(batch.spec_key)
    _require(actor, spec)
    if batch.status not in {Status.UPLOADED, Status.VALIDATING, Status.FAILED}:
        raise ValidationError(
            _("该批次当前状态为“%(status)s”，不能重新校验。")
            % {"status": batch.get_status_display()}
        )
    _start_validation(actor, batch, spec)
    return batch


@transaction.atomic
def importbatch_commit_start(*, actor: Any, batch: ImportBatch, mode: str) -> ImportBatch:
    """Start writing a validated batch: all rows or nothing, or the valid rows only."""
    from warmhome.core.imports.tasks import import_commit_task

    spec = get_spec(batch.spec_key)
    _require(actor, spec)
    if mode not in ImportBatch.Mode.values:
        raise ValidationError(_("请选择导入方式。"))
    # two clicks (or two colleagues) at once: the second waits here, then sees COMMITTING
    batch = (
        ImportBatch.objects.select_for_update(of=("self",)).select_related("job").get(pk=batch.pk)
    )
    resumable = batch.status == Status.COMMITTING and importbatch_is_stale(batch)
    if batch.status != Status.VALIDATED and not resumable:
        raise ValidationError(
            _("该批次当前状态为“%(status)s”，不能提交导入。")
            % {"status": batch.get_status_display()}
        )
    if mode == ImportBatch.Mode.ALL_OR_NOTHING and batch.error_rows:
        raise ValidationError(
            _(
                "有 %(count)d 行存在错误，不能“全部正确才导入”。请修改后重新上传，"
                "或选择“只导入正确的行”。"
            )
            % {"count": batch.error_rows}
        )
    if batch.valid_rows == 0:
        raise ValidationError(_("没有可导入的正确行。"))
    job = job_start(
        actor=actor,
        task=import_commit_task,
        label=_("导入：%(name)s") % {"name": batch.file_name},
        args=[batch.pk],
    )
    _save(batch, job=job, mode=mode, status=Status.COMMITTING, error_message="")
    return batch


@transaction.atomic
def importbatch_cancel(*, actor: Any, batch: ImportBatch) -> ImportBatch:
    """Cancel a batch; a running worker stops at its next row and writes nothing."""
    _require(actor, get_spec(batch.spec_key))
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status in {Status.COMMITTED, Status.CANCELLED}:
        raise ValidationError(
            _("该批次已%(status)s，不能取消。") % {"status": batch.get_status_display()}
        )
    _save(batch, status=Status.CANCELLED)
    _forget_file(batch)
    return batch


def _forget_file(batch: ImportBatch) -> None:
    """Delete the uploaded file once it is no longer needed (it may hold personal data)."""
    path = batch.file_path
    transaction.on_commit(lambda: default_storage.delete(path) if path else None)


def importbatch_is_stale(batch: ImportBatch, now: datetime.datetime | None = None) -> bool:
    """Is the worker on this batch gone? (validating or committing, and its job failed or has
    reported nothing for ``IMPORT_STALE_MINUTES``)."""
    if batch.status not in {Status.VALIDATING, Status.COMMITTING}:
        return False
    job = batch.job
    if job is None or job.status in {Job.Status.FAILED, Job.Status.SUCCEEDED}:
        return True
    cutoff = (now or timezone.now()) - datetime.timedelta(minutes=limit("IMPORT_STALE_MINUTES"))
    return job.updated_at < cutoff


def importbatch_stale_message(batch: ImportBatch) -> str:
    if batch.status == Status.COMMITTING:
        return _("导入中断，未写入任何数据，请重新提交。")
    return _("校验中断，请重新校验。")


# --- the worker's side ------------------------------------------------------------------------


def _header_of(spec: ImportSpec, key: str) -> str:
    try:
        return str(spec.column(key).header)
    except KeyError:
        return ""


def _messages(error: ValidationError) -> list[tuple[str, str]]:
    if hasattr(error, "error_dict"):
        return [
            (key, str(message)) for key, items in error.message_dict.items() for message in items
        ]
    return [("", str(message)) for message in error.messages]


def check_row(
    spec: ImportSpec, actor: Any, texts: dict[str, str], context: RowContext
) -> tuple[dict[str, Any], list[RowError]]:
    """Parse and check one row: its values and its errors (column header, Chinese message)."""
    values: dict[str, Any] = {}
    errors: list[RowError] = []
    for column in spec.columns:
        text = (texts.get(column.key) or "").strip()
        if not text:
            values[column.key] = None
            if column.required:
                errors.append({"column": str(column.header), "message": _("必填，不能为空。")})
            continue
        try:
            values[column.key] = column.parse(text, context.lookup_of(column))
        except ValidationError as error:
            errors.append({"column": str(column.header), "message": "；".join(error.messages)})
    failed = {error["column"] for error in errors}
    key_headers = context.key_headers or [_header_of(spec, name) for name in spec.natural_key]
    context.key_headers = key_headers
    if not failed & set(key_headers):
        key = spec.key_of(values)
        first = context.keys_in_file.get(key)
        if first is not None:
            errors.append(_duplicate_error(key_headers, first))
    if not errors and spec.validate_row is not None:
        try:
            spec.validate_row(actor, values, context)
        except ValidationError as error:
            errors += [
                {"column": _header_of(spec, key), "message": message}
                for key, message in _messages(error)
            ]
    return values, errors


def _duplicate_error(key_headers: list[str], first: int) -> RowError:
    return {
        "column": "、".join(key_headers),
        "message": _("与第 %(row)d 行重复（同一文件中不能出现两次）。") % {"row": first},
    }


def _cancelled(batch_id: int) -> bool:
    return ImportBatch.objects.filter(pk=batch_id, status=Status.CANCELLED).exists()


class _CancelWatch:
    """Whether a batch has been cancelled, asked of the database at most once every
    ``IMPORT_CANCEL_CHECK_MS`` while rows are checked (a query every few rows would cost more
    than the rows; a cancel is seen within that time)."""

    def __init__(self, batch_id: int) -> None:
        self.batch_id = batch_id
        self.interval = limit("IMPORT_CANCEL_CHECK_MS") / 1000
        self.next_check = 0.0  # the first row asks

    def __call__(self) -> bool:
        now = time.monotonic()
        if now < self.next_check:
            return False
        self.next_check = now + self.interval
        return _cancelled(self.batch_id)


def _validating_message(number: int) -> str:
    return _("正在校验第 %(n)d 行") % {"n": number}


class _RowResults:
    """A validation run's row results as database rows, without model instances (a 100,000-row
    file would otherwise spend more on building ``ImportRowResult`` objects than on the rows'
    checks)."""

    def __init__(self, batch: ImportBatch) -> None:
        self.batch_id = batch.pk
        self.rows: list[list[Any]] = []
        self.invalid = 0
        #: the natural keys of the valid rows, with their row numbers
        self.keys: dict[tuple[Any, ...], int] = {}
        # one per row: the column order of ``insert_prepared``
        names = [column.attname for column in insert_fields(ImportRowResult)]
        assert names == [  # noqa: S101  (a new column must be added to ``add`` too)
            "batch_id",
            "row_number",
            "natural_key",
            "status",
            "values",
            "errors",
        ], names

    def add(self, number: int, key: str, values: dict[str, str], errors: list[RowError]) -> None:
        status = RowStatus.INVALID if errors else RowStatus.VALID
        self.invalid += bool(errors)
        self.rows.append(
            [
                self.batch_id,
                number,
                key,
                status.value,
                json.dumps(values, ensure_ascii=False),
                json.dumps(errors, ensure_ascii=False),
            ]
        )

    def joined(self, later: "_RowResults | None", spec: ImportSpec) -> "_RowResults | None":
        """These results followed by those of the file's next rows, checked on their own: a
        valid later row whose natural key a row here has is a duplicate of it."""
        if later is None:
            return None
        position = {row[1]: index for index, row in enumerate(later.rows)}
        headers = [_header_of(spec, name) for name in spec.natural_key]
        for key, number in later.keys.items():
            first = self.keys.get(key)
            if first is None:
                continue
            row = later.rows[position[number]]
            row[3] = RowStatus.INVALID.value
            row[5] = json.dumps([_duplicate_error(headers, first)], ensure_ascii=False)
            later.invalid += 1
        self.rows += later.rows
        self.invalid += later.invalid
        self.keys = {**later.keys, **self.keys}
        return self


def importbatch_validate_run(*, batch_id: int, progress: JobProgress) -> dict[str, Any]:
    """Validate every row of the batch's file (the background task's body)."""
    batch = ImportBatch.objects.get(pk=batch_id)
    spec = get_spec(batch.spec_key)
    actor = progress.owner
    _require(actor, spec)
    if batch.status == Status.CANCELLED:
        return {"summary": _("导入已取消。")}
    _save(batch, status=Status.VALIDATING)
    try:
        with default_storage.open(batch.file_path, "rb") as stored:
            data = stored.read()
        sheet = read_rows(spec, data)
    except ValidationError as error:
        _save(batch, status=Status.FAILED, error_message="；".join(error.messages))
        raise
    total = len(sheet.rows)
    # Rows that do not look at each other are checked in two parts at once, the second by a
    # helper process (the machine's second core); the parts' duplicates are matched after.
    split = total
    if spec.rows_independent and 0 < limit("IMPORT_HELPER_FROM_ROWS") <= total and fork_usable():
        split = total * 45 // 100  # this process inserts every row's result afterwards
    with contextlib.ExitStack() as helpers:
        second = (
            helpers.enter_context(
                call_forked(_validated, spec, actor, batch, sheet.rows[split:], None)
            )
            if split < total
            else None
        )
        results = _validated(spec, actor, batch, sheet.rows[:split], progress)
        if second is not None:
            results = results and results.joined(second.answer(), spec)
    if results is None:
        return {"summary": _("导入已取消。")}
    invalid = results.invalid
    with transaction.atomic():
        if _cancelled(batch_id):
            return {"summary": _("导入已取消。")}
        batch.rows.all().delete()
        insert_prepared(ImportRowResult, results.rows)
        _save(
            batch,
            status=Status.VALIDATED,
            total_rows=total,
            valid_rows=total - invalid,
            error_rows=invalid,
        )
    return {
        "summary": _("共 %(total)d 行，正确 %(valid)d 行，有错误 %(invalid)d 行。")
        % {"total": total, "valid": total - invalid, "invalid": invalid}
    }


def _validated(
    spec: ImportSpec,
    actor: Any,
    batch: ImportBatch,
    rows: list[tuple[int, dict[str, str]]],
    progress: JobProgress | None,
) -> "_RowResults | None":
    """The row results of ``rows``; None if the batch was cancelled meanwhile."""
    cancelled = _CancelWatch(batch.pk)
    context = RowContext()
    results = _RowResults(batch)
    for index, (number, texts) in enumerate(rows):
        if cancelled():
            return None
        values, errors = check_row(spec, actor, texts, context)
        key = spec.key_of(values)
        if not errors:
            context.keys_in_file[key] = number
            context.earlier[number] = values
        results.add(number, spec.stored_key(key), spec.stored_texts(texts), errors)
        if progress is not None:
            progress.update(index + 1, len(rows), functools.partial(_validating_message, number))
    results.keys = context.keys_in_file
    return results


def importbatch_commit_run(*, batch_id: int, progress: JobProgress) -> dict[str, Any]:
    """Write the batch's valid rows in one transaction (the background task's body)."""
    batch = ImportBatch.objects.get(pk=batch_id)
    spec = get_spec(batch.spec_key)
    actor = progress.owner
    _require(actor, spec)
    if batch.status != Status.COMMITTING:
        return {"summary": _("导入已取消。") if batch.status == Status.CANCELLED else ""}
    try:
        return _commit(batch, spec, actor, progress)
    except ImportCancelledError:
        _save(batch, status=Status.CANCELLED)
        return {"summary": _("导入已取消，未写入任何数据。")}
    except _AbortError as abort:
        detail = "；".join(
            f"{e['column']}：{e['message']}" if e["column"] else e["message"] for e in abort.errors
        )
        message = _("第 %(row)d 行无法导入（%(detail)s），未写入任何数据。") % {
            "row": abort.row_number,
            "detail": detail,
        }
        # Nothing was written: the batch can still be committed with "valid rows only".
        _save(batch, status=Status.VALIDATED, error_message=message)
        return {"summary": message}
    except Exception:
        _save(
            batch, status=Status.FAILED, error_message=_("导入出错，未写入任何数据，请重新提交。")
        )
        raise


def _commit(
    batch: ImportBatch, spec: ImportSpec, actor: Any, progress: JobProgress
) -> dict[str, Any]:
    valid_only = batch.mode == ImportBatch.Mode.VALID_ONLY
    rows = [
        _CommitRow(*fields)
        for fields in batch.rows.filter(status=RowStatus.VALID)
        .order_by("row_number")
        .values_list("pk", "row_number", Cast("values", TextField()))
    ]
    chunk = limit("IMPORT_COMMIT_CHUNK_ROWS")
    parts = [rows[start : start + chunk] for start in range(0, len(rows), chunk)]
    context = RowContext()
    cancelled = _CancelWatch(batch.pk)
    helper = (
        spec.rows_independent
        and 0 < limit("IMPORT_HELPER_FROM_ROWS") <= len(rows)
        and fork_usable()
    )
    # Said before the transaction: a report written inside it would only be seen once it is
    # over, and a large file takes a minute or more.
    progress.update(
        0, len(rows), _("正在写入 %(n)d 行，全部写完后一并生效，请稍候。") % {"n": len(rows)}
    )
    with transaction.atomic():
        if spec.prepare_rows is not None:
            _commit_prepared_parts(
                spec,
                actor,
                parts,
                context,
                cancelled=cancelled,
                valid_only=valid_only,
                helper=helper,
            )
        else:
            for part in parts:  # checked again, those present skipped, the rest written
                new_rows = _new_rows(spec, actor, part, context, cancelled, valid_only)
                _write_chunk(spec, actor, new_rows, valid_only=valid_only)
        if _cancelled(batch.pk):
            raise ImportCancelledError
        counts = {"created": 0, "skipped": 0, "failed": 0}
        for row in rows:
            counts[
                {RowStatus.CREATED: "created", RowStatus.SKIPPED: "skipped"}.get(
                    RowStatus(row.status), "failed"
                )
            ] += 1
        _save_row_outcomes(rows)
        _save(
            batch,
            status=Status.COMMITTED,
            created_count=counts["created"],
            skipped_count=counts["skipped"],
            failed_count=counts["failed"] + batch.error_rows,
        )
        _forget_file(batch)
    return {
        "summary": _(
            "导入完成：新增 %(created)d 行，已存在跳过 %(skipped)d 行，失败 %(failed)d 行。"
        )
        % {**counts, "failed": counts["failed"] + batch.error_rows}
    }


@dataclass(slots=True)
class _CommitRow:
    """A valid row on its way to the database (read without a model instance each: the commit
    of a large file would spend more on building them than on writing its rows)."""

    pk: int
    row_number: int
    #: the row's texts as stored (``stored_texts``), in their JSON: decoded where checked (by
    #: the helper process, when there is one)
    stored: str
    status: str = RowStatus.VALID
    errors: list[RowError] = field(default_factory=list)

    def texts(self, spec: ImportSpec) -> dict[str, str]:
        return spec.loaded_texts(json.loads(self.stored))


def _save_row_outcomes(rows: list[_CommitRow]) -> None:
    # One UPDATE per status and 2,000 rows: bulk_update's CASE per row costs more than the
    # import itself. Only failed rows carry errors of their own.
    by_status: dict[str, list[int]] = {}
    failed: list[ImportRowResult] = []
    for row in rows:
        if row.status == RowStatus.FAILED:
            failed.append(ImportRowResult(pk=row.pk, status=row.status, errors=row.errors))
        else:
            by_status.setdefault(row.status, []).append(row.pk)
    for status, pks in by_status.items():
        for start in range(0, len(pks), 2000):
            ImportRowResult.objects.filter(pk__in=pks[start : start + 2000]).update(
                status=status, errors=[]
            )
    ImportRowResult.objects.bulk_update(failed, ["status", "errors"], batch_size=500)


def _new_rows(
    spec: ImportSpec,
    actor: Any,
    part: list[_CommitRow],
    context: RowContext,
    cancelled: _CancelWatch,
    valid_only: bool,
) -> list[tuple[_CommitRow, dict[str, Any]]]:
    """Check a chunk of rows again and mark those present already: the others, with their
    values."""
    checked = _check_chunk(spec, actor, part, context, cancelled=cancelled, valid_only=valid_only)
    present = _present_keys(spec, actor, [key for _row, _values, key in checked])
    new_rows: list[tuple[_CommitRow, dict[str, Any]]] = []
    for row, values, key in checked:
        if key in present:
            row.status, row.errors = RowStatus.SKIPPED, []
        else:
            new_rows.append((row, values))
    return new_rows


def _commit_prepared_parts(
    spec: ImportSpec,
    actor: Any,
    parts: list[list[_CommitRow]],
    context: RowContext,
    *,
    cancelled: _CancelWatch,
    valid_only: bool,
    helper: bool,
) -> None:
    """Make each chunk ready (``_ready_part``) and write it; with ``helper``, a forked process
    (the machine's second core) makes a chunk ready while this one writes the chunk before."""

    def ready(part: list[_CommitRow]) -> _ReadyPart:
        new_rows = _new_rows(spec, actor, part, context, cancelled, valid_only)
        return _ready_part(spec, actor, part, new_rows)

    if not helper:
        for part in parts:
            _write_ready(spec, actor, part, ready(part), valid_only)
        return
    # The helper keeps its own copy of the context: it checks every chunk, in file order.
    with Helper(ready) as ahead:
        writing: tuple[list[_CommitRow], _ReadyPart] | None = None
        for part in parts:
            ahead.ask(part)
            if writing is not None:
                _write_ready(spec, actor, *writing, valid_only)
            writing = (part, ahead.answer())
        if writing is not None:
            _write_ready(spec, actor, *writing, valid_only)


@dataclass
class _ReadyPart:
    """A chunk checked again and made ready to write, as plain data (a helper sends it back)."""

    #: (index in the chunk, status, errors) of the rows not to write: failed or present
    outcomes: list[tuple[int, str, list[RowError]]]
    #: the indexes in the chunk of the rows to write
    to_write: list[int]
    #: what ``spec.prepare_rows`` made of them; None if it refused them (or there are none)
    prepared: Any


def _ready_part(
    spec: ImportSpec,
    actor: Any,
    part: list[_CommitRow],
    new_rows: list[tuple[_CommitRow, dict[str, Any]]],
) -> _ReadyPart:
    """What to write of a chunk checked again (``_new_rows``), made ready by
    ``spec.prepare_rows`` (no writes: a helper process may do this)."""
    assert spec.prepare_rows is not None  # noqa: S101  (the caller's condition)
    position = {id(row): index for index, row in enumerate(part)}
    to_write = [position[id(row)] for row, _values in new_rows]
    outcomes = [
        (index, row.status, row.errors)
        for index, row in enumerate(part)
        if row.status in {RowStatus.FAILED, RowStatus.SKIPPED}
    ]
    try:
        values = [values for _row, values in new_rows]
        prepared = spec.prepare_rows(actor, values) if values else None
    except ValidationError:
        prepared = None
    return _ReadyPart(outcomes=outcomes, to_write=to_write, prepared=prepared)


def _write_ready(
    spec: ImportSpec, actor: Any, part: list[_CommitRow], ready: _ReadyPart, valid_only: bool
) -> None:
    assert spec.commit_prepared is not None  # noqa: S101  (set with prepare_rows)
    for index, status, errors in ready.outcomes:
        part[index].status, part[index].errors = status, errors
    rows = [part[index] for index in ready.to_write]
    if ready.prepared is not None:
        try:
            with transaction.atomic():
                spec.commit_prepared(actor, ready.prepared)
        except ValidationError:
            pass
        else:
            for row in rows:
                row.status, row.errors = RowStatus.CREATED, []
            return
    # Refused as a whole: row by row finds the bad one (its values checked again here, in a
    # context of their own: the rows were already checked against the file's others).
    _write_one_by_one(
        spec,
        actor,
        ((row, *check_row(spec, actor, row.texts(spec), RowContext())) for row in rows),
        valid_only=valid_only,
    )


def _present_keys(
    spec: ImportSpec, actor: Any, keys: list[tuple[Any, ...]]
) -> set[tuple[Any, ...]]:
    if spec.existing_keys is not None:
        return spec.existing_keys(actor, keys)
    return {key for key in keys if spec.exists(actor, key)}


def _check_chunk(
    spec: ImportSpec,
    actor: Any,
    part: list[_CommitRow],
    context: RowContext,
    *,
    cancelled: _CancelWatch,
    valid_only: bool,
) -> list[tuple[_CommitRow, dict[str, Any], tuple[Any, ...]]]:
    checked: list[tuple[_CommitRow, dict[str, Any], tuple[Any, ...]]] = []
    for row in part:
        if cancelled():
            raise ImportCancelledError
        values, errors = check_row(spec, actor, row.texts(spec), context)
        if errors:
            _row_failed(row, errors, valid_only=valid_only)
            continue
        key = spec.key_of(values)
        context.keys_in_file[key] = row.row_number
        context.earlier[row.row_number] = values
        checked.append((row, values, key))
    return checked


def _write_chunk(
    spec: ImportSpec,
    actor: Any,
    to_write: list[tuple[_CommitRow, dict[str, Any]]],
    *,
    valid_only: bool,
) -> None:
    # One bad row spoils a bulk write (rolled back): row by row then finds it, and either
    # stops there (all or nothing) or writes the others (valid rows only).
    if (
        spec.commit_rows is not None
        and to_write
        and _write_many(spec, actor, [values for _row, values in to_write])
    ):
        for row, _values in to_write:
            row.status, row.errors = RowStatus.CREATED, []
        return
    _write_one_by_one(
        spec, actor, ((row, values, []) for row, values in to_write), valid_only=valid_only
    )


def _write_one_by_one(
    spec: ImportSpec,
    actor: Any,
    rows: Iterable[tuple[_CommitRow, dict[str, Any], list[RowError]]],
    *,
    valid_only: bool,
) -> None:
    """Write each row found valid (its errors empty) on its own, and mark each row's outcome."""
    for row, values, errors in rows:
        errors = errors or _write(spec, actor, values, savepoint=valid_only)
        if errors:
            _row_failed(row, errors, valid_only=valid_only)
        else:
            row.status, row.errors = RowStatus.CREATED, []


def _row_failed(row: _CommitRow, errors: list[RowError], *, valid_only: bool) -> None:
    if not valid_only:
        raise _AbortError(row.row_number, errors)
    row.status, row.errors = RowStatus.FAILED, errors


def _write_many(spec: ImportSpec, actor: Any, values: list[dict[str, Any]]) -> bool:
    """Write the rows in one go; False (nothing written) if the spec refused any of them."""
    assert spec.commit_rows is not None  # noqa: S101  (checked by the caller)
    try:
        with transaction.atomic():
            spec.commit_rows(actor, values)
    except ValidationError:
        return False
    return True


def _write(
    spec: ImportSpec, actor: Any, values: dict[str, Any], *, savepoint: bool
) -> list[RowError]:
    try:
        if savepoint:
            with transaction.atomic():
                spec.commit_row(actor, values)
        else:
            spec.commit_row(actor, values)
    except ValidationError as error:
        return [
            {"column": _header_of(spec, key), "message": message}
            for key, message in _messages(error)
        ]
    return []
