"""What a DBA with write access to the database could do to the audit table (tests only)."""

from typing import Any

from django.db import connection

from warmhome.core.audit.chain import append
from warmhome.core.models import AuditEntry

TABLE = AuditEntry._meta.db_table
postgres_only_reason = "needs PostgreSQL (DATABASE_URL=postgres://…)"


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def guard_off() -> None:
    """Remove the append-only triggers for the rest of the test's transaction."""
    with connection.cursor() as cursor:
        if is_postgres():
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER core_auditentry_no_update")
            cursor.execute("DROP TRIGGER core_auditentry_no_delete")


def raw(sql: str, params: list[Any] | tuple[Any, ...] = ()) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql.replace("{table}", TABLE), params or None)
        return cursor.rowcount


def events(count: int, **fields: Any) -> list[AuditEntry]:
    return [
        append(
            kind=AuditEntry.Kind.SECURITY,
            event="login",
            outcome="success",
            detail={"n": n},
            **fields,
        )
        for n in range(count)
    ]
