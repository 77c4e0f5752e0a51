"""The person lists of this app, registered for the shielding test (``people.lists``)."""

from collections.abc import Iterable
from typing import Any


def case_victim_rows(user: Any) -> Iterable[Any]:
    from warmhome.people.rendering import render_person
    from warmhome.rights.selectors import dv_case_list

    return [
        render_person(case.victim, viewer=user, context="list") for case in dv_case_list(user)[:500]
    ]


def register_own_lists() -> None:
    from warmhome.people.lists import register_person_list

    register_person_list("rights.case_victims", case_victim_rows)
