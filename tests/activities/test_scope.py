"""The scope matrix, for the activities engine alone (the project-wide one covers it too)."""

import pytest

from tests import scope_matrix
from tests.conftest import Tree
from tests.factories import maker_for, maker_for_route, user_with_post
from warmhome.accounts.models import Role
from warmhome.core import actions as action_registry

ACTIVITY_MODELS = {
    "activities.Activity",
    "activities.ActivityPhoto",
    "activities.SignUp",
    "activities.Attendance",
}


@pytest.fixture
def matrix_users(tree: Tree) -> scope_matrix.MatrixUsers:
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


def _models():
    return [
        model for model in scope_matrix.org_owned_models() if model._meta.app_label == "activities"
    ]


def test_every_activities_model_is_discovered_scoped_and_made():
    models = _models()

    assert {model._meta.label for model in models} == ACTIVITY_MODELS
    assert scope_matrix.unscoped_models(models) == []
    assert all(maker_for(model) is not None for model in models)


def test_no_activities_record_shows_through_to_another_street(tree, matrix_users):
    problems = []
    for model in _models():
        records = scope_matrix.make_records(maker_for(model), tree)
        problems += scope_matrix.leaks(model, matrix_users, records)

    assert problems == []


def test_every_activities_page_is_scoped_or_says_why_not():
    routes = [
        route
        for route in scope_matrix.walk_urls()
        if route.namespace in ("activities", "activities_public")
    ]

    assert len(routes) > 10
    assert scope_matrix.unclassified_views(routes) == []


def test_no_activities_page_shows_another_streets_records(tree, matrix_users):
    problems = []
    for route in scope_matrix.walk_urls():
        if route.namespace != "activities" or route.scoped_model is None:
            continue
        records = scope_matrix.make_records(maker_for_route(route), tree)
        problems += scope_matrix.view_leaks(route, matrix_users, records)

    assert problems == []


def test_no_activities_api_operation_shows_another_streets_records(tree, matrix_users):
    operations = [
        op for op in scope_matrix.api_operations() if op.url.startswith("/api/activities/")
    ]
    assert scope_matrix.unclassified_operations(operations) == []
    problems = []
    for operation in operations:
        if operation.scoped_model is None:
            continue
        records = scope_matrix.make_records(maker_for(operation.scoped_model), tree)
        problems += scope_matrix.api_leaks(operation, matrix_users, records)

    assert problems == []
