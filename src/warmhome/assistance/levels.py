"""Household colour levels: the registry of the sources that set them.

A module whose events put a household at risk registers a source once (in its
``AppConfig.ready``) and raises levels through
``assistance.services_levels.household_level_raise``::

    register_level_source("rights.dv_case", _("反家暴个案"), reason_action="rights.view_case")

``reason_action`` is the action a viewer must hold over the household's organisation to read
the reason; anyone who may see assistance records sees the colour and the follow-up frequency
("红色 — 每 5 个工作日回访"), never the case behind it without that action.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

MANUAL = "assistance.manual"
RELIEF = "assistance.relief"


@dataclass(frozen=True, slots=True)
class LevelSource:
    key: str
    label: str | Promise
    reason_action: str


_sources: dict[str, LevelSource] = {}


def register_level_source(key: str, label: str | Promise, *, reason_action: str) -> LevelSource:
    """Declare a source of household levels; the same key twice differently is an error."""
    source = LevelSource(key=key, label=label, reason_action=reason_action)
    existing = _sources.get(key)
    if existing is not None and existing != source:
        raise ValueError(f"Level source {key!r} is already registered differently.")
    _sources[key] = source
    return source


def get_level_source(key: str) -> LevelSource:
    try:
        return _sources[key]
    except KeyError:
        raise LookupError(f"No household level source {key!r} is registered.") from None


def register_own_sources() -> None:
    register_level_source(MANUAL, _("人工设定"), reason_action="assistance.view")
    register_level_source(RELIEF, _("救助申请"), reason_action="assistance.view")
