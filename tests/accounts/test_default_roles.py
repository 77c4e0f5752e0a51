"""Default roles: a new module's default actions reach existing installations once."""

import pytest

from warmhome.accounts import default_roles
from warmhome.accounts.models import Role
from warmhome.accounts.services import roles_ensure_defaults

pytestmark = pytest.mark.django_db


@pytest.fixture
def street_spec(monkeypatch):
    spec = next(spec for spec in default_roles.DEFAULT_ROLES if spec["code"] == "street_cadre")
    monkeypatch.setitem(spec, "actions", ["orgs.view", "people.view"])
    Role.objects.filter(code="street_cadre").delete()  # migrate made it with the real defaults
    return spec


def test_a_default_action_added_later_is_granted_once_and_a_removal_is_kept(street_spec):
    roles_ensure_defaults()
    role = Role.objects.get(code="street_cadre")
    assert role.actions == ["orgs.view", "people.view"]

    # The security administrator takes one away; a new version adds a module's action.
    role.actions = ["orgs.view"]
    role.save()
    street_spec["actions"] = ["orgs.view", "people.view", "rights.request_view"]
    roles_ensure_defaults()

    role.refresh_from_db()
    assert role.actions == ["orgs.view", "rights.request_view"]
    assert roles_ensure_defaults() == 0  # nothing new: nothing changes


def test_unregistered_actions_are_never_granted(street_spec):
    street_spec["actions"] = ["orgs.view", "nosuch.action"]

    roles_ensure_defaults()

    assert Role.objects.get(code="street_cadre").actions == ["orgs.view"]
