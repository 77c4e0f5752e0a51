"""``{{ person|person_display:"list" }}``: a person's name as the one rendering function draws it.

The viewer is the acting user of the request (``core.request_context``); without one the
person is drawn as for the public.
"""

from typing import Any

from django import template

from warmhome.core.request_context import current
from warmhome.people.models import Person
from warmhome.people.rendering import CONTEXTS, PersonDisplay, render_person

register = template.Library()


@register.filter
def person_display(person: Person | None, context: str = "list") -> str:
    if person is None:
        return ""
    if context not in CONTEXTS:
        context = "public"
    return render_person(person, viewer=current().actor, context=context).name  # type: ignore[arg-type]


@register.simple_tag(takes_context=True)
def render_person_as(context: Any, person: Person, purpose: str = "list") -> PersonDisplay:
    """``{% render_person_as person "detail" as shown %}``: the whole display, for the viewer."""
    request = context.get("request")
    viewer = getattr(request, "user", None) or current().actor
    if purpose not in CONTEXTS:
        purpose = "public"
    return render_person(person, viewer=viewer, context=purpose)  # type: ignore[arg-type]
