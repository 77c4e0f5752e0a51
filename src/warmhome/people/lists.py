"""The registry of person lists, so that one test can walk them all.

A module that shows persons in a list, export, sign-in sheet or nomination registers it here::

    register_person_list("activities.sign_in", lambda user: [render_person(...), ...])

The callable takes the viewing user and returns the rendered rows (``PersonDisplay`` or any
object whose ``str`` is what the page prints). ``tests/people/test_rendering.py`` shields a
person and asserts her real name appears in no registered list.
"""

from collections.abc import Callable, Iterable
from typing import Any

PersonListSource = Callable[[Any], Iterable[Any]]

_lists: dict[str, PersonListSource] = {}


def register_person_list(name: str, source: PersonListSource) -> PersonListSource:
    """Declare a person list; registering a name twice with another callable is an error."""
    existing = _lists.get(name)
    if existing is not None and existing is not source:
        raise ValueError(f"Person list {name!r} is already registered.")
    _lists[name] = source
    return source


def registered_person_lists() -> dict[str, PersonListSource]:
    return dict(_lists)


def _person_register_rows(user: Any) -> Iterable[Any]:
    from warmhome.people.rendering import render_person
    from warmhome.people.selectors import person_search

    # Need-to-know staff may meet shielded persons in the register: drawn masked, never named.
    persons = person_search(user, include_shielded=True)[:500]
    return [render_person(person, viewer=user, context="list") for person in persons]


def _household_member_rows(user: Any) -> Iterable[Any]:
    from warmhome.people.models import HouseholdMember
    from warmhome.people.rendering import render_person

    members = HouseholdMember.objects.visible_to(user).select_related("person", "person__org")
    return [render_person(member.person, viewer=user, context="list") for member in members[:500]]


def register_own_lists() -> None:
    register_person_list("people.person_register", _person_register_rows)
    register_person_list("people.household_members", _household_member_rows)
