"""The registry of actions a role may grant.

Each app declares its actions once, in its own ``actions.py``, with a Chinese label. Roles store
action codes as data (editable by the security administrator); a code that is not registered
here cannot be granted. Codes read ``<app>.<verb>``; ``view`` and ``export`` are always separate
actions, so that exporting can be granted apart from seeing.
"""

from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True, slots=True)
class Action:
    code: str
    label: str | Promise
    # Which of the three separated administrator duties (等保 "三员") an action belongs to, if
    # any: "system", "security" or "audit". A role may hold actions of at most one duty.
    admin_duty: str = ""


_registry: dict[str, Action] = {}


def register(code: str, label: str | Promise, *, admin_duty: str = "") -> Action:
    """Declare an action; registering the same code twice with another meaning is an error."""
    action = Action(code=code, label=label, admin_duty=admin_duty)
    existing = _registry.get(code)
    if existing is not None and existing != action:
        raise ValueError(f"Action {code!r} is already registered differently.")
    _registry[code] = action
    return action


def get(code: str) -> Action:
    return _registry[code]


def is_registered(code: str) -> bool:
    return code in _registry


def all_actions() -> list[Action]:
    return sorted(_registry.values(), key=lambda action: action.code)


ADMIN_DUTIES = ("system", "security", "audit")
