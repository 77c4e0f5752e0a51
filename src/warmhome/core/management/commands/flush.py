"""Django's ``flush``, allowed past the audit table's append-only guard.

Flushing empties every table, the audit chain and its head included, so the chain stays
consistent (empty). The test runner flushes between transactional tests; without this override
the guard would refuse it. Emptying a production database is a server-shell operation that
needs the database owner's rights anyway.
"""

from typing import Any

from django.core.management.commands.flush import Command as DjangoFlushCommand
from django.db import transaction

from warmhome.core.audit.guard import audit_delete_permitted


class Command(DjangoFlushCommand):
    def handle(self, **options: Any) -> None:
        database = options["database"]
        with transaction.atomic(using=database), audit_delete_permitted(database):
            super().handle(**options)
