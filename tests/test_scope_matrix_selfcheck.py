"""The scope matrix must fail when something is not scoped: these tests build deliberately
unscoped models, views and API operations and show that the matrix names each one."""

from typing import Any

import pytest
from django.db import models
from django.http import HttpResponse
from django.test.utils import isolate_apps
from django.urls import path
from django.views.generic import ListView
from ninja import NinjaAPI, Router

from tests import scope_matrix
from tests.conftest import Tree
from tests.factories import make_orgunit as make_orgunit_for_matrix
from tests.factories import make_post, user_with_post
from tests.test_scope_matrix import matrix_users  # noqa: F401  (fixture)
from warmhome.api.scoping import scoped
from warmhome.core.scoping import ScopedQuerySet
from warmhome.orgs.models import OrgUnit


class _IgnoresTheUser(ScopedQuerySet):
    """A scoped-looking queryset whose visible_to forgets to filter: a leak by mistake."""

    def visible_to(self, user: Any, action: str = "view") -> "_IgnoresTheUser":
        leaked = self.all()
        leaked._warmhome_scoped = True
        return leaked


@isolate_apps("warmhome.core")
def test_matrix_flags_an_org_owned_model_with_a_plain_manager():
    class UnscopedRecord(models.Model):
        org = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")

        class Meta:
            app_label = "core"

    assert scope_matrix.unscoped_models([UnscopedRecord]) == ["core.UnscopedRecord"]


@isolate_apps("warmhome.core")
def test_matrix_flags_a_model_that_only_points_at_an_org_owned_model():
    class Owner(models.Model):
        org = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
        objects = models.Manager.from_queryset(ScopedQuerySet)()

        class Meta:
            app_label = "core"

    class Detail(models.Model):
        owner = models.ForeignKey(Owner, on_delete=models.CASCADE)

        class Meta:
            app_label = "core"

    assert scope_matrix.unscoped_models([Owner, Detail]) == ["core.Detail"]


@isolate_apps("warmhome.core")
def test_matrix_catches_a_scoped_model_whose_visible_to_leaks(
    tree: Tree,
    matrix_users: scope_matrix.MatrixUsers,  # noqa: F811
):
    class LeakyPost(models.Model):
        # The posts table, read through a queryset that ignores the user.
        org = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
        objects = models.Manager.from_queryset(_IgnoresTheUser)()

        class Meta:
            app_label = "core"
            managed = False
            db_table = "accounts_post"

    def make_leaky(unit: OrgUnit) -> LeakyPost:
        return LeakyPost.objects.get(pk=make_post(unit).pk)

    records = scope_matrix.make_records(make_leaky, tree)
    problems = scope_matrix.leaks(LeakyPost, matrix_users, records)

    assert any("street-A user sees" in problem for problem in problems)


def _unmarked_view(request: Any) -> HttpResponse:
    return HttpResponse("everything")


class _UnscopedList(ListView):
    model = OrgUnit


def test_matrix_flags_views_that_are_neither_scoped_nor_exempt():
    patterns = [
        path("plain/", _unmarked_view, name="plain"),
        path("list/", _UnscopedList.as_view(), name="list"),
    ]

    unclassified = scope_matrix.unclassified_views(list(scope_matrix.walk_urls(patterns)))

    assert unclassified == ["plain/ (:plain)", "list/ (:list)"]


def test_matrix_flags_api_operations_that_are_neither_scoped_nor_exempt():
    api = NinjaAPI(urls_namespace="selfcheck")
    router = Router()

    @router.get("/everything")
    def everything(request: Any) -> list[int]:
        return list(OrgUnit.objects.values_list("pk", flat=True))

    @router.get("/marked")
    @scoped(OrgUnit)
    def marked(request: Any) -> list[int]:
        return []

    api.add_router("/probe/", router)

    unclassified = scope_matrix.unclassified_operations(scope_matrix.api_operations(api))

    assert unclassified == ["GET /api/probe/everything"]


@pytest.mark.django_db
def test_matrix_catches_a_list_view_that_shows_other_streets(
    tree: Tree,
    matrix_users: scope_matrix.MatrixUsers,  # noqa: F811
    settings: Any,
):
    from django.urls import clear_url_caches

    from tests import leaky_urls

    settings.ROOT_URLCONF = leaky_urls
    clear_url_caches()
    try:
        route = next(r for r in scope_matrix.walk_urls() if r.name == "leaky_list")
        records = scope_matrix.make_records(
            lambda unit: user_with_post(f"probe{unit.pk}", unit, "community_cadre").posts.get(),
            tree,
        )
        problems = scope_matrix.view_leaks(route, matrix_users, records)
    finally:
        clear_url_caches()

    assert any("list shows" in problem for problem in problems)


@pytest.mark.django_db
def test_matrix_catches_a_writing_api_operation_that_reaches_other_streets(
    tree: Tree,
    matrix_users: scope_matrix.MatrixUsers,  # noqa: F811
    settings: Any,
):
    from django.urls import clear_url_caches

    from tests import leaky_api_urls

    settings.ROOT_URLCONF = leaky_api_urls
    clear_url_caches()
    try:
        operations = {op.url: op for op in scope_matrix.api_operations(leaky_api_urls.leaky_api)}
        records = scope_matrix.make_records(make_orgunit_for_matrix, tree)
        rename = scope_matrix.api_leaks(
            operations["/api/leaky/units/{pk}/rename"], matrix_users, records
        )
        touch = scope_matrix.api_leaks(
            operations["/api/leaky/units/{pk}/touch"], matrix_users, records
        )
    finally:
        clear_url_caches()

    assert any("street-A user's POST got 200" in problem for problem in rename)
    assert touch == [
        "/api/leaky/units/{pk}/touch: a scoped writing operation needs @scoped(..., probe=...)"
    ]
