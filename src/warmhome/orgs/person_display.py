"""How the organisation pages draw the persons serving in a unit.

``people`` sits above ``orgs``, so ``orgs`` may not import ``people.rendering``; the people app
hands its one rendering function over from its ``ready()`` (``register_person_renderer``), and
everything here draws persons through it, never from ``person.name``. Likewise the forms here
find a typed person through the registry's own picker (``register_person_finder``): a drop-down
of every person of a district would hold a million entries.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from warmhome.orgs.models import UnitMember

PersonRenderer = Callable[..., Any]
PersonFinder = Callable[..., Any]

_renderer: list[PersonRenderer] = []
_finder: list[PersonFinder] = []


def register_person_renderer(renderer: PersonRenderer) -> None:
    """Called once by the people app with ``people.rendering.render_person``."""
    _renderer[:] = [renderer]


def register_person_finder(finder: PersonFinder) -> None:
    """Called once by the people app with ``people.forms.pick_person``."""
    _finder[:] = [finder]


def find_person(user: Any, text: str, *, within: Any) -> Any:
    """The one person ``text`` names (full ID, name, pinyin initials, ID tail or ``#编号``)
    among those ``user`` may view, registered in ``within`` or below; forms.ValidationError in
    Chinese otherwise."""
    if not _finder:
        raise RuntimeError("people.forms.pick_person was not registered")
    return _finder[0](user, text, "people.view", within_path=within.path)


def render(person: Any, *, viewer: Any, context: str = "list") -> Any:
    if not _renderer:
        raise RuntimeError("people.rendering.render_person was not registered")
    return _renderer[0](person, viewer=viewer, context=context)


@dataclass(frozen=True, slots=True)
class MemberDisplay:
    member: UnitMember
    #: the person as ``render_person`` draws her, or None when only a post is linked
    person: Any
    #: "用户名（岗位组织）" of the linked post, or ""
    post_label: str

    def __str__(self) -> str:
        if self.person is not None:
            return str(self.person)
        return self.post_label


def member_display(member: UnitMember, *, viewer: Any) -> MemberDisplay:
    person = render(member.person, viewer=viewer) if member.person_id else None
    post_label = ""
    if member.post_id:
        post: Any = member.post
        post_label = _("%(user)s（%(org)s）") % {
            "user": getattr(post.user, "display_name", "") or post.user.get_username(),
            "org": post.org.name,
        }
    return MemberDisplay(member=member, person=person, post_label=post_label)


def unit_member_rows(user: Any) -> Iterable[Any]:
    """The person list of unit members (registered with ``people.lists`` by the people app)."""
    members = (
        UnitMember.objects.visible_to(user)
        .filter(person__isnull=False)
        .select_related("person", "person__org")[:500]
    )
    return [render(member.person, viewer=user) for member in members]
