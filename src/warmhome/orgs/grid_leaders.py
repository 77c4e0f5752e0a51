"""The grid leaders as a person list (registered with ``people.lists`` by the people app, so that
the shielding test walks it too)."""

from collections.abc import Iterable
from typing import Any

from warmhome.orgs.models_new_orgs import GridLeader
from warmhome.orgs.person_display import render


def grid_leader_rows(user: Any) -> Iterable[Any]:
    leaders = (
        GridLeader.objects.visible_to(user)
        .current()
        .select_related("person", "person__org")
        .order_by("org__path")[:500]
    )
    return [render(leader.person, viewer=user) for leader in leaders]
