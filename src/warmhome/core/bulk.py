"""Inserting many rows fast, for the few bulk paths that need it (roster imports and their audit
entries).

``QuerySet.bulk_create`` spends most of its time in the SQL compiler's generic per-value
machinery (about 200 µs a row for a person with 25 fields). This helper builds the same multi-row
``INSERT … RETURNING`` once per batch and asks each field only what ``bulk_create`` asks it —
``pre_save(obj, add=True)`` then ``get_db_prep_save`` — so encryption, blind indexes, JSON and
timestamps behave exactly as in a normal save. On PostgreSQL the rows go by COPY. It sends no
signals (callers log to the audit trail themselves) and supports plain concrete fields only: no
multi-table inheritance, no database defaults, no expressions as values.
"""

import operator
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connections, models, router
from django.db.backends.base.base import BaseDatabaseWrapper

#: rows per INSERT statement (well below SQLite's and PostgreSQL's parameter limits for the
#: models that use this)
BATCH_ROWS = 500

#: from how many rows PostgreSQL gets them by COPY (fewer: one INSERT, a statement less)
COPY_FROM_ROWS = 20


def insert_many[M: models.Model](model: type[M], objects: Sequence[M]) -> list[M]:
    """Insert ``objects`` (all new, of ``model``) and set their primary keys, in order."""
    if not objects:
        return []
    alias = router.db_for_write(model)
    keys = insert_prepared(model, prepared_rows(model, objects))
    pk = _pk(model)
    for obj, key in zip(objects, keys, strict=True):
        setattr(obj, pk.attname, key)
        obj._state.adding = False
        obj._state.db = alias
    return list(objects)


def prepared_rows(model: type[models.Model], objects: Sequence[models.Model]) -> list[list[Any]]:
    """The rows ``insert_many`` writes for ``objects``, ready for ``insert_prepared``: each
    field's ``pre_save`` (which sets timestamps and blind indexes on the object) and
    ``get_db_prep_save``. Needs no database round trip (a helper process may make them)."""
    steps = _steps(model, connections[router.db_for_write(model)])
    return [[convert(get(obj)) for get, convert in steps] for obj in objects]


def insert_unless_conflict(obj: models.Model, *, unique_field: str) -> bool:
    """Insert ``obj`` (new) unless a row with its value of ``unique_field`` (a unique column)
    exists; whether it was inserted (its primary key is set then).

    The database decides, in the one statement (``ON CONFLICT … DO NOTHING``), so a caller does
    not look first: on PostgreSQL it waits for a concurrent insert of the same value to commit
    or roll back. Any other constraint still raises ``IntegrityError``.
    """
    model = type(obj)
    connection = connections[router.db_for_write(model)]
    fields = insert_fields(model)
    row = [convert(get(obj)) for get, convert in _steps(model, connection)]
    unique = model._meta.get_field(unique_field)
    assert isinstance(unique, models.Field)  # noqa: S101  (a column, not a reverse relation)
    conflict = connection.ops.quote_name(str(unique.column))
    keys = _insert_returning(
        connection,
        model._meta.db_table,
        _pk(model),
        fields,
        [row],
        on_conflict=f" ON CONFLICT ({conflict}) DO NOTHING",
    )
    if not keys:
        return False
    setattr(obj, _pk(model).attname, keys[0])
    obj._state.adding = False
    obj._state.db = connection.alias
    return True


def _steps(
    model: type[models.Model], connection: BaseDatabaseWrapper
) -> list[tuple[Callable[[Any], Any], Callable[[Any], Any]]]:
    """For each column ``insert_prepared`` writes: how to read it off an instance, and how to
    make that value ready for the database."""
    return [(_getter(field), _converter(field, connection)) for field in insert_fields(model)]


def _pk(model: type[models.Model]) -> models.Field[Any, Any]:
    pk = model._meta.pk
    assert pk is not None  # noqa: S101  (every concrete model has one)
    return pk


def _getter(field: models.Field[Any, Any]) -> Callable[[Any], Any]:
    """``field.pre_save(obj, add=True)``; a plain attribute read where that is all it does."""
    if type(field).pre_save is models.Field.pre_save:
        return operator.attrgetter(field.attname)
    return lambda obj: field.pre_save(obj, True)


#: fields whose ``get_db_prep_save`` gives a value of these exact types back unchanged (on every
#: backend): the per-value call chain is skipped for them, which halves the cost of a plain row
_PASS_THROUGH: dict[type[models.Field[Any, Any]], tuple[type, ...]] = {
    models.CharField: (str, type(None)),
    models.TextField: (str, type(None)),
    models.BooleanField: (bool, type(None)),
}


def _converter(
    field: models.Field[Any, Any], connection: BaseDatabaseWrapper
) -> Callable[[Any], Any]:
    """``field.get_db_prep_save(value, connection)``, skipped for values it passes through."""
    prepare = field.get_db_prep_save
    kept = _PASS_THROUGH.get(type(field))
    if (
        kept is None
        and type(field) is models.ForeignKey
        and isinstance(field.target_field, models.AutoField | models.BigAutoField)
    ):
        kept = (int, type(None))
    if kept is None:
        return lambda value: prepare(value, connection)
    return lambda value: value if type(value) in kept else prepare(value, connection)


def insert_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    """The columns ``insert_prepared`` writes, in order: every concrete field but the key."""
    pk = model._meta.pk
    return [field for field in model._meta.concrete_fields if field is not pk]


def insert_prepared(
    model: type[models.Model],
    rows: Sequence[Sequence[Any]],
    *,
    along: tuple[str, Sequence[Any]] | None = None,
) -> list[Any]:
    """Insert rows whose values are ready for the database (one per ``insert_fields(model)``,
    what ``get_db_prep_save`` gives, or JSON text for a JSON column); their keys, in order.

    For a caller that builds the values itself, without model instances (the audit chain's
    bulk append): nothing is checked or converted here. ``along`` is another write (SQL and
    parameters, an UPDATE or DELETE without RETURNING) made in the same round trip where the
    database allows it: on PostgreSQL a ``WITH`` clause of the first INSERT; elsewhere, and
    before a COPY, a statement of its own.
    """
    if not rows:
        return []
    meta = model._meta
    connection = connections[router.db_for_write(model)]
    pk = _pk(model)
    fields = insert_fields(model)
    if connection.vendor == "postgresql" and len(rows) >= COPY_FROM_ROWS:
        _execute(connection, along)
        return _copy_postgresql(connection, meta.db_table, pk, fields, rows)
    if connection.vendor != "postgresql":
        _execute(connection, along)
        along = None
    return _insert_returning(connection, meta.db_table, pk, fields, rows, along=along)


def _execute(connection: BaseDatabaseWrapper, statement: tuple[str, Sequence[Any]] | None) -> None:
    if statement is not None:
        with connection.cursor() as cursor:
            cursor.execute(*statement)


def _insert_returning(
    connection: BaseDatabaseWrapper,
    table: str,
    pk: models.Field[Any, Any],
    fields: list[models.Field[Any, Any]],
    rows: Sequence[Sequence[Any]],
    *,
    on_conflict: str = "",
    along: tuple[str, Sequence[Any]] | None = None,
) -> list[Any]:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(field.column)) for field in fields)
    row_placeholder = "(" + ", ".join(["%s"] * len(fields)) + ")"
    max_params = connection.features.max_query_params or len(fields) * BATCH_ROWS
    batch_rows = max(1, min(BATCH_ROWS, max_params // len(fields)))
    keys: list[Any] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch_rows):
            batch = rows[start : start + batch_rows]
            prefix, prefix_params = ("", ()) if along is None else _with_clause(along)
            cursor.execute(
                f"{prefix}INSERT INTO {quote(table)} ({columns}) VALUES "  # noqa: S608
                + ", ".join([row_placeholder] * len(batch))
                + on_conflict
                + f" RETURNING {quote(str(pk.column))}",
                [*prefix_params, *(value for row in batch for value in row)],
            )
            along = None
            keys += [key for (key,) in cursor.fetchall()]
    return keys


def _with_clause(statement: tuple[str, Sequence[Any]]) -> tuple[str, Sequence[Any]]:
    sql, params = statement
    return f"WITH along AS ({sql}) ", params


def _copy_postgresql(
    connection: BaseDatabaseWrapper,
    table: str,
    pk: models.Field[Any, Any],
    fields: list[models.Field[Any, Any]],
    rows: Sequence[Sequence[Any]],
) -> list[Any]:
    # Django's psycopg cursors bind parameters on the client, which costs more than the insert
    # itself for thousands of values: COPY (keys drawn from the identity sequence first) is
    # about five times faster than a multi-row INSERT here.
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(field.column)) for field in [pk, *fields])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [quote(table), str(pk.column), len(rows)],
        )
        keys = [key for (key,) in cursor.fetchall()]
        with cursor.cursor.copy(f"COPY {quote(table)} ({columns}) FROM STDIN") as copy:
            for key, row in zip(keys, rows, strict=True):
                copy.write_row([key, *row])
    return keys
