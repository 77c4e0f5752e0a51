"""``warmhome audit verify`` finds what a DBA did behind the application's back;
``warmhome audit prune`` keeps the retention period and leaves a chain that still verifies."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, transaction
from django.utils import timezone

from tests.core.audit_tamper import events, guard_off, raw
from warmhome.core.audit import chain
from warmhome.core.audit.guard import audit_delete_permitted
from warmhome.core.audit.verify import verify_chain
from warmhome.core.models import AuditChainHead, AuditEntry

pytestmark = pytest.mark.django_db


def run_verify(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("audit", "verify", *args, stdout=out)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue()
    return 0, out.getvalue()


def test_verify_of_an_intact_chain_says_ok_with_the_count_and_exits_0() -> None:
    events(7)
    total = AuditEntry.objects.count()
    code, out = run_verify("--chunk-size", "3")
    assert code == 0
    assert out.startswith("OK: ")
    assert f"{total} entries verified" in out


def test_verify_of_an_empty_trail_is_ok(fresh_chain: None) -> None:
    code, out = run_verify()
    assert (code, out.split()[0]) == (0, "OK:")
    assert "0 entries verified" in out


def test_verify_names_the_entry_whose_content_was_altered_in_the_database() -> None:
    entries = events(5)
    target = entries[2]
    guard_off()
    raw("UPDATE {table} SET outcome = 'failure' WHERE id = %s", [target.pk])
    code, out = run_verify()
    assert code == 1
    assert out.startswith("BROKEN: ")
    assert f"seq={target.seq} id={target.pk}" in out
    assert "altered" in out


def test_verify_names_the_gap_left_by_an_entry_deleted_in_the_database() -> None:
    entries = events(5)
    guard_off()
    raw("DELETE FROM {table} WHERE id = %s", [entries[1].pk])
    code, out = run_verify()
    assert code == 1
    assert f"seq={entries[2].seq} id={entries[2].pk}" in out
    assert "missing entry (deleted)" in out
    assert f"entry seq {entries[1].seq} is missing" in out


def test_verify_finds_entries_deleted_from_the_end_of_the_chain() -> None:
    entries = events(4)
    guard_off()
    raw("DELETE FROM {table} WHERE seq >= %s", [entries[2].seq])
    code, out = run_verify()
    assert code == 1
    assert "missing entry (deleted)" in out
    assert f"{entries[2].seq}–{entries[3].seq}" in out


def test_verify_finds_an_entry_deleted_and_the_rest_renumbered() -> None:
    entries = events(4)
    guard_off()
    raw("DELETE FROM {table} WHERE id = %s", [entries[1].pk])
    # In two steps: PostgreSQL checks the unique seq row by row.
    raw("UPDATE {table} SET seq = seq + 1000 WHERE seq > %s", [entries[1].seq])
    raw("UPDATE {table} SET seq = seq - 1001 WHERE seq > %s", [entries[1].seq + 1000])
    code, out = run_verify()
    assert code == 1
    assert f"seq={entries[1].seq} id={entries[2].pk}" in out
    assert "inserted or reordered" in out


def _insert_copy_of(entry: AuditEntry, *, seq: int, prev_hash: str) -> int:
    raw(
        "INSERT INTO {table} (seq, created_at, actor_username, kind, event, outcome, model_label,"
        " object_pk, object_repr, org_path, detail, prev_hash, entry_hash)"
        " VALUES (%s, %s, 'intruder', %s, %s, 'success', '', '', '', '', %s, %s, %s)",
        [seq, entry.created_at, entry.kind, entry.event, '{"forged": true}', prev_hash, "f" * 64],
    )
    return AuditEntry.objects.get(seq=seq).pk


def test_verify_finds_an_entry_inserted_at_the_end_of_the_chain() -> None:
    entries = events(3)
    last = entries[-1]
    guard_off()
    forged_id = _insert_copy_of(last, seq=last.seq + 1, prev_hash=last.entry_hash)
    code, out = run_verify()
    assert code == 1
    assert f"seq={last.seq + 1} id={forged_id}" in out
    assert "inserted" in out


def test_verify_finds_an_entry_inserted_in_the_middle_of_the_chain() -> None:
    entries = events(4)
    guard_off()
    # Make room the way an intruder must (seq is unique), then slip the forged row in.
    raw("UPDATE {table} SET seq = seq + 1000 WHERE seq > %s", [entries[1].seq])
    raw("UPDATE {table} SET seq = seq - 999 WHERE seq > %s", [entries[1].seq + 999])
    forged_id = _insert_copy_of(entries[1], seq=entries[1].seq + 1, prev_hash=entries[1].entry_hash)
    code, out = run_verify()
    assert code == 1
    assert f"seq={entries[1].seq + 1} id={forged_id}" in out
    assert "inserted" in out


def test_verify_finds_a_chain_head_that_does_not_match_the_last_entry() -> None:
    events(2)
    AuditChainHead.objects.filter(pk=1).update(last_hash="a" * 64)
    code, out = run_verify()
    assert code == 1
    assert "head mismatch" in out


# --- prune ----------------------------------------------------------------------------------


@pytest.fixture
def fresh_chain() -> None:
    """Start from an empty trail (migrations log the default roles, dated now)."""
    with transaction.atomic(), audit_delete_permitted():
        raw("DELETE FROM {table}")
    AuditChainHead.objects.all().delete()


def _events_aged(days: int, count: int, monkeypatch: pytest.MonkeyPatch) -> list[AuditEntry]:
    moment = timezone.now() - datetime.timedelta(days=days)
    monkeypatch.setattr(chain.timezone, "now", lambda: moment)
    try:
        return events(count)
    finally:
        monkeypatch.undo()


def test_prune_refuses_a_period_shorter_than_the_retention_with_a_chinese_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _events_aged(400, 3, monkeypatch)
    before = AuditEntry.objects.count()
    with pytest.raises(CommandError) as refused:
        call_command("audit", "prune", "--older-than", "30")
    assert "审计记录须至少保留 185 天" in str(refused.value)
    assert "不能清理 30 天以内的记录" in str(refused.value)
    assert AuditEntry.objects.count() == before


def test_prune_refuses_a_negative_or_non_numeric_period() -> None:
    with pytest.raises(CommandError, match="天数须为非负整数"):
        call_command("audit", "prune", "--older-than", "abc")


def test_prune_deletes_old_entries_and_the_rest_of_the_chain_still_verifies(
    monkeypatch: pytest.MonkeyPatch, fresh_chain: None
) -> None:
    old = _events_aged(400, 3, monkeypatch)
    recent = events(2)
    out = io.StringIO()
    call_command("audit", "prune", "--older-than", "200", stdout=out)
    assert out.getvalue().startswith("OK: ")
    assert not AuditEntry.objects.filter(seq__lte=old[-1].seq).exists()
    assert AuditEntry.objects.filter(pk__in=[entry.pk for entry in recent]).count() == 2
    head = AuditChainHead.objects.get(pk=1)
    assert (head.first_seq, head.first_prev_hash) == (old[-1].seq + 1, old[-1].entry_hash)
    pruning = AuditEntry.objects.get(event="audit_prune")
    assert pruning.detail["through_seq"] == old[-1].seq
    assert pruning.detail["deleted"] == 3
    code, verified = run_verify()
    assert code == 0, verified
    assert f"{AuditEntry.objects.count()} entries verified" in verified


def test_after_pruning_the_guard_is_closed_again(
    monkeypatch: pytest.MonkeyPatch, fresh_chain: None
) -> None:
    _events_aged(400, 2, monkeypatch)
    call_command("audit", "prune", "--older-than", "200", stdout=io.StringIO())
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw("DELETE FROM {table}")


def test_prune_with_nothing_old_enough_deletes_nothing() -> None:
    events(2)
    before = AuditEntry.objects.count()
    out = io.StringIO()
    call_command("audit", "prune", "--older-than", "185", stdout=out)
    assert "已清理 0 条" in out.getvalue()
    assert AuditEntry.objects.count() == before


def test_prune_refuses_to_destroy_a_broken_chain(
    monkeypatch: pytest.MonkeyPatch, fresh_chain: None
) -> None:
    old = _events_aged(400, 3, monkeypatch)
    guard_off()
    raw("UPDATE {table} SET outcome = 'x' WHERE id = %s", [old[0].pk])
    with pytest.raises(CommandError, match="审计哈希链已损坏"):
        call_command("audit", "prune", "--older-than", "200")
    assert AuditEntry.objects.filter(pk=old[0].pk).exists()


def test_cutting_entries_off_the_start_and_moving_the_checkpoint_is_detected(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    entries = events(4)
    guard_off()
    raw("DELETE FROM {table} WHERE seq <= %s", [entries[1].seq])
    # Without a pruning the chain simply misses its start ...
    assert verify_chain().problem == "missing"
    # ... and a checkpoint moved without the key is not authentic.
    AuditChainHead.objects.filter(pk=1).update(
        first_seq=entries[2].seq, first_prev_hash=entries[1].entry_hash
    )
    code, out = run_verify()
    assert code == 1
    assert "checkpoint forged" in out
