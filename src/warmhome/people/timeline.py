"""One household, one file (一户一档): the household timeline, filled by every module.

A module registers a source once (in its ``AppConfig.ready``)::

    register_timeline_source("assistance.relief", "assistance.view", fetch_relief_events)

``fetch(household, user)`` returns ``TimelineEvent``s; ``household_timeline`` asks only the
sources whose ``module_action`` the user holds over the household's organisation, so each event
is seen only by those allowed to see its module's records.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from warmhome.people.models import Household


@dataclass(frozen=True)
class TimelineEvent:
    when: datetime.datetime
    title: str
    #: the module's key, filled in by ``household_timeline``
    source: str = ""
    detail: str = ""
    url: str = ""


TimelineFetch = Callable[[Household, Any], list[TimelineEvent]]


@dataclass(frozen=True)
class TimelineSource:
    key: str
    module_action: str
    fetch: TimelineFetch


_sources: dict[str, TimelineSource] = {}


def register_timeline_source(key: str, module_action: str, fetch: TimelineFetch) -> None:
    """Declare that module ``key`` adds events to household timelines."""
    existing = _sources.get(key)
    if existing is not None and (existing.module_action, existing.fetch) != (module_action, fetch):
        raise ValueError(f"Timeline source {key!r} is already registered differently.")
    _sources[key] = TimelineSource(key=key, module_action=module_action, fetch=fetch)


def unregister_timeline_source(key: str) -> None:
    """Forget a source (tests register throwaway ones)."""
    _sources.pop(key, None)


def household_timeline(household: Household, user: Any) -> list[TimelineEvent]:
    """Events of every source ``user`` may see for ``household``, newest first."""
    events: list[TimelineEvent] = []
    for source in list(_sources.values()):
        if not user.has_action(source.module_action, household.org):
            continue
        for event in source.fetch(household, user):
            events.append(
                TimelineEvent(
                    when=event.when,
                    title=event.title,
                    source=source.key,
                    detail=event.detail,
                    url=event.url,
                )
            )
    return sorted(events, key=lambda event: event.when, reverse=True)
