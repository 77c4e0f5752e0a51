"""The application's side of the database guard that keeps the audit table append-only.

Migration ``core.0002_audit_append_only`` installs triggers that refuse every UPDATE of an audit
entry and every DELETE unless the deleting code opened the guard for its transaction with
``audit_delete_permitted()``. Only two places do: ``warmhome audit prune`` (retention) and
``warmhome flush`` (which empties the whole database, used between transactional tests).

PostgreSQL: the trigger reads the transaction-local setting ``warmhome.audit_delete``. No DDL and
no table lock: other sessions keep appending and stay guarded.
SQLite has no session settings, so the trigger calls ``warmhome_audit_delete_permitted()``, a
function registered here on every connection that reads a context variable. A client without it
(the sqlite3 shell) gets "no such function" on DELETE, which refuses the delete as well.
"""

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.signals import connection_created
from django.db.transaction import TransactionManagementError

_delete_permitted: ContextVar[bool] = ContextVar("warmhome_audit_delete", default=False)

SQLITE_FUNCTION = "warmhome_audit_delete_permitted"
POSTGRES_SETTING = "warmhome.audit_delete"


def _permitted() -> int:
    return int(_delete_permitted.get())


def register_sqlite_function(sender: Any, connection: Any, **_: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_FUNCTION, 0, _permitted)


connection_created.connect(register_sqlite_function, dispatch_uid="warmhome_audit_guard")


@contextlib.contextmanager
def audit_delete_permitted(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Let this transaction delete audit entries; must run inside ``transaction.atomic``."""
    connection = connections[using]
    if not connection.in_atomic_block:
        raise TransactionManagementError("audit_delete_permitted() needs an atomic block.")
    token = _delete_permitted.set(True)
    try:
        if connection.vendor == "postgresql":
            _set_postgres(connection, "on")
        yield
        if connection.vendor == "postgresql":
            _set_postgres(connection, "off")
    finally:
        _delete_permitted.reset(token)


def _set_postgres(connection: Any, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, %s, true)", [POSTGRES_SETTING, value])
