"""My to-do: a registry of sources that modules add items to.

A source is a function ``(user) -> list[TodoItem]``, scoped by the module itself through its
selectors. The home page shows the merged list, most urgent first.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise


@dataclass(frozen=True, slots=True)
class TodoItem:
    title: str | Promise
    url: str
    source: str
    due: datetime.date | None = None
    overdue: bool = False
    detail: str | Promise = ""


TodoSource = Callable[[Any], list[TodoItem]]
_sources: dict[str, TodoSource] = {}


def register(key: str, source: TodoSource) -> TodoSource:
    _sources[key] = source
    return source


def items_for(user: Any) -> list[TodoItem]:
    items: list[TodoItem] = []
    for source in _sources.values():
        items.extend(source(user))
    far_future = datetime.date.max
    return sorted(items, key=lambda item: (not item.overdue, item.due or far_future))
