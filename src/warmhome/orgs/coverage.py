"""The two registries coverage is computed from: federation-work evidence and completeness.

**Work evidence.** "Reached by federation work this year" means: some module recorded an
activity, a visit … against the organisation within the year. ``orgs`` sits below those modules,
so they register what they record here, from their ``AppConfig.ready``::

    register_evidence(EvidenceSource(
        key="visits.visit",
        label=_("走访"),
        new_orgs=lambda start, end: Visit.objects.filter(
            new_org__isnull=False, visited_on__range=(start, end)).values("new_org_id"),
        units=lambda start, end: Visit.objects.filter(
            visited_on__range=(start, end)).values("org_id"),
    ))

``new_orgs(start, end)`` gives the ids of ``NewOrg`` rows reached, ``units(start, end)`` the ids
of ``OrgUnit`` rows where work was recorded (a grid, a community, a women's organisation);
either may be ``None``. Querysets are used as subqueries (no rows are fetched); any iterable of
ids works too. A ``NewOrg`` counts as reached when its id is given, or when work was recorded in
its women's organisation; a grid or unit when its id is given.

**Completeness indicators** (有阵地、有人员、有经费): ``units(year)`` gives the ids of units that
meet the indicator in ``year``; the share is taken over the active grassroots women's
organisations (``COMPLETENESS_KINDS``) of each subtree.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

#: the kinds of units whose venue, people and funds are counted
COMPLETENESS_KINDS = ("community", "new_org")

IdsBetween = Callable[[datetime.date, datetime.date], Iterable[Any]]
IdsOfYear = Callable[[int], Iterable[Any]]


@dataclass(frozen=True, slots=True)
class EvidenceSource:
    key: str
    label: str | Promise
    new_orgs: IdsBetween | None = None
    units: IdsBetween | None = None


@dataclass(frozen=True, slots=True)
class CompletenessIndicator:
    key: str
    label: str | Promise
    units: IdsOfYear


_evidence: dict[str, EvidenceSource] = {}
_indicators: dict[str, CompletenessIndicator] = {}


def register_evidence(source: EvidenceSource) -> EvidenceSource:
    """Declare a source of work evidence; registering a key twice differently is an error."""
    existing = _evidence.get(source.key)
    if existing is not None and existing != source:
        raise ValueError(f"Evidence source {source.key!r} is already registered.")
    _evidence[source.key] = source
    return source


def unregister_evidence(key: str) -> None:
    _evidence.pop(key, None)


def evidence_sources() -> list[EvidenceSource]:
    return list(_evidence.values())


def register_indicator(indicator: CompletenessIndicator) -> CompletenessIndicator:
    """Declare a completeness indicator (venue, people, funds …), shown in registration order."""
    existing = _indicators.get(indicator.key)
    if existing is not None and existing != indicator:
        raise ValueError(f"Completeness indicator {indicator.key!r} is already registered.")
    _indicators[indicator.key] = indicator
    return indicator


def unregister_indicator(key: str) -> None:
    _indicators.pop(key, None)


def completeness_indicators() -> list[CompletenessIndicator]:
    return list(_indicators.values())
