"""The scope matrix restricted to this app (the project-wide one covers it too; this one runs in
seconds and names the volunteers app's problems only)."""

import pytest

from tests import scope_matrix
from tests.conftest import Tree
from tests.factories import maker_for, maker_for_route
from tests.test_scope_matrix import matrix_users  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def _ours(model: type) -> bool:
    return model._meta.app_label == "volunteers"


def test_every_volunteers_model_is_org_owned_scoped_and_made():
    models = [model for model in scope_matrix.org_owned_models() if _ours(model)]

    assert len(models) == 8
    assert [m for m in models if maker_for(m) is None] == []
    assert [m for m in scope_matrix.unscoped_models() if "volunteers" in m] == []


def test_no_volunteers_model_leaks(tree: Tree, matrix_users: scope_matrix.MatrixUsers):  # noqa: F811
    problems = []
    for model in scope_matrix.org_owned_models():
        if _ours(model):
            records = scope_matrix.make_records(maker_for(model), tree)
            problems += scope_matrix.leaks(model, matrix_users, records)

    assert problems == []


def test_no_volunteers_view_leaks(tree: Tree, matrix_users: scope_matrix.MatrixUsers):  # noqa: F811
    routes = [route for route in scope_matrix.walk_urls() if route.namespace == "volunteers"]
    assert scope_matrix.unclassified_views(routes) == []
    problems = []
    for route in routes:
        if route.scoped_model is not None:
            records = scope_matrix.make_records(maker_for_route(route), tree)
            problems += scope_matrix.view_leaks(route, matrix_users, records)

    assert problems == []


def test_no_volunteers_api_operation_leaks(tree: Tree, matrix_users: scope_matrix.MatrixUsers):  # noqa: F811
    operations = [op for op in scope_matrix.api_operations() if "/volunteers/" in op.url]
    assert len(operations) == 3
    assert scope_matrix.unclassified_operations(operations) == []
    problems = []
    for operation in operations:
        if operation.scoped_model is not None:
            records = scope_matrix.make_records(maker_for(operation.scoped_model), tree)
            problems += scope_matrix.api_leaks(operation, matrix_users, records)

    assert problems == []
