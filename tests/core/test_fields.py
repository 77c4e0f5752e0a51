"""Encrypted model fields, blind indexes and ``warmhome crypto rotate|check``.

No installed model has protected fields yet, so these tests create a temporary audited model
with the schema editor (and drop it afterwards); hence ``transaction=True``.
"""

import base64
import json
from collections.abc import Iterator

import pytest
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import connection, models
from django.test.utils import isolate_apps

from warmhome.core import crypto
from warmhome.core.crypto import blind_index
from warmhome.core.fields import BlindIndexField, EncryptedTextField
from warmhome.core.identifiers import fake_citizen_id, fake_mobile
from warmhome.core.models import AuditedModel, AuditEntry

AES_KEY_1 = "k1:" + base64.b64encode(b"A" * 32).decode()
AES_KEY_2 = "k2:" + base64.b64encode(b"B" * 32).decode()
SM4_KEY_1 = "s1:" + base64.b64encode(b"C" * 16).decode()
COMMAND_MODULE = "warmhome.core.management.commands.crypto"


@pytest.fixture
def record_model(settings) -> Iterator[type[models.Model]]:
    settings.FIELD_ENCRYPTION_KEYS = [AES_KEY_1]
    with isolate_apps("warmhome.core"):

        class ProtectedRecord(AuditedModel):
            label = models.CharField(max_length=50)
            id_number = EncryptedTextField(blank=True, null=True)
            id_number_index = BlindIndexField(source="id_number", purpose="citizen_id")
            phone = EncryptedTextField(blank=True)
            phone_index = BlindIndexField(source="phone", purpose="mobile")

            audit_exclude = ("id_number", "id_number_index", "phone", "phone_index")

            class Meta:
                app_label = "core"

            def __str__(self) -> str:
                return self.label

        with connection.schema_editor() as editor:
            editor.create_model(ProtectedRecord)
        try:
            yield ProtectedRecord
        finally:
            with connection.schema_editor() as editor:
                editor.delete_model(ProtectedRecord)


@pytest.fixture
def only_record_model(record_model, monkeypatch) -> type[models.Model]:
    monkeypatch.setattr(f"{COMMAND_MODULE}.protected_models", lambda: [record_model])
    return record_model


def raw_rows(model: type[models.Model]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {model._meta.db_table}")  # noqa: S608  (test table name)
        return cursor.fetchall()


def stored(model: type[models.Model], pk: int, column: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column} FROM {model._meta.db_table} WHERE id = %s",  # noqa: S608
            [pk],
        )
        return cursor.fetchone()[0]


def make(model, count: int) -> list[tuple[int, str, str]]:
    made = []
    for number in range(count):
        id_number, phone = fake_citizen_id(), fake_mobile()
        row = model.objects.create(label=f"r{number}", id_number=id_number, phone=phone)
        made.append((row.pk, id_number, phone))
    return made


# --- The fields ---------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_values_round_trip_and_the_database_holds_no_plaintext(record_model):
    made = make(record_model, 3)

    for pk, id_number, phone in made:
        row = record_model.objects.get(pk=pk)
        assert (row.id_number, row.phone) == (id_number, phone)
    dump = repr(raw_rows(record_model))
    for _, id_number, phone in made:
        assert id_number not in dump
        assert phone not in dump
        assert id_number[-4:] + "'" not in dump
    assert stored(record_model, made[0][0], "id_number").startswith("wh1:A:k1:")


@pytest.mark.django_db(transaction=True)
def test_sqlite_file_dump_holds_no_plaintext(record_model):
    if connection.vendor != "sqlite":
        pytest.skip("iterdump is SQLite's; the raw-row test covers PostgreSQL")
    made = make(record_model, 2)

    dump = "\n".join(connection.connection.iterdump())

    assert record_model._meta.db_table in dump
    for _, id_number, phone in made:
        assert id_number not in dump
        assert phone not in dump


@pytest.mark.django_db(transaction=True)
def test_record_is_found_through_its_blind_index(record_model):
    (pk, id_number, phone), _ = make(record_model, 2)

    by_id = record_model.objects.filter(
        id_number_index=blind_index(id_number.lower(), "citizen_id")
    )
    by_phone = record_model.objects.filter(phone_index=blind_index(f"+86 {phone}", "mobile"))

    assert list(by_id.values_list("pk", flat=True)) == [pk]
    assert list(by_phone.values_list("pk", flat=True)) == [pk]


@pytest.mark.django_db(transaction=True)
def test_blind_index_follows_a_changed_value(record_model):
    ((pk, _, _),) = make(record_model, 1)
    row = record_model.objects.get(pk=pk)
    new_id = fake_citizen_id()

    row.id_number = new_id
    row.save()

    assert record_model.objects.get(id_number_index=blind_index(new_id, "citizen_id")).pk == pk


@pytest.mark.django_db(transaction=True)
def test_empty_and_null_values_are_stored_as_such_without_index(record_model):
    row = record_model.objects.create(label="empty", id_number=None, phone="")

    assert stored(record_model, row.pk, "id_number") is None
    assert stored(record_model, row.pk, "phone") == ""
    row.refresh_from_db()
    assert (row.id_number, row.id_number_index, row.phone, row.phone_index) == (
        None,
        None,
        "",
        None,
    )
    assert record_model.objects.filter(id_number__isnull=True).count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lookup", ["id_number", "id_number__exact", "id_number__icontains"])
def test_filtering_on_an_encrypted_field_raises_a_clear_error(record_model, lookup):
    with pytest.raises(FieldError, match="is encrypted and cannot be filtered") as caught:
        record_model.objects.filter(**{lookup: "370102198001011234"}).count()

    assert "blind_index(value, purpose)" in str(caught.value)


@pytest.mark.django_db(transaction=True)
def test_audit_trail_never_holds_protected_values(record_model):
    ((pk, id_number, phone),) = make(record_model, 1)
    row = record_model.objects.get(pk=pk)
    row.label = "renamed"
    row.id_number = fake_citizen_id()
    row.save()

    entries = AuditEntry.objects.filter(model_label="core.ProtectedRecord")
    trail = json.dumps([[e.before, e.after, e.detail] for e in entries], ensure_ascii=False)

    assert [e.kind for e in entries] == ["create", "update"]
    for value in (id_number, row.id_number, phone):
        assert value not in trail


@pytest.mark.django_db(transaction=True)
def test_changing_only_a_protected_value_still_leaves_an_audit_entry(record_model):
    ((pk, _, _),) = make(record_model, 1)
    row = record_model.objects.get(pk=pk)
    row.id_number = fake_citizen_id()
    row.save()

    entries = AuditEntry.objects.filter(model_label="core.ProtectedRecord", kind="update")

    assert entries.count() == 1
    assert "id_number" in entries.get().after


@pytest.mark.django_db(transaction=True)
def test_serialised_data_holds_tokens_that_load_back(record_model):
    ((pk, id_number, _),) = make(record_model, 1)
    row = record_model.objects.get(pk=pk)
    field = record_model._meta.get_field("id_number")

    serialised = field.value_to_string(row)

    assert serialised.startswith("wh1:")
    assert field.to_python(serialised) == id_number


# --- System checks ------------------------------------------------------------------------


@isolate_apps("warmhome.core")
def test_check_refuses_protected_fields_missing_from_audit_exclude():
    class Leaky(AuditedModel):
        secret = EncryptedTextField()
        secret_index = BlindIndexField(source="secret", purpose="x")

        class Meta:
            app_label = "core"

    ids = [error.id for field in Leaky._meta.fields for error in field.check()]

    assert ids.count("core.E303") == 2


@isolate_apps("warmhome.core")
def test_check_refuses_an_indexed_encrypted_field_and_an_index_of_a_plain_field():
    class Wrong(models.Model):
        secret = EncryptedTextField(unique=True)
        name = models.CharField(max_length=10)
        name_index = BlindIndexField(source="name", purpose="x")

        class Meta:
            app_label = "core"

        def __str__(self) -> str:
            return self.name

    assert [e.id for e in Wrong._meta.get_field("secret").check()] == ["core.E301"]
    assert [e.id for e in Wrong._meta.get_field("name_index").check()] == ["core.E302"]


@isolate_apps("warmhome.core")
def test_check_reports_a_broken_key_configuration(settings):
    settings.FIELD_ENCRYPTION_KEYS = ["k1:short"]

    class Fine(models.Model):
        secret = EncryptedTextField()

        class Meta:
            app_label = "core"

        def __str__(self) -> str:
            return str(self.pk)

    errors = Fine._meta.get_field("secret").check()

    assert [e.id for e in errors] == ["core.E300"]
    assert "k1" in errors[0].msg


def test_blind_index_field_deconstructs_with_its_source_and_purpose():
    field = BlindIndexField(source="id_number", purpose="citizen_id", unique=True)

    _, path, _, kwargs = field.deconstruct()

    assert path == "warmhome.core.fields.BlindIndexField"
    assert kwargs["source"] == "id_number"
    assert kwargs["purpose"] == "citizen_id"
    assert kwargs["unique"] is True


# --- warmhome crypto rotate / check -------------------------------------------------------


def _rotation_events() -> list[dict]:
    return [e.detail for e in AuditEntry.objects.filter(event="field_key_rotation")]


@pytest.mark.django_db(transaction=True)
def test_rotate_re_encrypts_everything_under_the_new_key_in_batches(
    only_record_model, settings, capsys
):
    model = only_record_model
    made = make(model, 5)
    model.objects.create(label="empty", id_number=None, phone="")
    settings.FIELD_ENCRYPTION_KEYS = [AES_KEY_2, AES_KEY_1]

    call_command("crypto", "rotate", "--batch-size=2")

    out = capsys.readouterr().out
    assert "core.ProtectedRecord：重新加密 5 条。" in out
    assert out.strip().splitlines()[-1].startswith("OK: 共重新加密 5 条，当前密钥 k2")
    for pk, id_number, phone in made:
        assert stored(model, pk, "id_number").startswith("wh1:A:k2:")
        assert stored(model, pk, "phone").startswith("wh1:A:k2:")
        row = model.objects.get(pk=pk)
        assert (row.id_number, row.phone) == (id_number, phone)
        assert row.id_number_index == blind_index(id_number, "citizen_id")
    assert [event["rows"] for event in _rotation_events()] == [2, 2, 1]
    assert {event["key_id"] for event in _rotation_events()} == {"k2"}
    # The old key may now go.
    settings.FIELD_ENCRYPTION_KEYS = [AES_KEY_2]
    assert model.objects.get(pk=made[0][0]).id_number == made[0][1]


@pytest.mark.django_db(transaction=True)
def test_rotate_twice_changes_nothing_the_second_time(only_record_model, settings, capsys):
    model = only_record_model
    make(model, 3)
    settings.FIELD_ENCRYPTION_KEYS = [AES_KEY_2, AES_KEY_1]
    call_command("crypto", "rotate")
    tokens = raw_rows(model)
    capsys.readouterr()

    call_command("crypto", "rotate")

    assert "重新加密 0 条" in capsys.readouterr().out
    assert raw_rows(model) == tokens
    assert len(_rotation_events()) == 1


@pytest.mark.django_db(transaction=True)
def test_rotate_moves_aes_values_to_sm4_with_sm3_indexes(only_record_model, settings):
    model = only_record_model
    ((pk, id_number, phone),) = make(model, 1)
    settings.FIELD_ENCRYPTION_ALGORITHM = "SM4-GCM"
    settings.FIELD_ENCRYPTION_KEYS = [SM4_KEY_1, AES_KEY_1]

    call_command("crypto", "rotate")

    assert stored(model, pk, "id_number").startswith("wh1:S:s1:")
    row = model.objects.get(phone_index=blind_index(phone, "mobile"))
    assert row.id_number == id_number


@pytest.mark.django_db(transaction=True)
def test_check_reports_stale_values_then_ok_after_rotation(only_record_model, settings, capsys):
    make(only_record_model, 2)
    settings.FIELD_ENCRYPTION_KEYS = [AES_KEY_2, AES_KEY_1]

    call_command("crypto", "check", "--verify")
    before = capsys.readouterr().out
    call_command("crypto", "rotate")
    call_command("crypto", "check")
    after = capsys.readouterr().out

    assert "core.ProtectedRecord.id_number：当前密钥 0，旧密钥 2" in before
    assert "STALE: 4 条仍在旧密钥下" in before
    assert after.strip().splitlines()[-1] == "OK: 所有加密数据都在当前密钥下。"
    assert "A" * 8 not in before + after  # no key material printed


@pytest.mark.django_db(transaction=True)
def test_check_fails_when_a_needed_key_was_removed(only_record_model, settings, capsys):
    make(only_record_model, 1)
    settings.FIELD_ENCRYPTION_KEYS = [AES_KEY_2]

    with pytest.raises(SystemExit) as exited:
        call_command("crypto", "check")

    assert exited.value.code == 1
    out = capsys.readouterr().out
    assert "未配置的密钥 1" in out
    assert "BROKEN" in out


@pytest.mark.django_db
def test_commands_run_on_the_installed_models(capsys):
    call_command("crypto", "check")
    call_command("crypto", "rotate")

    assert "OK:" in capsys.readouterr().out


def test_commands_refuse_a_broken_configuration(settings):
    settings.FIELD_ENCRYPTION_KEYS = []

    with pytest.raises(Exception, match="FIELD_ENCRYPTION_KEYS is empty"):
        call_command("crypto", "check")


def test_current_header_names_algorithm_and_key(settings):
    settings.FIELD_ENCRYPTION_KEYS = [AES_KEY_2, AES_KEY_1]

    assert crypto.current_header() == "wh1:A:k2:"
