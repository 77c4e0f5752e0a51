"""The person registry's own timeline source: who joined or left a household, and when.

``HouseholdMember`` has a ``created_at`` but no end date (removing a member deletes the row), so
a departure survives only in the audit trail. Both events are therefore read from the audit
entries of ``HouseholdMember`` rows of the household: a create is "joined", a delete is "left".
Those entries carry no organisation path (the member row has no ``org``), so they cannot be
scoped through ``AuditEntry.visible_to``; ``household_timeline`` asks this source only for users
holding ``people.view`` over the household's organisation, which is the scope that matters.
"""

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from warmhome.core.models import AuditEntry
from warmhome.people.models import Household, HouseholdMember, Person, Relationship
from warmhome.people.rendering import render_person
from warmhome.people.timeline import TimelineEvent, register_timeline_source

SOURCE_KEY = "people.membership"


def membership_events(household: Household, user: Any) -> list[TimelineEvent]:
    """A "joined" event per member added to ``household`` and a "left" one per member removed."""
    entries = list(
        AuditEntry.objects.filter(model_label=HouseholdMember._meta.label)
        .filter(
            Q(kind=AuditEntry.Kind.CREATE, after__household_id=household.pk)
            | Q(kind=AuditEntry.Kind.DELETE, before__household_id=household.pk)
        )
        .order_by("seq")
    )
    person_ids = {(entry.after or entry.before or {}).get("person_id") for entry in entries} - {
        None
    }
    persons = Person.objects.select_related("org").in_bulk(person_ids)
    relationships = dict(Relationship.choices)
    events = []
    for entry in entries:
        values = entry.after if entry.kind == AuditEntry.Kind.CREATE else entry.before
        values = values or {}
        person = persons.get(values.get("person_id"))
        name = render_person(person, viewer=user).name if person else _("（已删除人员）")
        relationship = str(relationships.get(values.get("relationship", ""), ""))
        if entry.kind == AuditEntry.Kind.CREATE:
            title = _("%(name)s 加入本户（%(relationship)s）") % {
                "name": name,
                "relationship": relationship,
            }
        else:
            title = _("%(name)s 离开本户") % {"name": name}
        events.append(TimelineEvent(when=entry.created_at, title=title))
    return events


def register() -> None:
    register_timeline_source(SOURCE_KEY, "people.view", membership_events)
