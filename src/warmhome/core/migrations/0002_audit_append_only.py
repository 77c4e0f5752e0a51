"""Make the audit table append-only in the database, and add the pruning checkpoint.

UPDATE is always refused. DELETE is refused unless the deleting code opened the guard for its
own transaction (``warmhome.core.audit.guard.audit_delete_permitted``): on PostgreSQL through
the transaction-local setting ``warmhome.audit_delete``, on SQLite through the connection
function ``warmhome_audit_delete_permitted()`` that the application registers on every
connection (a client without it, such as the sqlite3 shell, gets an error: refused as well).
On PostgreSQL a TRUNCATE is guarded the same way. The chain head table stays updatable.

Caution (SQLite): a later migration that alters AuditEntry makes Django rebuild the table, which
drops these triggers; such a migration must create them again (tests/core/test_audit_chain.py
fails if they are missing).
"""

from django.db import migrations, models

SQLITE_CREATE = [
    """
    CREATE TRIGGER core_auditentry_no_update
    BEFORE UPDATE ON core_auditentry
    BEGIN
        SELECT RAISE(ABORT, 'core_auditentry is append-only: UPDATE refused');
    END
    """,
    """
    CREATE TRIGGER core_auditentry_no_delete
    BEFORE DELETE ON core_auditentry
    WHEN NOT warmhome_audit_delete_permitted()
    BEGIN
        SELECT RAISE(ABORT, 'core_auditentry is append-only: DELETE refused');
    END
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS core_auditentry_no_update",
    "DROP TRIGGER IF EXISTS core_auditentry_no_delete",
]

POSTGRES_CREATE = [
    """
    CREATE OR REPLACE FUNCTION core_auditentry_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('DELETE', 'TRUNCATE')
           AND coalesce(current_setting('warmhome.audit_delete', true), '') = 'on' THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'core_auditentry is append-only: % refused', TG_OP
            USING ERRCODE = 'restrict_violation';
    END
    $$
    """,
    """
    CREATE TRIGGER core_auditentry_append_only
    BEFORE UPDATE OR DELETE ON core_auditentry
    FOR EACH ROW EXECUTE FUNCTION core_auditentry_append_only()
    """,
    """
    CREATE TRIGGER core_auditentry_no_truncate
    BEFORE TRUNCATE ON core_auditentry
    FOR EACH STATEMENT EXECUTE FUNCTION core_auditentry_append_only()
    """,
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS core_auditentry_no_truncate ON core_auditentry",
    "DROP TRIGGER IF EXISTS core_auditentry_append_only ON core_auditentry",
    "DROP FUNCTION IF EXISTS core_auditentry_append_only()",
]


def _run(schema_editor, statements_by_vendor):
    vendor = schema_editor.connection.vendor
    if vendor not in statements_by_vendor:
        raise NotImplementedError(f"No append-only guard for database vendor {vendor!r}.")
    for statement in statements_by_vendor[vendor]:
        # No parameters: the PL/pgSQL body holds a literal "%".
        schema_editor.execute(statement, params=None)


def create_guard(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE})


def drop_guard(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP})


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditchainhead",
            name="first_seq",
            field=models.BigIntegerField(default=1),
        ),
        migrations.AddField(
            model_name="auditchainhead",
            name="first_prev_hash",
            field=models.CharField(
                default="0000000000000000000000000000000000000000000000000000000000000000",
                max_length=64,
            ),
        ),
        migrations.AddField(
            model_name="auditchainhead",
            name="checkpoint_mac",
            field=models.CharField(blank=True, default="", max_length=64),
        ),
        migrations.AddField(
            model_name="auditchainhead",
            name="pruned_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(create_guard, drop_guard),
    ]
