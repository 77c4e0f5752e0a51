"""A compiled query gives what its queryset gives, for each call's values, with one statement
and without building the queryset again."""

import pytest
from django.db import connection, transaction
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from tests.conftest import Personas, Tree
from warmhome.accounts.models import Post
from warmhome.core.compiled_query import CompiledQuery

pytestmark = pytest.mark.django_db


def _posts_of(builds: list[int]) -> CompiledQuery[Post]:
    """A user's posts of either of two roles, with their organisation and role."""

    def build(user_id, role_a, role_b):
        builds.append(1)
        return (
            Post.objects.select_related("org", "role")
            .filter(user_id=user_id, role__code__in=[role_a, role_b])
            .exclude(title="已撤销")
            .order_by("pk")
        )

    return CompiledQuery(build, slots=3)


def test_each_call_gives_what_the_queryset_gives_for_its_values(personas: Personas) -> None:
    builds: list[int] = []
    posts = _posts_of(builds)

    for user in (personas.district_staff, personas.street_a_cadre, personas.street_b_cadre):
        roles = ["street_cadre", "district_staff_organisation"]
        expected = list(Post.objects.filter(user=user, role__code__in=roles).order_by("pk"))
        assert expected
        got = posts(user.pk, *roles)
        assert got == expected
        # Field by field, related rows too: the converters (kept from the first call) turn
        # each column into what the ORM gives (SQLite: aware datetimes from text, booleans).
        for mine, theirs in zip(got, expected, strict=True):
            for model, a, b in ((Post, mine, theirs), (type(mine.org), mine.org, theirs.org)):
                for field in model._meta.concrete_fields:
                    assert getattr(a, field.attname) == getattr(b, field.attname), field.name
    assert posts(personas.street_a_cadre.pk, "district_staff_organisation", "none") == []
    assert len(builds) == 1, "built once, not per call"


def test_related_rows_come_with_the_one_statement(personas: Personas, tree: Tree) -> None:
    posts = _posts_of([])
    posts(personas.district_staff.pk, "a", "b")  # compiled here

    with CaptureQueriesContext(connection) as statements:
        (found,) = posts(personas.street_a_cadre.pk, "street_cadre", "none")
        assert found.org.name == tree.street_a.name
        assert found.role.code == "street_cadre"
    assert len(statements) == 1


def test_a_locking_query_locks_inside_the_callers_transaction(tree: Tree) -> None:
    from warmhome.orgs.models import OrgUnit

    locked = CompiledQuery(lambda pk: OrgUnit.objects.select_for_update().filter(pk=pk), slots=1)
    with transaction.atomic(), CaptureQueriesContext(connection) as statements:
        assert locked(tree.street_a.pk) == [tree.street_a]
        assert locked(tree.street_b.pk) == [tree.street_b]
    if connection.features.has_select_for_update:
        assert all("FOR UPDATE" in statement["sql"] for statement in statements[:2])


@pytest.mark.django_db(transaction=True)
def test_a_locking_query_outside_a_transaction_is_refused_on_every_call(tree: Tree) -> None:
    from warmhome.orgs.models import OrgUnit

    locked = CompiledQuery(lambda pk: OrgUnit.objects.select_for_update().filter(pk=pk), slots=1)
    with transaction.atomic():
        locked(tree.street_a.pk)
    with pytest.raises(TransactionManagementError):
        locked(tree.street_b.pk)


def test_loaded_instances_save_and_audit_as_loaded_ones_do(personas: Personas) -> None:
    from warmhome.core.models import AuditEntry

    (found,) = _posts_of([])(personas.street_a_cadre.pk, "street_cadre", "none")
    found.title = "主席"
    found.save()

    assert Post.objects.get(pk=found.pk).title == "主席"
    entry = AuditEntry.objects.filter(model_label="accounts.Post", object_pk=str(found.pk)).last()
    assert entry is not None
    assert (entry.before["title"], entry.after["title"]) == ("", "主席")


def test_the_wrong_number_of_values_is_refused() -> None:
    with pytest.raises(TypeError, match="3 values expected, 2 given"):
        _posts_of([])(1, "street_cadre")
