"""People actions for the personas (the default roles gain them when the lead wires them)."""

import pytest

from tests.conftest import Personas
from warmhome.accounts.models import Role

PEOPLE_GRANTS = {
    "district_staff_organisation": [
        "people.view",
        "people.change",
        "people.view_sensitive",
        "people.shield",
    ],
    "street_cadre": ["people.view", "people.change", "people.export", "people.view_sensitive"],
    "community_cadre": ["people.view", "people.change"],
}


@pytest.fixture
def people_personas(personas: Personas) -> Personas:
    for code, actions in PEOPLE_GRANTS.items():
        role = Role.objects.get(code=code)
        role.actions = sorted({*role.actions, *actions})
        role.save()
    for user in vars(personas).values():
        user.forget_grants()
    return personas
