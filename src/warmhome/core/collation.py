"""Comparing and sorting text by Unicode code point, the same way on every database.

A prefix search ordered by what was typed can then walk one B-tree range in order and stop at
the page's end: PostgreSQL needs ``COLLATE "C"`` for that (under any other collation a prefix
range is not an index range, and the pattern operator classes cannot sort); SQLite's default
``BINARY`` collation already is code-point order. Indexes and queries must both use
``CodePoint`` for the planner to match them.
"""

from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Func, Q
from django.db.models.lookups import GreaterThanOrEqual, LessThan
from django.db.models.sql.compiler import SQLCompiler


class CodePoint(Func):
    """``expression`` under code-point collation."""

    arity = 1
    template = "%(expressions)s"

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, list[Any]]:
        sql, params = self.as_sql(
            compiler, connection, template='(%(expressions)s COLLATE "C")', **extra
        )
        return sql, list(params)


def starts_with(field: str, prefix: str) -> Q:
    """``field`` begins with ``prefix``, as a code-point range an index on ``CodePoint(field)``
    serves (``LIKE 'x%'`` would not use it)."""
    key = CodePoint(field)
    successor = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return Q(GreaterThanOrEqual(key, prefix)) & Q(LessThan(key, successor))
