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


def request_person_rows(user: Any) -> Iterable[Any]:
    from warmhome.people.rendering import render_person
    from warmhome.rights.models import HelpRequest

    requests = (
        HelpRequest.objects.visible_to(user, "rights.request_view")
        .filter(person__isnull=False)
        .select_related("person", "person__org")
    )
    return [render_person(item.person, viewer=user, context="list") for item in requests[:500]]


def register_request_lists() -> None:
    from warmhome.people.lists import register_person_list

    register_person_list("rights.request_persons", request_person_rows)
