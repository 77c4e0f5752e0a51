"""The background tasks of an import: validating a file and committing its rows."""

from typing import Any

from warmhome.core.imports.services import importbatch_commit_run, importbatch_validate_run
from warmhome.core.jobs import JobProgress, job_task


@job_task
def import_validate_task(progress: JobProgress, batch_id: int) -> dict[str, Any]:
    return importbatch_validate_run(batch_id=batch_id, progress=progress)


@job_task
def import_commit_task(progress: JobProgress, batch_id: int) -> dict[str, Any]:
    return importbatch_commit_run(batch_id=batch_id, progress=progress)
