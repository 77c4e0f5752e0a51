"""THE one rendering function for persons.

Every module draws a person through ``render_person`` (or the ``person_display`` template
filter that calls it); none reads ``person.name`` for display by itself. That is how shielding
works everywhere at once: a shielded person's name becomes "（受保护人员）" and her photo and
address are left out, in every context, for every viewer; only viewers holding ``people.shield``
learn why. Her real name is not even stored in clear (``Person.shielded_name``, encrypted);
the module that shielded her shows it to her case team with ``team_reason``, audited each time.
Full ID numbers and phones are shown only through ``person_sensitive_reveal``, which
checks ``people.view_sensitive`` and writes the audit trail.
"""

from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from warmhome.core.audit.services import sensitive_read_log
from warmhome.core.masking import mask_address, mask_citizen_id, mask_mobile, mask_name
from warmhome.people.models import Person

Context = Literal["list", "export", "public", "sign_in", "nomination", "detail"]
CONTEXTS: tuple[str, ...] = ("list", "export", "public", "sign_in", "nomination", "detail")
SHIELDED_NAME = gettext_lazy("（受保护人员）")


def _holds(viewer: Any, action: str, person: Person) -> bool:
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return False
    return bool(viewer.has_action(action, person.org))


@dataclass(frozen=True)
class PersonDisplay:
    """What a viewer may see of a person in one context (all strings, ready to print)."""

    pk: int
    name: str
    masked_name: str
    masked_id: str
    masked_phone: str
    photo_allowed: bool
    is_shielded: bool
    #: the reason of the shield, only for viewers holding ``people.shield``; else ""
    shield_reason: str
    _address_source: tuple[str, Any]

    @cached_property
    def address(self) -> str:
        """The residence address down to the community ("" where it may not be shown)."""
        value, org = self._address_source
        if not value or org is None:
            return ""
        return mask_address(value, _community_name(org))

    def __str__(self) -> str:
        return self.name


def _community_name(org: Any) -> str:
    # A grid lies inside a community: the address is cut at the community, not the grid.
    if org.kind == "grid":
        parent = type(org).objects.filter(path=org.path[: -org.steplen]).first()
        return parent.name if parent is not None else ""
    return str(org.name)


def render_person(
    person: Person, *, viewer: Any, context: Context = "list", team_reason: str = ""
) -> PersonDisplay:
    """How ``person`` appears to ``viewer`` in ``context`` (see the module docstring).

    ``team_reason`` is for the module that shielded her: it vouches that ``viewer`` is on her
    team (the DV case's workers) and says why; she then sees the real name, and each such
    display is written to the audit trail. Nobody else ever sees it.
    """
    if context not in CONTEXTS:
        raise ValueError(f"unknown person rendering context {context!r}")
    holds_shield = _holds(viewer, "people.shield", person)
    if person.is_shielded:
        shielded = str(SHIELDED_NAME)
        # Never on exports, sign-in sheets, nominations or public pages, whoever asks.
        if team_reason and context in ("list", "detail") and viewer is not None:
            sensitive_read_log(
                actor=viewer, instance=person, fields=["name"], reason=team_reason[:200]
            )
            shielded = person.shielded_name or shielded
        masked_id = mask_citizen_id(person.citizen_id) if holds_shield else ""
        masked_phone = mask_mobile(person.phone) if holds_shield else ""
        return PersonDisplay(
            pk=person.pk,
            name=shielded,
            masked_name=shielded,
            masked_id="" if context in ("public", "sign_in") else masked_id,
            masked_phone="" if context in ("public", "sign_in", "nomination") else masked_phone,
            photo_allowed=False,
            is_shielded=True,
            shield_reason=person.shield_reason if holds_shield else "",
            _address_source=("", None),
        )
    masked_name = mask_name(person.name)
    if context == "public":
        return PersonDisplay(
            pk=person.pk,
            name=masked_name,
            masked_name=masked_name,
            masked_id="",
            masked_phone="",
            photo_allowed=False,
            is_shielded=False,
            shield_reason="",
            _address_source=("", None),
        )
    knows = _holds(viewer, "people.view", person)
    return PersonDisplay(
        pk=person.pk,
        name=person.name if knows else masked_name,
        masked_name=masked_name,
        masked_id="" if context == "sign_in" else mask_citizen_id(person.citizen_id),
        masked_phone=mask_mobile(person.phone),
        photo_allowed=knows,
        is_shielded=False,
        shield_reason="",
        _address_source=(
            (person.residence_address, person.org) if knows and context != "sign_in" else ("", None)
        ),
    )


@dataclass(frozen=True)
class SensitiveValues:
    citizen_id: str
    phone: str


def person_sensitive_reveal(viewer: Any, person: Person, reason: str) -> SensitiveValues:
    """The full ID and phone of ``person``, for a viewer holding people.view_sensitive; audited.

    A shielded person's values are revealed only to viewers also holding ``people.shield``.
    """
    if not _holds(viewer, "people.view_sensitive", person) or (
        person.is_shielded and not _holds(viewer, "people.shield", person)
    ):
        raise PermissionDenied(_("您没有查看完整证件号和电话的权限。"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("请填写查看完整信息的事由。")]})
    sensitive_read_log(
        actor=viewer, instance=person, fields=["citizen_id", "phone"], reason=reason[:200]
    )
    return SensitiveValues(citizen_id=person.citizen_id, phone=person.phone)
