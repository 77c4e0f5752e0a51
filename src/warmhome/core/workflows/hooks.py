"""Side effects of transitions (notifications, timeline events), run after the commit.

A module subscribes with ``@on_transition("petition", "accept")`` (or without a transition name
for every transition of the workflow). The hook receives the record and its ``TransitionLog``
once the transaction has committed, so a rolled-back transition never notifies anyone.
"""

from collections.abc import Callable
from typing import Any

TransitionHook = Callable[[Any, Any], None]

_hooks: dict[tuple[str, str | None], list[TransitionHook]] = {}


def on_transition(
    workflow_key: str, transition: str | None = None
) -> Callable[[TransitionHook], TransitionHook]:
    """Register ``hook(record, log)`` for one transition, or all of a workflow's."""

    def decorate(hook: TransitionHook) -> TransitionHook:
        hooks = _hooks.setdefault((workflow_key, transition), [])
        if hook not in hooks:
            hooks.append(hook)
        return hook

    return decorate


def remove_hook(workflow_key: str, transition: str | None, hook: TransitionHook) -> None:
    hooks = _hooks.get((workflow_key, transition), [])
    if hook in hooks:
        hooks.remove(hook)


def hooks_for(workflow_key: str, transition: str) -> list[TransitionHook]:
    return [*_hooks.get((workflow_key, transition), []), *_hooks.get((workflow_key, None), [])]
