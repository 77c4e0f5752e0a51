"""Querysets compiled once per process, for the few hot paths where building the SQL costs more
than running it.

Django builds a query's SQL anew on every evaluation: cloning the queryset, resolving each
filter, listing the columns of every selected model. For the public check-in (one published
activity with its organisation, one locked sign-up) that is 0.7 ms of a 0.9 ms look-up on
PostgreSQL (bench/checkin.py). A ``CompiledQuery`` builds its queryset once, with ``Slot``
placeholders where the values go, keeps the compiled SQL per database, and on each call runs
it with the values given and turns the rows into model instances through Django's own
iterable, so ``select_related``, ``select_for_update`` and field conversions behave as in the
queryset it was built from. (django-prepared-queries did this for Django < 2.2 and was last
released in 2019; no maintained package does.)

Everything but the slots is fixed when the query is first run: never build one from a user's
scope (``visible_to``), the time or a setting that can change. The values are passed to the
database as they are: give what the field stores (a key, not an instance; a blind index, not the
plain value).
"""

from collections.abc import Callable, Sequence
from typing import Any, cast

from django.db import connections, models
from django.db.models.expressions import Expression
from django.db.models.sql.compiler import SQLCompiler
from django.db.transaction import TransactionManagementError


class Slot(Expression):
    """Where the ``index``-th value of a ``CompiledQuery`` call goes."""

    def __init__(self, index: int) -> None:
        super().__init__(output_field=models.Field())
        self.index = index

    def __repr__(self) -> str:
        return f"Slot({self.index})"

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        return "%s", (self,)


class CompiledQuery[M: models.Model]:
    """``build(*slots)`` returns the queryset; calling this with values runs it with them."""

    def __init__(self, build: Callable[..., models.QuerySet[M]], slots: int) -> None:
        self._build = build
        self._slots = slots
        #: database alias → (the queryset, its compiler after compiling, SQL, parameters)
        self._compiled: dict[str, tuple[models.QuerySet[M], SQLCompiler, str, list[Any]]] = {}
        self._template: models.QuerySet[M] | None = None

    def __call__(self, *values: Any) -> list[M]:
        if len(values) != self._slots:
            raise TypeError(f"{self._slots} values expected, {len(values)} given")
        if self._template is None:
            self._template = self._build(*(Slot(index) for index in range(self._slots)))
        alias = self._template.db
        if alias not in self._compiled:
            self._compiled[alias] = self._compile(self._template, alias)
        template, compiler, sql, params = self._compiled[alias]
        if template.query.select_for_update and connections[alias].get_autocommit():
            # What Django checks when it compiles: a lock outside a transaction holds nothing.
            raise TransactionManagementError(
                "select_for_update cannot be used outside of a transaction."
            )
        bound = [values[param.index] if isinstance(param, Slot) else param for param in params]
        return list(_bound_queryset(template, compiler, alias, sql, bound))

    @staticmethod
    def _compile(
        queryset: models.QuerySet[M], alias: str
    ) -> tuple[models.QuerySet[M], SQLCompiler, str, list[Any]]:
        queryset = queryset.using(alias)
        compiler = cast(SQLCompiler, queryset.query.get_compiler(using=alias))
        sql, params = compiler.as_sql()
        # The row converters too are fixed by the columns: Django asks every column for them on
        # each evaluation (a fifth of running the activity look-up on PostgreSQL).
        columns = [selected[0] for selected in compiler.select[: compiler.col_count]]
        converters = compiler.get_converters(columns)
        compiler.get_converters = lambda expressions: converters  # type: ignore[method-assign]
        return queryset, compiler, sql, list(params)


def _bound_queryset[M: models.Model](
    template: models.QuerySet[M],
    compiler: SQLCompiler,
    alias: str,
    sql: str,
    params: Sequence[Any],
) -> models.QuerySet[M]:
    """``template`` whose evaluation runs ``sql`` with ``params`` through a copy of its compiled
    compiler (which already knows the selected columns and related models), on this thread's
    connection (each thread has its own)."""
    bound = _shallow(
        compiler, connection=connections[alias], as_sql=lambda *args, **kwargs: (sql, params)
    )
    query = _shallow(template.query, get_compiler=lambda *args, **kwargs: bound)
    return _shallow(template, _query=query, _result_cache=None)


def _shallow[T](original: T, **changes: Any) -> T:
    """A copy sharing ``original``'s attributes but ``changes`` (``copy.copy`` would evaluate a
    queryset: its pickling support fetches the rows)."""
    duplicate = object.__new__(type(original))
    duplicate.__dict__.update(original.__dict__, **changes)
    return duplicate
