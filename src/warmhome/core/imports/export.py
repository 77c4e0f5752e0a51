"""Exports of scoped querysets to styled, injection-safe workbooks, audited."""

from collections.abc import Callable, Sequence
from typing import Any

from django.db.models import QuerySet

from warmhome.core.audit.services import export_log
from warmhome.core.imports.workbook import write_xlsx
from warmhome.core.scoping import require_scoped

#: (header, width, value of a record)
ExportColumn = tuple[str, int, Callable[[Any], Any]]


def export_queryset(
    *,
    actor: Any,
    queryset: QuerySet[Any],
    columns: Sequence[ExportColumn],
    title: str = "",
    detail: dict[str, Any] | None = None,
) -> bytes:
    """Write the records of a queryset scoped by ``visible_to`` and log the export.

    Masking is the caller's business: column functions render values the way the actor may
    see them (e.g. through ``core.masking``).
    """
    scoped = require_scoped(queryset)
    rows = [[value(record) for _header, _width, value in columns] for record in scoped]
    content = write_xlsx(
        [header for header, _width, _value in columns],
        rows,
        title=title,
        widths=[width for _header, width, _value in columns],
    )
    export_log(actor=actor, what=scoped.model._meta.label, row_count=len(rows), detail=detail or {})
    return content
