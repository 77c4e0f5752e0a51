"""The volunteer lists registered with ``people.lists`` (the shielding test walks them)."""

from collections.abc import Iterable
from typing import Any

from warmhome.people.lists import register_person_list
from warmhome.people.rendering import render_person
from warmhome.volunteers.models import ServiceRecord, TeamMember, Volunteer


def volunteer_rows(user: Any) -> Iterable[Any]:
    volunteers = Volunteer.objects.visible_to(user, "volunteers.view").select_related(
        "person", "person__org"
    )
    return [render_person(v.person, viewer=user, context="list") for v in volunteers[:500]]


def record_rows(user: Any) -> Iterable[Any]:
    records = ServiceRecord.objects.visible_to(user, "volunteers.view").select_related(
        "volunteer__person", "volunteer__person__org"
    )
    return [render_person(r.volunteer.person, viewer=user, context="list") for r in records[:500]]


def team_member_rows(user: Any) -> Iterable[Any]:
    members = TeamMember.objects.visible_to(user, "volunteers.view").select_related(
        "volunteer__person", "volunteer__person__org"
    )
    return [render_person(m.volunteer.person, viewer=user, context="list") for m in members[:500]]


def export_rows(user: Any) -> Iterable[Any]:
    """The names the national export writes (its first column)."""
    from warmhome.volunteers.exports import volunteer_columns

    name = volunteer_columns(user)[0][2]
    volunteers = Volunteer.objects.visible_to(user, "volunteers.export").select_related(
        "person", "person__org"
    )
    return [name(volunteer) for volunteer in volunteers[:500]]


def register_lists() -> None:
    register_person_list("volunteers.volunteers", volunteer_rows)
    register_person_list("volunteers.records", record_rows)
    register_person_list("volunteers.team_members", team_member_rows)
    register_person_list("volunteers.export", export_rows)
