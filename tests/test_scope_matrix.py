"""Every org-owned model, workbench view and API operation, held to its organisation's scope.

Nothing here lists models or URLs: they are discovered (see tests/scope_matrix.py), so a module
added tomorrow is covered the day it lands — or fails here until it is scoped.
"""

import pytest

from tests import scope_matrix
from tests.conftest import Tree
from tests.factories import maker_for, maker_for_route, user_with_post
from warmhome.accounts.models import Role
from warmhome.core import actions as action_registry


@pytest.fixture
def matrix_users(tree: Tree) -> scope_matrix.MatrixUsers:
    # A role holding every registered action, so that only the post's organisation limits sight.
    Role.objects.create(
        code="scope_matrix_all",
        name="scope matrix",
        actions=[action.code for action in action_registry.all_actions()],
    )
    return scope_matrix.MatrixUsers(
        street_a=user_with_post("matrix_street_a", tree.street_a, "scope_matrix_all"),
        community_a1=user_with_post("matrix_a1", tree.community_a1, "scope_matrix_all"),
        street_b=user_with_post("matrix_street_b", tree.street_b, "scope_matrix_all"),
    )


def test_discovery_finds_the_foundation_models():
    labels = {model._meta.label for model in scope_matrix.org_owned_models()}

    assert {"orgs.OrgUnit", "accounts.Post"} <= labels


def test_every_org_owned_model_is_scoped():
    assert scope_matrix.unscoped_models() == []


def test_every_org_owned_model_has_a_maker_for_the_matrix():
    missing = [
        model._meta.label for model in scope_matrix.org_owned_models() if maker_for(model) is None
    ]
    assert missing == [], "register a maker with @makes(Model) in tests/factories.py"


def test_no_org_owned_model_shows_another_organisations_records(
    tree: Tree, matrix_users: scope_matrix.MatrixUsers
):
    problems = []
    for model in scope_matrix.org_owned_models():
        maker = maker_for(model)
        assert maker is not None, model._meta.label
        records = scope_matrix.make_records(maker, tree)
        problems += scope_matrix.leaks(model, matrix_users, records)

    assert problems == []


def test_every_view_is_scoped_or_declares_why_not():
    routes = list(scope_matrix.walk_urls())

    assert len(routes) > 5
    assert scope_matrix.unclassified_views(routes) == []


def test_no_scoped_view_shows_another_organisations_records(
    tree: Tree, matrix_users: scope_matrix.MatrixUsers
):
    problems = []
    checked = 0
    for route in scope_matrix.walk_urls():
        model = route.scoped_model
        if model is None:
            continue
        maker = maker_for_route(route)
        assert maker is not None, f"no maker for {model._meta.label} ({route.route})"
        problems += scope_matrix.view_leaks(
            route, matrix_users, scope_matrix.make_records(maker, tree)
        )
        checked += 1

    assert checked >= 2
    assert problems == []


def test_every_api_operation_is_scoped_or_declares_why_not():
    operations = scope_matrix.api_operations()

    assert len(operations) >= 3
    assert scope_matrix.unclassified_operations(operations) == []


def test_no_scoped_api_operation_shows_another_organisations_records(
    tree: Tree, matrix_users: scope_matrix.MatrixUsers
):
    problems = []
    checked = 0
    for operation in scope_matrix.api_operations():
        model = operation.scoped_model
        if model is None:
            continue
        maker = maker_for(model)
        assert maker is not None, f"no maker for {model._meta.label} ({operation.url})"
        records = scope_matrix.make_records(maker, tree)
        problems += scope_matrix.api_leaks(operation, matrix_users, records)
        checked += 1

    assert checked >= 2
    assert problems == []
