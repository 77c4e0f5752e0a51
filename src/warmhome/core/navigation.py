"""The workbench menu, built from what each app registers and what the user may do.

An app registers its entries in its ``navigation.py``; an entry shows only to users holding the
action it names (in any post).
"""

from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise


@dataclass(frozen=True, slots=True)
class MenuEntry:
    key: str
    label: str | Promise
    url_name: str
    action: str
    group: str | Promise = ""
    order: int = 100
    icon: str = ""

    @property
    def url(self) -> str:
        return reverse(self.url_name)


@dataclass(slots=True)
class _Menu:
    entries: dict[str, MenuEntry] = field(default_factory=dict)


_menu = _Menu()


def register(entry: MenuEntry) -> MenuEntry:
    _menu.entries[entry.key] = entry
    return entry


def menu_for(user: Any) -> list[MenuEntry]:
    """The entries ``user`` may open, in menu order."""
    if not getattr(user, "is_authenticated", False):
        return []
    visible = [entry for entry in _menu.entries.values() if user.has_action(entry.action)]
    return sorted(visible, key=lambda entry: (entry.order, entry.key))
