"""The person import's commit with its helper process (PostgreSQL, where a forked child opens
its own connection; SQLite's test database lives in this process's memory): the same outcome
as without it, and the same audit entries."""

from typing import Any

import pytest
from django.db import connection

from tests.conftest import Personas, Tree
from tests.core.test_imports_support import import_env, xlsx_bytes  # noqa: F401  (fixture)
from tests.people.test_import import (
    HEADERS,
    ID_LI,
    ID_WANG,
    ID_ZHANG,
    PHONE_ZHANG,
    commit,
    mixed_file,
    registered,  # noqa: F401  (fixture)
    row,
    test_ten_kinds_of_bad_rows_get_ten_precise_errors_without_the_id_or_phone,
    upload,
)
from warmhome.core.audit.verify import verify_chain
from warmhome.core.forked import fork_usable
from warmhome.core.imports import services
from warmhome.core.models import AuditEntry, ImportBatch
from warmhome.orgs.models import OrgUnit
from warmhome.people.categories import SEED_CATEGORIES
from warmhome.people.models import Category, Person

pytestmark = [
    pytest.mark.usefixtures("import_env"),
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL=postgres://…)"
    ),
]


@pytest.fixture(autouse=True)
def categories(transactional_db: None) -> None:
    """The seed's categories (a transactional test starts from tables emptied by the last)."""
    for order, (code, name) in enumerate(SEED_CATEGORIES, start=1):
        Category.objects.get_or_create(code=code, defaults={"name": name, "order": order})


@pytest.fixture
def helper_on(settings: Any, monkeypatch: Any) -> list[str]:
    """Every file of more than one row uses helpers, two rows a commit chunk; names each fork."""
    settings.IMPORT_HELPER_FROM_ROWS = 1
    settings.IMPORT_COMMIT_CHUNK_ROWS = 2
    forks: list[str] = []

    def counted(name: str, original: Any) -> Any:
        def start(*args: Any) -> Any:
            forks.append(name)
            return original(*args)

        return start

    monkeypatch.setattr(services, "call_forked", counted("validation", services.call_forked))
    monkeypatch.setattr(services, "Helper", counted("commit", services.Helper))
    return forks


def test_two_halves_validated_at_once_give_the_ten_precise_errors(
    personas: Personas,
    registered: Person,  # noqa: F811
    helper_on: list[str],
    django_capture_on_commit_callbacks: Any,
):
    # 14 rows: the duplicate of row 2 is in the helper's half (rows 9 to 15)
    test_ten_kinds_of_bad_rows_get_ten_precise_errors_without_the_id_or_phone(
        personas, registered, django_capture_on_commit_callbacks
    )

    assert helper_on == ["validation"]


def test_the_helper_commits_what_the_process_alone_commits(
    personas: Personas,
    tree: Tree,
    registered: Person,  # noqa: F811
    helper_on: list[str],
    django_capture_on_commit_callbacks: Any,
):
    assert fork_usable()
    actor = personas.community_a1_cadre
    batch = upload(actor, mixed_file(), django_capture_on_commit_callbacks)

    batch = commit(actor, batch, "valid", django_capture_on_commit_callbacks)

    assert helper_on == ["validation", "commit"]
    assert batch.status == ImportBatch.Status.COMMITTED
    assert (batch.created_count, batch.skipped_count, batch.failed_count) == (3, 1, 10)
    zhang = Person.objects.get(name="张秀梅")
    assert (zhang.citizen_id, zhang.phone, zhang.name_pinyin_initials) == (
        ID_ZHANG,
        PHONE_ZHANG,
        "zxm",
    )
    assert sorted(zhang.categories.values_list("name", flat=True)) == [
        "下岗失业妇女",
        "单亲特困母亲",
    ]
    created = Person.objects.exclude(pk=registered.pk).order_by("pk")
    entries = AuditEntry.objects.filter(
        model_label="people.Person", kind=AuditEntry.Kind.CREATE
    ).exclude(object_pk=str(registered.pk))
    assert {entry.object_pk: entry.after["id"] for entry in entries} == {
        str(person.pk): person.pk for person in created
    }
    for entry in entries:
        assert entry.actor_id == actor.pk
        assert entry.after["citizen_id"] != ID_ZHANG  # redacted, as in every create entry
        assert entry.object_repr == str(Person.objects.get(pk=entry.object_pk))
    assert verify_chain().ok


def test_an_all_or_nothing_commit_stopped_after_a_helper_chunk_writes_nothing(
    personas: Personas, tree: Tree, helper_on: list[str], django_capture_on_commit_callbacks: Any
):
    actor = personas.community_a1_cadre
    rows = [
        row("张秀梅", ID_ZHANG),
        row("李桂英", ID_LI),
        row("王丽", ID_WANG, 所属社区或网格="解放桥社区第一网格"),
    ]
    batch = upload(actor, xlsx_bytes(HEADERS, rows), django_capture_on_commit_callbacks)
    assert batch.valid_rows == 3
    # between the preview and the commit, the third row's grid is closed
    OrgUnit.objects.filter(pk=tree.grid_a1.pk).update(is_active=False)

    batch = commit(actor, batch, "all", django_capture_on_commit_callbacks)

    # the second chunk stopped in the commit's helper, before anything was written
    assert helper_on == ["validation", "commit"]
    assert batch.status == ImportBatch.Status.VALIDATED
    assert "第 4 行无法导入" in batch.error_message
    assert not Person.objects.exists()
    assert verify_chain().ok
