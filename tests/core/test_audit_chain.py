"""The hash chain itself: linkage, round trips, the database's append-only guard, concurrency."""

import importlib
import threading

import pytest
from django.db import DatabaseError, connection, connections, transaction
from django.db.transaction import TransactionManagementError

from tests.conftest import Personas, Tree
from tests.core.audit_tamper import events, is_postgres, postgres_only_reason, raw
from tests.factories import user_with_post
from warmhome.core.audit.chain import GENESIS_HASH, append, compute_hash
from warmhome.core.audit.guard import audit_delete_permitted
from warmhome.core.audit.verify import verify_chain
from warmhome.core.models import AuditChainHead, AuditEntry

pytestmark = pytest.mark.django_db


def _refused(action: object) -> bool:
    try:
        with transaction.atomic():
            action()  # type: ignore[operator]
    except DatabaseError as error:
        return "append-only" in str(error)
    return False


def test_entries_are_numbered_without_gaps_and_each_links_to_the_one_before() -> None:
    before = AuditChainHead.objects.filter(pk=1).first()
    first, second, third = events(3)
    start = before.last_seq if before else 0
    assert [first.seq, second.seq, third.seq] == [start + 1, start + 2, start + 3]
    assert first.prev_hash == (before.last_hash if before else GENESIS_HASH)
    assert second.prev_hash == first.entry_hash
    assert third.prev_hash == second.entry_hash
    head = AuditChainHead.objects.get(pk=1)
    assert (head.last_seq, head.last_hash) == (third.seq, third.entry_hash)


def test_hash_of_an_entry_read_back_from_the_database_matches_the_stored_hash() -> None:
    entry = append(
        kind=AuditEntry.Kind.UPDATE,
        model_label="orgs.OrgUnit",
        object_pk="7",
        object_repr="解放桥社区" * 60,  # longer than the column: stored cut, hashed cut
        event="x" * 100,
        client_ip="2001:DB8:0:0:0:0:0:1",
        before={"名称": "旧", "n": 1.5, "nested": {"b": [1, 2], "a": None}},
        after={"名称": "新", "when": __import__("datetime").date(2026, 1, 2)},
    )
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert compute_hash(stored.prev_hash, stored) == stored.entry_hash
    assert stored.client_ip == "2001:db8::1"
    assert len(stored.object_repr) == 200
    assert verify_chain().ok


def test_database_refuses_to_update_an_audit_entry() -> None:
    (entry,) = events(1)
    entry.outcome = "failure"
    assert _refused(lambda: entry.save())
    assert _refused(lambda: raw("UPDATE {table} SET outcome = 'failure'"))
    assert _refused(lambda: AuditEntry.objects.update(outcome="failure"))
    assert AuditEntry.objects.get(pk=entry.pk).outcome == "success"


def test_database_refuses_to_delete_an_audit_entry() -> None:
    (entry,) = events(1)
    assert _refused(lambda: entry.delete())
    assert _refused(lambda: raw("DELETE FROM {table}"))
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason=postgres_only_reason,
)
def test_postgres_refuses_to_truncate_the_audit_table() -> None:
    events(1)
    assert _refused(lambda: raw("TRUNCATE {table}"))


def test_chain_head_stays_updatable() -> None:
    events(1)
    assert AuditChainHead.objects.filter(pk=1).update(pruned_at=None) == 1


def test_guard_opens_for_delete_only_inside_its_block_and_never_for_update() -> None:
    events(2)
    with transaction.atomic(), audit_delete_permitted():
        assert raw("DELETE FROM {table} WHERE seq = 1") == 1
        assert _refused(lambda: raw("UPDATE {table} SET outcome = 'x'"))
    assert _refused(lambda: raw("DELETE FROM {table} WHERE seq = 2"))


def test_guard_cannot_be_opened_outside_a_transaction() -> None:
    # Pretend to be outside every atomic block: in autocommit the permission would not be tied
    # to one transaction.
    atomic_blocks = connection.in_atomic_block
    connection.in_atomic_block = False
    try:
        with pytest.raises(TransactionManagementError), audit_delete_permitted():
            pass
    finally:
        connection.in_atomic_block = atomic_blocks


class _Editor:
    """Just what the migration's RunPython functions use of a schema editor."""

    connection = connection

    @staticmethod
    def execute(sql: str, params: None = None) -> None:
        raw(sql)


def test_append_only_migration_can_be_reversed_and_reapplied() -> None:
    migration = importlib.import_module("warmhome.core.migrations.0002_audit_append_only")
    (entry,) = events(1)
    migration.drop_guard(None, _Editor())
    raw("UPDATE {table} SET outcome = 'after-reverse' WHERE id = %s", [entry.pk])
    migration.create_guard(None, _Editor())
    assert _refused(lambda: raw("UPDATE {table} SET outcome = 'again'"))
    assert AuditEntry.objects.get(pk=entry.pk).outcome == "after-reverse"


# --- visibility -----------------------------------------------------------------------------


def _entry_at(path: str) -> AuditEntry:
    return append(kind=AuditEntry.Kind.SECURITY, event="access_denied", org_path=path)


def test_street_auditor_sees_her_subtree_but_not_another_street_nor_system_wide_events(
    tree: Tree,
) -> None:
    auditor = user_with_post("street_auditor", tree.street_a, "audit_admin")
    own = _entry_at(tree.community_a1.path)
    other = _entry_at(tree.community_b1.path)
    system = _entry_at("")
    visible = set(AuditEntry.objects.visible_to(auditor, "audit.view").values_list("pk", flat=True))
    assert own.pk in visible
    assert other.pk not in visible
    assert system.pk not in visible


def test_district_auditor_sees_every_organisation_and_system_wide_events(
    tree: Tree, personas: Personas
) -> None:
    entries = [_entry_at(tree.community_a1.path), _entry_at(tree.street_b.path), _entry_at("")]
    visible = set(
        AuditEntry.objects.visible_to(personas.audit_admin, "view").values_list("pk", flat=True)
    )
    assert {entry.pk for entry in entries} <= visible


def test_cadre_without_audit_view_sees_no_audit_entries(personas: Personas) -> None:
    _entry_at(personas.community_a1_cadre.current_posts()[0].org.path)
    assert not AuditEntry.objects.visible_to(personas.community_a1_cadre, "audit.view").exists()


# --- concurrency ----------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason=postgres_only_reason,
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_keep_the_chain_gap_free_and_verifiable() -> None:
    assert is_postgres()
    threads_count, per_thread = 8, 15
    barrier = threading.Barrier(threads_count)
    errors: list[BaseException] = []

    def worker(number: int) -> None:
        try:
            barrier.wait()
            for n in range(per_thread):
                append(kind=AuditEntry.Kind.SECURITY, event="login", detail={"t": number, "n": n})
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(number,)) for number in range(threads_count)]
    start = AuditChainHead.objects.filter(pk=1).values_list("last_seq", flat=True).first() or 0
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    seqs = list(AuditEntry.objects.filter(seq__gt=start).values_list("seq", flat=True))
    assert seqs == list(range(start + 1, start + threads_count * per_thread + 1))
    verdict = verify_chain()
    assert verdict.ok, verdict


def _bulk_rows() -> list[dict]:
    import datetime
    import decimal

    return [
        {
            "kind": AuditEntry.Kind.CREATE,
            "model_label": "people.Person",
            "object_pk": "11",
            "object_repr": "张*梅#11",
            "org_path": "00010002",
            "actor_id": 3,
            "actor_username": "clerk",
            "client_ip": "2001:DB8:0:0:0:0:0:1",
            "before": None,
            "after": {
                "name": "张秀梅",
                "birth_date": datetime.date(1990, 1, 2),
                "created_at": datetime.datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=datetime.UTC),
                "amount": decimal.Decimal("1.50"),
                "is_shielded": False,
                "org_id": 7,
                "shielded_at": None,
            },
        },
        {
            # not flat: keys that are not text and nested values take the JSON round trip
            "kind": AuditEntry.Kind.UPDATE,
            "model_label": "orgs.OrgUnit",
            "object_pk": 12,
            "object_repr": "解放桥社区" * 60,
            "event": "x" * 100,
            "before": {"n": 1.5, "nested": {"b": [1, 2], "a": None}, 3: "three"},
            "after": {"名称": "新", "tags": ("a", "b")},
            "detail": {"why": "test"},
        },
        {"kind": AuditEntry.Kind.SECURITY, "event": "login", "outcome": "success"},
    ]


def _stored(entry: AuditEntry) -> dict:
    ignored = {"id", "seq", "created_at", "prev_hash", "entry_hash"}
    return {
        field.attname: getattr(entry, field.attname)
        for field in AuditEntry._meta.concrete_fields
        if field.attname not in ignored
    }


def test_bulk_append_stores_what_one_by_one_appends_store_and_the_chain_verifies() -> None:
    from warmhome.core.audit.chain import append_many

    one_by_one = [append(**row) for row in _bulk_rows()]
    head = AuditChainHead.objects.get(pk=1)

    append_many(_bulk_rows())

    bulk = list(AuditEntry.objects.filter(seq__gt=head.last_seq).order_by("seq"))
    singles = list(AuditEntry.objects.filter(pk__in=[e.pk for e in one_by_one]).order_by("seq"))
    assert [_stored(entry) for entry in bulk] == [_stored(entry) for entry in singles]
    assert bulk[0].prev_hash == head.last_hash
    for entry in bulk:
        assert compute_hash(entry.prev_hash, entry) == entry.entry_hash
    assert AuditChainHead.objects.get(pk=1).last_hash == bulk[-1].entry_hash
    assert verify_chain().ok


def test_the_head_follows_a_bulk_append_of_any_size() -> None:
    # Below and above the size from which PostgreSQL gets the rows by COPY (core.bulk).
    from warmhome.core.audit.chain import append_many

    for size in (1, 3, 25):
        append_many([{"kind": AuditEntry.Kind.SECURITY, "event": "login"}] * size)

        last = AuditEntry.objects.order_by("-seq").first()
        head = AuditChainHead.objects.get(pk=1)
        assert (head.last_seq, head.last_hash) == (last.seq, last.entry_hash)
    assert verify_chain().ok


def test_bulk_append_refuses_a_field_the_trail_does_not_have() -> None:
    from warmhome.core.audit.chain import append_many

    with pytest.raises(TypeError):
        append_many([{"kind": AuditEntry.Kind.SECURITY, "colour": "red"}])
