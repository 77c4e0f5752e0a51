"""The scope matrix, run over the person registry alone (the project-wide run covers it too)."""

from tests import scope_matrix
from tests.conftest import Tree
from tests.factories import maker_for, maker_for_route, user_with_post
from warmhome.accounts.models import Role
from warmhome.core import actions as action_registry
from warmhome.people.models import Consent, Household, HouseholdMember, Person


def _users(tree: Tree) -> scope_matrix.MatrixUsers:
    Role.objects.create(
        code="people_matrix_all",
        name="people matrix",
        actions=[action.code for action in action_registry.all_actions()],
    )
    return scope_matrix.MatrixUsers(
        street_a=user_with_post("pm_street_a", tree.street_a, "people_matrix_all"),
        community_a1=user_with_post("pm_a1", tree.community_a1, "people_matrix_all"),
        street_b=user_with_post("pm_street_b", tree.street_b, "people_matrix_all"),
    )


def test_people_models_views_and_api_show_nothing_of_another_street(tree: Tree):
    users = _users(tree)
    problems: list[str] = []
    models = [Person, Household, HouseholdMember, Consent]
    assert set(models) <= set(scope_matrix.org_owned_models())
    for model in models:
        maker = maker_for(model)
        assert maker is not None
        problems += scope_matrix.leaks(model, users, scope_matrix.make_records(maker, tree))

    routes = [route for route in scope_matrix.walk_urls() if route.namespace == "people"]
    assert scope_matrix.unclassified_views(routes) == []
    for route in routes:
        if route.scoped_model is not None:
            records = scope_matrix.make_records(maker_for_route(route), tree)
            problems += scope_matrix.view_leaks(route, users, records)

    operations = [op for op in scope_matrix.api_operations() if op.url.startswith("/api/people/")]
    assert len(operations) == 2
    for operation in operations:
        records = scope_matrix.make_records(maker_for(operation.scoped_model), tree)
        problems += scope_matrix.api_leaks(operation, users, records)

    assert problems == []
